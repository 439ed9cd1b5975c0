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
  // Moves that change what readers see (publish now, unpublish, delete) ask first.
  Array.prototype.forEach.call(document.querySelectorAll("form[data-confirm]"), function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.dataset.confirm)) e.preventDefault();
    });
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
  // Shortcuts as in every editor: Ctrl/⌘+B, I, K; Ctrl/⌘+Alt+2 and 3 for headings.
  var shortcuts = { b: "bold", i: "italic", k: "link" };
  body.addEventListener("keydown", function (e) {
    if (!(e.ctrlKey || e.metaKey) || e.shiftKey) return;
    var key = e.key.toLowerCase();
    if (e.altKey && (e.code === "Digit2" || e.code === "Digit3")) {
      e.preventDefault();
      linePrefix(e.code === "Digit2" ? "## " : "### ");
    } else if (!e.altKey && shortcuts[key]) {
      e.preventDefault();
      tools[shortcuts[key]]();
    }
  });

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

  // The preview stands beside the text where there is room (opened there; a toggle
  // under the text on a narrow screen).
  var wide = window.matchMedia("(min-width: 70rem)");
  function placePreview() { if (live && wide.matches) live.open = true; }
  placePreview();
  wide.addEventListener("change", placePreview);

  // Distraction-free writing: only the text, its toolbar, the preview and Save; Esc or
  // the same button leaves.
  var focusButton = document.querySelector("[data-focus-mode]");
  function setFocus(on) {
    document.body.classList.toggle("nr-focus", on);
    if (focusButton) focusButton.setAttribute("aria-pressed", on ? "true" : "false");
  }
  if (focusButton) {
    focusButton.addEventListener("click", function () {
      setFocus(!document.body.classList.contains("nr-focus"));
      body.focus();
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && document.body.classList.contains("nr-focus")) setFocus(false);
    });
  }

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

// Pickers for tags and bylines: the form field keeps the comma-separated slugs (what the
// server reads, and what works without this script); the script hides it behind chips
// of the chosen names and a field that suggests from the outlet's list as one types.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-picker]"), function (box) {
    var field = box.querySelector("input");
    var list = document.getElementById(field.getAttribute("list"));
    if (!list) return;
    var names = {}, bySlugOrName = {};
    Array.prototype.forEach.call(list.options, function (o) {
      names[o.value] = o.textContent;
      bySlugOrName[o.value.toLowerCase()] = o.value;
      bySlugOrName[o.textContent.trim().toLowerCase()] = o.value;
    });
    var chosen = field.value.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
    var chips = document.createElement("ul");
    chips.className = "nr-chips";
    chips.setAttribute("data-testid", "chips-" + box.dataset.picker);
    var search = document.createElement("input");
    search.id = field.id + "-pick";
    search.setAttribute("list", list.id);
    search.setAttribute("autocomplete", "off");
    search.setAttribute("data-testid", "pick-" + box.dataset.picker);
    var message = document.createElement("p");
    message.className = "nr-field-error";
    message.setAttribute("role", "status");
    // The label now names the search field; the slugs travel hidden.
    box.querySelector("label").setAttribute("for", search.id);
    field.type = "hidden";
    field.removeAttribute("list");
    field.insertAdjacentElement("afterend", search);
    search.insertAdjacentElement("beforebegin", chips);
    search.insertAdjacentElement("afterend", message);

    function sync() {
      field.value = chosen.join(", ");
      chips.textContent = "";
      chosen.forEach(function (slug, i) {
        var li = document.createElement("li");
        var name = names[slug] || slug;
        var button = document.createElement("button");
        button.type = "button";
        button.className = "nr-chip";
        button.textContent = name + " ×";
        button.setAttribute("aria-label", box.dataset.remove + ": " + name);
        button.addEventListener("click", function () {
          chosen.splice(i, 1);
          sync();
          field.dispatchEvent(new Event("input", { bubbles: true }));
          search.focus();
        });
        li.appendChild(button);
        chips.appendChild(li);
      });
    }
    function pick() {
      var typed = search.value.trim();
      if (!typed) return;
      var slug = bySlugOrName[typed.toLowerCase()];
      if (!slug) {
        message.textContent = box.dataset.unknown + " " + typed;
        return;
      }
      message.textContent = "";
      if (chosen.indexOf(slug) < 0) chosen.push(slug);
      search.value = "";
      sync();
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
    // A choice from the suggestions arrives as an input whose value is a whole slug.
    search.addEventListener("input", function () {
      if (names[search.value]) pick();
    });
    search.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        e.preventDefault();
        pick();
      } else if (e.key === "Backspace" && !search.value && chosen.length) {
        chosen.pop();
        sync();
        field.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
    search.addEventListener("change", pick);
    sync();
  });
})();

