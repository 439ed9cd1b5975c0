// The newsroom's script: the editor (Markdown toolbar, word count and reading time,
// picture uploads by button, drag-and-drop and paste, inserted at the cursor as
// Markdown), the pictures dialog, the media library (uploads with progress, focal
// point), pickers and the keeping of typed text. Everything here is an enhancement:
// without scripts every form still works.

// Uploads one picture with progress (XMLHttpRequest: fetch cannot report an upload's
// progress). Resolves with the library's answer ({id, markdown, url, …}); rejects with
// the server's message.
function bylineUpload(url, csrf, file, fields, progress) {
  return new Promise(function (resolve, reject) {
    var data = new FormData();
    data.append("file", file, file.name || "pasted.png");
    Object.keys(fields || {}).forEach(function (k) { data.append(k, fields[k]); });
    var xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable && progress) progress(Math.round(100 * e.loaded / e.total));
    });
    xhr.addEventListener("load", function () {
      var json = {};
      try { json = JSON.parse(xhr.responseText); } catch (e) { /* not JSON: the status says it */ }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(json);
      var e = new Error(json.detail || ("HTTP " + xhr.status));
      e.status = xhr.status;
      e.field = json.field;
      reject(e);
    });
    xhr.addEventListener("error", function () {
      var e = new Error("network");
      e.status = 0;
      reject(e);
    });
    xhr.send(data);
  });
}

function bylineImages(list) {
  return Array.prototype.filter.call(list || [], function (f) {
    return f.type && f.type.indexOf("image/") === 0;
  });
}

// A progress bar and its words (`[data-progress]`) for a series of uploads.
function bylineProgress(box) {
  var bar = box.querySelector("progress"), words = box.querySelector("[role=status]");
  return {
    start: function () { box.hidden = false; bar.value = 0; words.className = ""; words.textContent = words.dataset.busy; },
    at: function (n) { bar.value = n; },
    done: function (text) { bar.value = 100; words.textContent = words.dataset.done + (text ? " " + text : ""); },
    fail: function (err) { words.textContent = bylineUploadMessage(words, err); words.className = "nr-field-error"; },
  };
}

