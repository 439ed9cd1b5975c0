// The newsroom editor: Markdown toolbar, word count and reading time, and picture
// uploads by button, drag-and-drop and paste (inserted at the cursor as Markdown).
// Everything here is an enhancement: without scripts the form still saves.
(function () {
  "use strict";
  // Read-only fields meant to be copied (the preview link) select themselves on focus
  // (a listener here, not an inline handler: pages forbid inline scripts by CSP).
  Array.prototype.forEach.call(document.querySelectorAll("[data-select-on-focus]"), function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });
  var body = document.getElementById("body");
  if (!body) return;

  function insert(before, after, placeholder) {
    var start = body.selectionStart, end = body.selectionEnd;
    var chosen = body.value.slice(start, end) || placeholder || "";
    body.setRangeText(before + chosen + (after || ""), start, end, "end");
    body.focus();
    body.dispatchEvent(new Event("input"));
  }

  function linePrefix(prefix) {
    var start = body.value.lastIndexOf("\n", body.selectionStart - 1) + 1;
    body.setRangeText(prefix, start, start, "end");
    body.focus();
    body.dispatchEvent(new Event("input"));
  }

  var tools = {
    heading: function () { linePrefix("## "); },
    bold: function () { insert("**", "**", "bold"); },
    italic: function () { insert("_", "_", "italic"); },
    link: function () {
      var url = window.prompt("URL", "https://");
      if (url) insert("[", "](" + url + ")", "link");
    },
    quote: function () { linePrefix("> "); },
    list: function () { linePrefix("- "); },
    numbered: function () { linePrefix("1. "); },
    image: function () { document.getElementById("upload-file").click(); },
    // A YouTube, X or Telegram URL alone in its paragraph becomes a click-to-load embed.
    embed: function (button) {
      var url = window.prompt(button.dataset.prompt, "https://");
      if (url && url !== "https://") insert("\n\n" + url.trim() + "\n\n", "", "");
    },
  };
  var toolbar = document.querySelector(".nr-toolbar");
  if (toolbar) {
    toolbar.hidden = false;
    toolbar.addEventListener("click", function (e) {
      var button = e.target.closest("button[data-md]");
      if (button && tools[button.dataset.md]) tools[button.dataset.md](button);
    });
  }

  // Word count, reading time and the live preview, all from the server's renderer.
  var counter = document.querySelector("[data-testid=word-count]");
  var live = document.querySelector("[data-render]");
  var pane = live && live.querySelector("[data-testid=live-preview]");
  var renderTimer = null;
  function render() {
    if (!live) return;
    var data = new URLSearchParams();
    data.append("csrf", live.dataset.csrf);
    data.append("body", body.value);
    fetch(live.dataset.render, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    }).then(function (r) { return r.json(); }).then(function (json) {
      if (json.error) {
        pane.textContent = json.error;
        return;
      }
      // Sanitized by the server exactly as on the reader site.
      pane.innerHTML = json.html;
      if (counter) {
        counter.textContent = json.words + " " + counter.dataset.words + " · " +
          json.minutes + " " + counter.dataset.minutes;
      }
    }).catch(function () {});
  }
  body.addEventListener("input", function () {
    clearTimeout(renderTimer);
    renderTimer = setTimeout(render, 600);
  });
  render();

  // Uploads.
  var box = document.querySelector("[data-upload]");
  if (!box) return;
  var status = box.querySelector("[data-testid=upload-status]");
  var fileInput = document.getElementById("upload-file");

  function upload(file) {
    var data = new FormData();
    data.append("file", file, file.name || "pasted.png");
    ["alt", "caption", "credit"].forEach(function (name) {
      data.append(name, document.getElementById("upload-" + name).value);
    });
    status.textContent = status.dataset.busy;
    status.className = "nr-upload-status";
    return fetch(box.dataset.upload, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": box.dataset.csrf },
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (!response.ok) {
          status.textContent = json.detail || ("HTTP " + response.status);
          status.className = "nr-upload-status nr-field-error";
          return;
        }
        // A paragraph of its own, so the picture becomes a figure with its caption.
        insert("\n\n" + json.markdown + "\n\n", "", "");
        status.textContent = status.dataset.done + " (media:" + json.id + ")";
        fileInput.value = "";
      });
    }).catch(function (err) {
      status.textContent = String(err);
      status.className = "nr-upload-status nr-field-error";
    });
  }

  function images(list) {
    return Array.prototype.filter.call(list || [], function (f) {
      return f.type && f.type.indexOf("image/") === 0;
    });
  }

  fileInput.addEventListener("change", function () {
    images(fileInput.files).forEach(upload);
  });
  body.addEventListener("dragover", function (e) {
    if (e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types, "Files") >= 0) {
      e.preventDefault();
    }
  });
  body.addEventListener("drop", function (e) {
    var files = images(e.dataTransfer && e.dataTransfer.files);
    if (files.length) {
      e.preventDefault();
      files.forEach(upload);
    }
  });
  body.addEventListener("paste", function (e) {
    var files = images(e.clipboardData && e.clipboardData.files);
    if (files.length) {
      e.preventDefault();
      files.forEach(upload);
      return;
    }
    // Rich text (a word processor, a web page): the server turns it into Markdown.
    var html = e.clipboardData && e.clipboardData.getData("text/html");
    if (!html) return;
    e.preventDefault();
    var start = body.selectionStart, end = body.selectionEnd;
    var data = new URLSearchParams();
    data.append("csrf", box.dataset.csrf);
    data.append("html", html);
    fetch("/newsroom/paste", {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    }).then(function (r) { return r.json(); }).then(function (json) {
      var text = json.markdown != null ? json.markdown : e.clipboardData.getData("text/plain");
      body.setRangeText(text, start, end, "end");
      body.dispatchEvent(new Event("input"));
      if (json.error) {
        status.textContent = json.error;
        status.className = "nr-upload-status nr-field-error";
      }
    }).catch(function () {});
  });
})();

// Autosave: a few seconds after typing stops, the form is posted with the revision it
// is based on; the answer carries the new revision. A conflict stops autosaving and
// says so (the typed text stays here and is kept on the server as a revision).
(function () {
  "use strict";
  var form = document.getElementById("article-form");
  if (!form || !form.dataset.autosave) return;
  var status = form.querySelector("[data-testid=autosave]");
  var revision = form.querySelector("input[name=revision]");
  var timer = null, stopped = false, last = new URLSearchParams(new FormData(form)).toString();

  function save() {
    var body = new URLSearchParams(new FormData(form));
    var text = body.toString();
    if (stopped || text === last) return;
    fetch(form.dataset.autosave, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (json.saved) {
          last = text;
          revision.value = json.revision;
          status.textContent = status.dataset.saved + " · " + new Date().toLocaleTimeString();
          status.className = "nr-muted";
        } else if (json.conflict || response.status === 409) {
          stopped = true;
          status.textContent = json.message || "";
          status.className = "nr-field-error";
        } else if (json.errors) {
          status.textContent = Object.values(json.errors).join(" ");
          status.className = "nr-field-error";
        }
      });
    }).catch(function () { /* offline: the next change tries again */ });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(save, 3000);
  });
  form.addEventListener("submit", function () { stopped = true; });
})();