// Nothing typed is lost. Every change to an editor form (`data-keep`: the account and
// the form's address, so two people sharing a computer never see each other's text) is
// kept in this browser (localStorage) until the server has it; a draft (`data-autosave`) is also
// saved a few seconds after typing stops, with the revision it is based on, and again
// as soon as the network is back. The state shows beside the Save button ("Saved 12:03",
// "Offline — changes kept in this browser"); leaving with unsaved changes asks first;
// changes the server never got are offered back when the form opens again. A conflict
// stops autosaving and says so (the server keeps the typed text as a revision).
(function () {
  "use strict";
  var form = document.querySelector("form[data-keep]");
  if (!form) return;
  var status = form.querySelector("[data-testid=autosave]");
  var revision = form.querySelector("input[name=revision]");
  var key = "byline-unsaved:" + form.dataset.keep;
  var timer = null, stopped = false, submitting = false;

  function snapshot() {
    var data = new URLSearchParams(new FormData(form));
    data.delete("csrf");
    data.delete("revision");
    return data.toString();
  }
  function show(text, bad) {
    if (!status) return;
    status.textContent = text;
    status.className = "nr-keep-status" + (bad ? " nr-field-error" : "");
  }
  function clock(at) {
    return new Date(at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }
  function stored() {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function keep() {
    try { localStorage.setItem(key, JSON.stringify({ at: Date.now(), form: snapshot() })); } catch (e) { /* full or off: the page still has it */ }
  }
  function forget(k) {
    try { localStorage.removeItem(k || key); } catch (e) { /* nothing kept */ }
  }

  // A form sent last time (a new article's, whose address changes once saved) was
  // received when the page it led to shows no error: its kept copy can go.
  var sent = null;
  try { sent = sessionStorage.getItem("byline-submitted"); sessionStorage.removeItem("byline-submitted"); } catch (e) { /* no session storage */ }
  if (sent && !document.querySelector(".nr-error, .nr-conflict")) forget(sent);

  var last = snapshot(); // what the server has
  function dirty() { return snapshot() !== last; }

  var kept = stored();
  var offer = document.querySelector("[data-testid=keep-offer]");
  if (kept && kept.form !== last && offer) {
    offer.querySelector("[data-keep-time]").textContent = "(" + clock(kept.at) + ")";
    offer.hidden = false;
    offer.querySelector("[data-keep-restore]").addEventListener("click", function () {
      var fields = new URLSearchParams(kept.form);
      fields.forEach(function (value, name) {
        var field = form.elements[name];
        if (field && field.type !== "hidden" && field.type !== "checkbox") field.value = value;
      });
      offer.hidden = true;
      form.dispatchEvent(new Event("input", { bubbles: true }));
      var body = document.getElementById("body");
      if (body) body.dispatchEvent(new Event("input"));
    });
    offer.querySelector("[data-keep-discard]").addEventListener("click", function () {
      forget();
      offer.hidden = true;
    });
  } else if (kept) {
    forget();
  }

  function save() {
    if (stopped || submitting || !form.dataset.autosave || !dirty()) return;
    if (navigator.onLine === false) {
      show(status.dataset.offline, true);
      return;
    }
    var text = snapshot();
    var payload = new URLSearchParams(new FormData(form));
    show(status.dataset.saving);
    fetch(form.dataset.autosave, {
      method: "POST",
      body: payload,
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (json.saved) {
          last = text;
          revision.value = json.revision;
          if (!dirty()) forget();
          show(status.dataset.saved + " " + clock(Date.now()));
        } else if (json.conflict || response.status === 409) {
          stopped = true;
          show(json.message || "", true);
        } else if (json.errors) {
          show(Object.values(json.errors).join(" "), true);
        } else {
          show(status.dataset.offline, true);
        }
      });
    }).catch(function () {
      // The network dropped: the text stays kept here; "online" tries again.
      show(status.dataset.offline, true);
    });
  }

  form.addEventListener("input", function () {
    keep();
    show(navigator.onLine === false ? status.dataset.offline : status.dataset.unsaved, navigator.onLine === false);
    clearTimeout(timer);
    timer = setTimeout(save, 3000);
  });
  window.addEventListener("online", save);
  window.addEventListener("offline", function () {
    if (dirty()) show(status.dataset.offline, true);
  });
  form.addEventListener("submit", function () {
    submitting = true;
    keep();
    try { sessionStorage.setItem("byline-submitted", key); } catch (e) { /* kept copy stays until next time */ }
  });
  window.addEventListener("beforeunload", function (e) {
    if (!submitting && dirty()) {
      e.preventDefault();
      e.returnValue = "";
    }
  });
})();