// A refused upload in the newsroom's language (`data-too-big`, `data-not-picture`,
// `data-offline` on the status element), else the server's own words.
function bylineUploadMessage(words, err) {
  if (err.status === 413 && words.dataset.tooBig) return words.dataset.tooBig;
  if (err.status === 400 && err.field === "file" && words.dataset.notPicture) return words.dataset.notPicture;
  if (err.status === 0 && words.dataset.offline) return words.dataset.offline;
  return err.message;
}

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
  // A section is named in each edition: its options follow the edition select (the
  // server put every edition's name on each option as `data-name-<edition>`).
  var editionSelect = document.getElementById("edition");
  var sectionSelect = document.getElementById("section");
  if (editionSelect && sectionSelect) {
    editionSelect.addEventListener("change", function () {
      Array.prototype.forEach.call(sectionSelect.options, function (o) {
        var name = o.getAttribute("data-name-" + editionSelect.value);
        if (name) o.textContent = name;
      });
    });
  }
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

  // The toolbar's words in the newsroom's language: a button's name (lower case) is the
  // text put in when nothing is selected, its `data-prompt` the question it asks.
  function word(tool, fallback) {
    var b = document.querySelector(".nr-toolbar [data-md=" + tool + "]");
    return (b && b.getAttribute("aria-label") || fallback).toLowerCase();
  }
  function question(tool, fallback) {
    var b = document.querySelector(".nr-toolbar [data-md=" + tool + "]");
    return (b && b.dataset.prompt) || fallback;
  }

  var tools = {
    heading: function () { linePrefix("## "); },
    bold: function () { insert("**", "**", word("bold", "bold")); },
    italic: function () { insert("_", "_", word("italic", "italic")); },
    link: function () {
      var url = window.prompt(question("link", "URL"), "https://");
      if (url && url !== "https://") insert("[", "](" + url.trim() + ")", word("link", "link"));
    },
    quote: function () { linePrefix("> "); },
    list: function () { linePrefix("- "); },
    numbered: function () { linePrefix("1. "); },
    // The pictures dialog (library, upload, alt text) when the page has it.
    image: function () {
      if (window.BylinePictures) window.BylinePictures.open("body");
      else document.getElementById("upload-file").click();
    },
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
          var e = new Error(json.detail || ("HTTP " + response.status));
          e.status = response.status;
          e.field = json.field;
          status.textContent = bylineUploadMessage(status, e);
          status.className = "nr-upload-status nr-field-error";
          return;
        }
        // A paragraph of its own, so the picture becomes a figure with its caption.
        insert("\n\n" + json.markdown + "\n\n", "", "");
        status.textContent = status.dataset.done + " (media:" + json.id + ")";
        fileInput.value = "";
      });
    }).catch(function () {
      status.textContent = bylineUploadMessage(status, { status: 0, message: "network" });
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
      if (!slug && box.dataset.mayCreate !== undefined) {
        // Editors add a tag by naming it: "+Name" asks the server to create it on save.
        slug = "+" + typed.replace(/,/g, " ");
        names[slug] = typed + " (" + box.dataset.mayCreate + ")";
      }
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
// stops autosaving and says so (the server keeps the typed text as a revision), and so
// does an article deleted meanwhile (the text stays kept in this browser).
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
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
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
        } else if (json.deleted || response.status === 410) {
          // Deleted by someone else: nothing can be saved any more, so no retrying;
          // what was typed stays kept in this browser (keep() on every change).
          stopped = true;
          show(status.dataset.deleted || json.message || "", true);
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
    // After a conflict or a delete the status keeps saying why nothing is saved.
    if (stopped) return;
    show(navigator.onLine === false ? status.dataset.offline : status.dataset.unsaved, navigator.onLine === false);
    clearTimeout(timer);
    timer = setTimeout(save, 3000);
  });
  window.addEventListener("online", save);
  window.addEventListener("offline", function () {
    if (!stopped && dirty()) show(status.dataset.offline, true);
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

// The media library: uploads by button, drop anywhere on the zone and paste, one after
// another with progress, then the page shows them; and the focal point picker.
(function () {
  "use strict";
  var zone = document.querySelector("[data-library-upload]");
  if (zone) {
    var input = zone.querySelector("input[type=file]");
    var bar = bylineProgress(zone.querySelector("[data-progress]"));
    input.multiple = true;
    input.required = false;
    var uploadAll = function (files) {
      if (!files.length) return;
      var fields = { alt: zone.querySelector("[name=alt]").value, credit: zone.querySelector("[name=credit]").value };
      var last = null, chain = Promise.resolve();
      bar.start();
      files.forEach(function (file, i) {
        chain = chain.then(function () {
          return bylineUpload(zone.dataset.upload, zone.dataset.csrf, file, fields, function (p) {
            bar.at(Math.round((100 * i + p) / files.length));
          }).then(function (json) { last = json; });
        });
      });
      chain.then(function () {
        bar.done("");
        // One picture: its page, to describe it; several: the grid, newest first.
        window.location.assign(files.length === 1 && last ? "/newsroom/media/" + last.id : "/newsroom/media");
      }).catch(function (err) { bar.fail(err); });
    };
    zone.addEventListener("submit", function (e) {
      e.preventDefault();
      uploadAll(bylineImages(input.files));
    });
    input.addEventListener("change", function () {
      var files = bylineImages(input.files);
      // Emptied at once: the next choice starts afresh (a refused file is not sent again).
      input.value = "";
      uploadAll(files);
    });
    zone.addEventListener("dragover", function (e) {
      if (e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types, "Files") >= 0) {
        e.preventDefault();
        zone.setAttribute("data-over", "");
      }
    });
    zone.addEventListener("dragleave", function () { zone.removeAttribute("data-over"); });
    zone.addEventListener("drop", function (e) {
      zone.removeAttribute("data-over");
      var files = bylineImages(e.dataTransfer && e.dataTransfer.files);
      if (files.length) { e.preventDefault(); uploadAll(files); }
    });
    document.addEventListener("paste", function (e) {
      var files = bylineImages(e.clipboardData && e.clipboardData.files);
      if (files.length) { e.preventDefault(); uploadAll(files); }
    });
  }

  // The focal point: a click (or Enter on the focused picture, at its middle) sets the
  // two fields; the mark and the crops follow them (object-position through the CSSOM,
  // which the Content-Security-Policy allows, unlike style attributes).
  var focal = document.querySelector("[data-focal]");
  var fx = document.getElementById("focal_x"), fy = document.getElementById("focal_y");
  if (!focal || !fx || !fy) return;
  var mark = focal.querySelector("[data-focal-mark]");
  var crops = document.querySelectorAll("[data-crop]");
  function clamp(v) { v = Math.round(Number(v)); return isNaN(v) ? 50 : Math.max(0, Math.min(100, v)); }
  function show() {
    var x = clamp(fx.value), y = clamp(fy.value);
    mark.hidden = false;
    mark.style.left = x + "%";
    mark.style.top = y + "%";
    Array.prototype.forEach.call(crops, function (img) { img.style.objectPosition = x + "% " + y + "%"; });
  }
  focal.addEventListener("click", function (e) {
    var r = focal.querySelector("img").getBoundingClientRect();
    fx.value = clamp(100 * (e.clientX - r.left) / r.width);
    fy.value = clamp(100 * (e.clientY - r.top) / r.height);
    fx.dispatchEvent(new Event("input", { bubbles: true }));
    show();
  });
  fx.addEventListener("input", show);
  fy.addEventListener("input", show);
  show();
})();

// The pictures dialog of the editor: search the library, upload (choose, drop, paste),
// then insert into the text with alt text (required) or use as the cover or social
// picture. `window.BylinePictures.open(target)`: "body", or the id of a picture field.
(function () {
  "use strict";
  var dialog = document.querySelector("[data-pictures]");
  if (!dialog || typeof dialog.showModal !== "function") return;
  var search = dialog.querySelector("[data-search]"), list = dialog.querySelector("[data-picks]");
  var found = dialog.querySelector("[data-found]"), more = dialog.querySelector("[data-more]");
  // The chosen picture's <img> is made when one is chosen: an image without a source
  // is invalid HTML and never "loaded".
  var chosenBox = dialog.querySelector("[data-chosen]"), chosenImg = null;
  var alt = dialog.querySelector("[data-alt]"), altError = dialog.querySelector("[data-alt-error]");
  var insertButton = dialog.querySelector("[data-insert]"), file = dialog.querySelector("[data-file]");
  var bar = bylineProgress(dialog.querySelector("[data-progress]"));
  var target = "body", chosen = null, page = 1, timer = null, caret = [0, 0];

  function choose(item, button) {
    chosen = item;
    Array.prototype.forEach.call(list.querySelectorAll(".nr-pick"), function (b) { b.setAttribute("aria-pressed", String(b === button)); });
    chosenBox.hidden = false;
    if (!chosenImg) {
      chosenImg = document.createElement("img");
      chosenImg.alt = "";
      chosenBox.insertBefore(chosenImg, chosenBox.firstChild);
    }
    chosenImg.src = item.thumb;
    alt.value = item.alt;
    altError.hidden = true;
    alt.removeAttribute("aria-invalid");
    alt.focus();
  }
  function add(item) {
    var li = document.createElement("li");
    var b = document.createElement("button");
    b.type = "button";
    b.className = "nr-pick";
    b.setAttribute("aria-pressed", "false");
    b.dataset.media = item.id;
    var img = document.createElement("img");
    img.src = item.thumb;
    img.alt = "";
    img.loading = "lazy";
    var name = document.createElement("span");
    name.textContent = item.alt || item.file_name;
    b.appendChild(img);
    b.appendChild(name);
    b.addEventListener("click", function () { choose(item, b); });
    li.appendChild(b);
    list.appendChild(li);
    return b;
  }
  function load(reset) {
    if (reset) { page = 1; list.textContent = ""; }
    var url = dialog.dataset.pick + "?" + new URLSearchParams({ q: search.value, page: String(page) });
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (json) {
        (json.items || []).forEach(add);
        found.textContent = json.total ? "" : found.dataset.none;
        more.hidden = !(json.page < json.pages);
      }).catch(function () {});
  }
  function uploadAll(files) {
    if (!files.length) return;
    bar.start();
    var chain = Promise.resolve();
    files.forEach(function (f) {
      chain = chain.then(function () {
        return bylineUpload(dialog.dataset.upload, dialog.dataset.csrf, f, {}, bar.at).then(function (json) {
          bar.done("");
          // The new picture first in the grid, chosen: its alt text is asked for next.
          var item = { id: json.id, thumb: json.url, alt: "", file_name: f.name || "", markdown: json.markdown };
          var b = add(item);
          list.insertBefore(b.parentNode, list.firstChild);
          choose(item, b);
        });
      });
    });
    chain.catch(function (err) { bar.fail(err); });
  }

  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { load(true); }, 250);
  });
  more.addEventListener("click", function () { page += 1; load(false); });
  file.addEventListener("change", function () { uploadAll(bylineImages(file.files)); file.value = ""; });
  dialog.addEventListener("dragover", function (e) {
    if (e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types, "Files") >= 0) e.preventDefault();
  });
  dialog.addEventListener("drop", function (e) {
    var files = bylineImages(e.dataTransfer && e.dataTransfer.files);
    if (files.length) { e.preventDefault(); uploadAll(files); }
  });
  dialog.addEventListener("paste", function (e) {
    var files = bylineImages(e.clipboardData && e.clipboardData.files);
    if (files.length) { e.preventDefault(); uploadAll(files); }
  });
  dialog.querySelector("[data-close]").addEventListener("click", function () { dialog.close(); });
  insertButton.addEventListener("click", function () {
    if (!chosen) return;
    var text = alt.value.trim().replace(/[\[\]]/g, "");
    if (!text) {
      altError.hidden = false;
      alt.setAttribute("aria-invalid", "true");
      alt.focus();
      return;
    }
    dialog.close();
    if (target === "body") {
      var body = document.getElementById("body");
      // A paragraph of its own, so the picture becomes a figure with its caption; where
      // the caret was when the dialog opened.
      body.setRangeText("\n\n![" + text + "](media:" + chosen.id + ")\n\n", caret[0], caret[1], "end");
      body.focus();
      body.dispatchEvent(new Event("input", { bubbles: true }));
    } else {
      var field = document.getElementById(target);
      field.value = "media:" + chosen.id;
      field.dispatchEvent(new Event("input", { bubbles: true }));
      var box = document.querySelector("[data-choose-for='" + target + "']");
      if (box) showChosen(box, chosen.thumb);
      field.focus();
    }
  });

  function showChosen(box, src) {
    var img = box.querySelector("img");
    if (!img && !src) return;
    if (!img) {
      img = document.createElement("img");
      img.alt = "";
      box.insertBefore(img, box.firstChild);
    }
    img.hidden = !src;
    if (src) img.src = src;
  }
  // "Choose" / "Remove" beside a picture field (the cover); the field stays for those
  // who type `media:N`.
  Array.prototype.forEach.call(document.querySelectorAll("[data-choose-for]"), function (box) {
    var field = document.getElementById(box.dataset.chooseFor);
    box.hidden = false;
    if (field.value.indexOf("/media/") === 0) showChosen(box, field.value);
    box.querySelector("[data-choose]").addEventListener("click", function () { open(box.dataset.chooseFor); });
    box.querySelector("[data-choose-clear]").addEventListener("click", function () {
      field.value = "";
      field.dispatchEvent(new Event("input", { bubbles: true }));
      showChosen(box, "");
    });
  });

  function open(forWhat) {
    target = forWhat;
    var body = document.getElementById("body");
    if (body) caret = [body.selectionStart, body.selectionEnd];
    insertButton.textContent = forWhat === "body" ? insertButton.dataset.bodyLabel : insertButton.dataset.coverLabel;
    chosen = null;
    chosenBox.hidden = true;
    search.value = "";
    dialog.showModal();
    search.focus();
    load(true);
  }
  window.BylinePictures = { open: open };
})();

// Presence: while an article is open, the page says so every 5 seconds and shows who
// else has it open ("Also here now: Ana"), before a save conflict would have to.
(function () {
  "use strict";
  var line = document.querySelector("[data-presence]");
  if (!line) return;
  function beat() {
    if (document.hidden) return;
    fetch(line.dataset.presence, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": line.dataset.csrf, Accept: "application/json" },
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (json) {
      if (!json) return;
      var text = json.others.length ? line.dataset.others + " " + json.others.join(", ") : "";
      if (line.textContent !== text) line.textContent = text;
    }).catch(function () {});
  }
  setInterval(beat, 5000);
  document.addEventListener("visibilitychange", beat);
})();
