/* Byline reader site: progressive enhancement only. Every page works without it.
   Theme and font size (the inline script in <head> applies them before first paint),
   search overlay, copy link, print, load more / infinite scroll, view beacon. */
(function () {
  "use strict";

  var doc = document;
  var root = doc.documentElement;
  var THEME_KEY = "byline-theme";
  var FONT_KEY = "byline-font";
  var FONT_MIN = 0, FONT_MAX = 4, FONT_DEFAULT = 2;

  function $(sel, ctx) { return (ctx || doc).querySelector(sel); }
  function $$(sel, ctx) { return Array.prototype.slice.call((ctx || doc).querySelectorAll(sel)); }
  function read(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function write(key, value) { try { localStorage.setItem(key, value); } catch (e) { /* private mode */ } }

  root.classList.add("js");

  /* ------------------------------------------------------ breaking news */

  // A dismissed alert stays dismissed on this device (each alert by its id); a new
  // alert shows again.
  $$("[data-alert-id]").forEach(function (banner) {
    var key = "byline-alert-" + banner.getAttribute("data-alert-id");
    if (read(key)) { banner.hidden = true; return; }
    var close = $("[data-dismiss-alert]", banner);
    if (close) close.addEventListener("click", function () {
      write(key, "dismissed");
      banner.hidden = true;
    });
  });

  /* ---------------------------------------------------------------- theme */

  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function applyTheme(theme) {
    var dark = theme === "dark";
    root.classList.toggle("dark", dark);
    root.classList.toggle("light", !dark);
    $$("[data-testid='theme-toggle']").forEach(function (b) {
      b.setAttribute("aria-pressed", dark ? "true" : "false");
    });
    // The browser chrome follows the page, not only the OS.
    var bg = getComputedStyle(doc.body || root).backgroundColor;
    $$("meta[name='theme-color']").forEach(function (m) { if (bg) m.setAttribute("content", bg); });
  }

  function currentTheme() { return root.classList.contains("dark") ? "dark" : "light"; }

  applyTheme(currentTheme());

  $$("[data-testid='theme-toggle']").forEach(function (button) {
    button.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      applyTheme(next);
      write(THEME_KEY, next);
    });
  });

  if (darkQuery) {
    var onScheme = function (e) {
      var saved = read(THEME_KEY);
      if (saved !== "light" && saved !== "dark") applyTheme(e.matches ? "dark" : "light");
    };
    if (darkQuery.addEventListener) darkQuery.addEventListener("change", onScheme);
    else if (darkQuery.addListener) darkQuery.addListener(onScheme);
  }

  /* ---------------------------------------------------------------- font size */

  function currentFont() {
    var f = parseInt(root.getAttribute("data-font"), 10);
    return isNaN(f) ? FONT_DEFAULT : f;
  }

  function syncFontButtons() {
    var f = currentFont();
    $$("[data-testid='font-up']").forEach(function (b) { b.disabled = f >= FONT_MAX; });
    $$("[data-testid='font-down']").forEach(function (b) { b.disabled = f <= FONT_MIN; });
  }

  function setFont(f) {
    f = Math.max(FONT_MIN, Math.min(FONT_MAX, f));
    root.setAttribute("data-font", String(f));
    write(FONT_KEY, String(f));
    syncFontButtons();
  }

  $$("[data-font-step]").forEach(function (button) {
    button.addEventListener("click", function () {
      setFont(currentFont() + parseInt(button.getAttribute("data-font-step"), 10));
    });
  });
  syncFontButtons();

  /* ---------------------------------------------------------------- search overlay */

  var overlay = $("[data-testid='search-overlay']");
  var openers = $$("[data-testid='search-open']");
  var lastOpener = null;

  function openSearch(opener) {
    if (!overlay || typeof overlay.showModal !== "function") return false;
    lastOpener = opener || doc.activeElement;
    if (!overlay.open) overlay.showModal();
    var input = $("input[name='q']", overlay);
    if (input) { input.focus(); input.select(); }
    return true;
  }

  if (overlay && typeof overlay.showModal === "function") {
    openers.forEach(function (a) {
      a.setAttribute("role", "button");
      a.setAttribute("aria-haspopup", "dialog");
      a.addEventListener("click", function (e) {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button > 0) return;
        if (openSearch(a)) e.preventDefault();
      });
      a.addEventListener("keydown", function (e) {
        if (e.key === " ") { e.preventDefault(); openSearch(a); }
      });
    });
    overlay.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { e.preventDefault(); overlay.close(); }
    });
    overlay.addEventListener("click", function (e) {
      if (e.target === overlay) overlay.close(); // click on the backdrop
    });
    overlay.addEventListener("close", function () {
      if (lastOpener && lastOpener.focus) lastOpener.focus();
    });
    doc.addEventListener("keydown", function (e) {
      if (e.key !== "/" || e.metaKey || e.ctrlKey || e.altKey || overlay.open) return;
      var t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      e.preventDefault();
      openSearch(openers[0]);
    });
  }

  /* ---------------------------------------------------------------- search suggestions */

  // Titles as the reader types (GET data-suggest-url&q=…). Without the script the
  // overlay is a plain search form; with it, arrows move through the suggestions and
  // Enter on one opens it. Only the newest answer is shown (typing fast sends many).
  $$("input[data-suggest-url]").forEach(function (input) {
    var list = doc.getElementById(input.getAttribute("aria-controls"));
    if (!list || !window.fetch) return;
    var timer = null, seq = 0, shown = 0;

    function clear() {
      list.textContent = "";
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }
    function render(items) {
      list.textContent = "";
      items.forEach(function (item, i) {
        var li = doc.createElement("li");
        li.setAttribute("role", "option");
        var a = doc.createElement("a");
        a.href = item.url;
        a.textContent = item.title; // text, never HTML
        a.id = "search-suggestion-" + i;
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }
    function ask() {
      var q = input.value.trim();
      if (q.length < 2) { clear(); return; }
      var mine = ++seq;
      fetch(input.getAttribute("data-suggest-url") + "&q=" + encodeURIComponent(q), {
        credentials: "same-origin", headers: { "Accept": "application/json" }
      })
        .then(function (res) { return res.ok ? res.json() : { suggestions: [] }; })
        .then(function (data) {
          if (mine <= shown) return;
          shown = mine;
          render((data && data.suggestions) || []);
        })
        .catch(function () { /* suggestions are a nicety; the form still works */ });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 120);
    });
    function links() { return $$("a", list); }
    function move(from, step) {
      var all = links();
      if (!all.length) return;
      var i = all.indexOf(from);
      var next = i + step;
      if (next < 0) { input.focus(); return; }
      all[Math.min(next, all.length - 1)].focus();
    }
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && !list.hidden) { e.preventDefault(); move(null, 1); }
    });
    list.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); move(doc.activeElement, 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); move(doc.activeElement, -1); }
    });
  });

  /* ---------------------------------------------------------------- toast, copy, print */

  var toastTimer = null;
  function toast(message) {
    var el = $("[data-testid='toast']");
    if (!el) return;
    el.textContent = message || el.getAttribute("data-message") || "";
    el.classList.add("is-visible");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () {
      el.classList.remove("is-visible");
      setTimeout(function () { if (!el.classList.contains("is-visible")) el.textContent = ""; }, 300);
    }, 2000);
  }

  function copyFallback(text) {
    var ta = doc.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.position = "fixed";
    ta.style.top = "-1000px";
    doc.body.appendChild(ta);
    ta.select();
    var ok = false;
    try { ok = doc.execCommand("copy"); } catch (e) { ok = false; }
    doc.body.removeChild(ta);
    return ok;
  }

  $$("[data-testid='copy-link']").forEach(function (button) {
    button.addEventListener("click", function () {
      var url = button.getAttribute("data-copy-url") || location.href;
      var okText = button.getAttribute("data-copied");
      var failText = button.getAttribute("data-copy-failed") || url;
      var done = function () { toast(okText); };
      var fail = function () { if (copyFallback(url)) done(); else toast(failText); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(done, fail);
      } else {
        fail();
      }
    });
  });

  $$("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  /* ---------------------------------------------------------------- load more */

  // Fetches a cards fragment (partials/cards.html), appends its cards to `list` and
  // resolves to the fragment's own next URL (or null on the last page).
  function loadFragment(url, list) {
    list.setAttribute("aria-busy", "true");
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (res) {
        if (!res.ok) throw new Error("HTTP " + res.status);
        return res.text();
      })
      .then(function (html) {
        var tpl = doc.createElement("template");
        tpl.innerHTML = html;
        var next = null;
        $$("[data-more-url]", tpl.content).forEach(function (el) {
          next = el.getAttribute("data-more-url") || null;
          el.parentNode.removeChild(el);
        });
        var first = $("[data-testid='card']", tpl.content);
        list.appendChild(tpl.content);
        list.removeAttribute("aria-busy");
        return { next: next, first: first };
      })
      .catch(function (err) {
        list.removeAttribute("aria-busy");
        throw err;
      });
  }

  function focusCard(card) {
    var link = card && $(".card-title a", card);
    if (link) link.focus({ preventScroll: false });
  }

  // "Load more" button on section / tag / author / search pages.
  $$("[data-feed]").forEach(function (feed) {
    var list = $("[data-feed-list]", feed);
    if (!list || !window.fetch) return;

    $$("a[data-testid='load-more'][data-more-url]", feed).forEach(function (button) {
      var label = button.textContent;
      var busy = false;
      button.setAttribute("role", "button");
      button.addEventListener("click", function (e) {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button > 0) return;
        var url = button.getAttribute("data-more-url");
        if (!url) return;
        e.preventDefault();
        if (busy) return;
        busy = true;
        button.setAttribute("aria-busy", "true");
        button.textContent = button.getAttribute("data-loading") || label;
        loadFragment(url, list).then(function (r) {
          busy = false;
          button.removeAttribute("aria-busy");
          button.textContent = label;
          if (r.next) {
            button.setAttribute("data-more-url", r.next);
          } else {
            var wrap = button.parentNode;
            button.parentNode.removeChild(button);
            if (wrap && wrap.children.length === 0) wrap.parentNode.removeChild(wrap);
          }
          focusCard(r.first);
        }, function () {
          // Fall back to the plain next-page link.
          busy = false;
          location.href = button.href;
        });
      });
    });

    // Infinite scroll (the section block under an article).
    $$("[data-feed-auto][data-more-url]", feed).forEach(function (sentinel) {
      var manualButton = $(".feed-more-btn", sentinel);
      var autoLeft = 5; // then switch to a button, so the footer stays reachable
      var busy = false;
      var io = null;

      function finish() {
        if (io) io.disconnect();
        sentinel.parentNode.removeChild(sentinel);
      }
      function manual() {
        if (io) io.disconnect();
        sentinel.classList.add("is-manual");
        if (manualButton) manualButton.hidden = false;
      }
      function load(fromButton) {
        var url = sentinel.getAttribute("data-more-url");
        if (busy || !url) return;
        busy = true;
        sentinel.classList.add("is-loading");
        if (manualButton) manualButton.hidden = true;
        loadFragment(url, list).then(function (r) {
          busy = false;
          sentinel.classList.remove("is-loading");
          if (!r.next) { finish(); return; }
          sentinel.setAttribute("data-more-url", r.next);
          if (fromButton) focusCard(r.first);
          if (sentinel.classList.contains("is-manual")) { manual(); return; }
          autoLeft -= 1;
          if (autoLeft <= 0) { manual(); return; }
          // Re-observe: fires again at once if the sentinel is still in view.
          io.unobserve(sentinel);
          io.observe(sentinel);
        }, function () {
          busy = false;
          sentinel.classList.remove("is-loading");
          manual();
        });
      }

      if (manualButton) manualButton.addEventListener("click", function () { load(true); });

      if ("IntersectionObserver" in window) {
        io = new IntersectionObserver(function (entries) {
          entries.forEach(function (entry) { if (entry.isIntersecting) load(false); });
        }, { rootMargin: "0px 0px 400px 0px" });
        io.observe(sentinel);
      } else {
        manual();
      }
    });
  });

  /* ---------------------------------------------------------------- wide tables */

  // A table wider than the column scrolls sideways; make it reachable by keyboard.
  function markScrollable() {
    $$("[data-testid='body'] table").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1) table.setAttribute("tabindex", "0");
      else table.removeAttribute("tabindex");
    });
  }
  markScrollable();
  window.addEventListener("resize", markScrollable);

  /* ---------------------------------------------------------- click-to-load embeds */
  /* Embedded posts are plain links until the reader asks: no request goes to YouTube,
     X or Telegram before the click. */

  // Page data never picks a property of a plain object (`constructor`, `__proto__`…):
  // a Map holds only these three, and each checks the id's shape (as the server's
  // sanitizer does) before it makes an address.
  var players = new Map([
    ["youtube", function (id) {
      return /^[A-Za-z0-9_-]{11}$/.test(id) ? "https://www.youtube-nocookie.com/embed/" + id + "?autoplay=1" : null;
    }],
    ["x", function (id) {
      return /^[0-9]{1,25}$/.test(id) ? "https://platform.twitter.com/embed/Tweet.html?id=" + id : null;
    }],
    ["telegram", function (id) {
      return /^[A-Za-z0-9_]{1,64}\/[0-9]{1,25}$/.test(id) ? "https://t.me/" + id + "?embed=1" : null;
    }]
  ]);
  function activateEmbeds(root) { $$("figure[data-embed]", root).forEach(activateEmbed); }
  function activateEmbed(figure) {
    var kind = figure.getAttribute("data-embed"), id = figure.getAttribute("data-embed-id") || "";
    var player = players.get(kind);
    var src = player ? player(id) : null;
    if (!src) return;
    var button = doc.createElement("button");
    button.type = "button";
    button.className = "embed-load";
    button.textContent = (doc.documentElement.getAttribute("data-embed-label") || "Load") + " ▶";
    button.addEventListener("click", function () {
      var frame = doc.createElement("iframe");
      frame.src = src;
      frame.title = kind;
      frame.loading = "lazy";
      frame.allow = "autoplay; encrypted-media; picture-in-picture";
      frame.setAttribute("allowfullscreen", "");
      frame.className = "embed-frame embed-frame-" + kind;
      figure.appendChild(frame);
      button.remove();
    });
    figure.appendChild(button);
  }
  activateEmbeds(doc);

  /* ---------------------------------------------------------------- live blogs */

  /* New entries arrive over Server-Sent Events but wait behind a "Show new updates"
     button, so the page never jumps under a reader; edits and deletions apply in place.
     The browser resumes after a drop with Last-Event-ID; the server says 204 (the
     stream stops) when the blog has ended, or sends "end". */
  var live = $("[data-live-events]");
  if (live && window.EventSource) {
    var list = $("[data-live-entries]", live), pinnedSlot = $("[data-live-pinned]", live);
    var newBox = $("[data-live-new]", live), newButton = newBox && $("button", newBox);
    var status = $("[data-live-status]", live);
    var waiting = [];
    var fromHtml = function (html) {
      var box = doc.createElement("div");
      box.innerHTML = html; // the server's own rendering of sanitized entry HTML
      return box.firstElementChild;
    };
    // Entries in their order (newest first) by creation time.
    var place = function (el) {
      var created = Number(el.getAttribute("data-created"));
      var after = $$("[data-entry-id]", list).filter(function (other) {
        return Number(other.getAttribute("data-created")) > created;
      });
      var before = after.length ? after[after.length - 1].nextElementSibling : list.firstElementChild;
      list.insertBefore(el, before);
      activateEmbeds(el);
    };
    var pin = function (el) {
      var old = pinnedSlot.firstElementChild;
      if (old && old !== el) { old.classList.remove("live-entry-pinned"); place(old); }
      pinnedSlot.appendChild(el);
      activateEmbeds(el);
    };
    var showWaiting = function () {
      if (!newButton) return;
      newBox.hidden = waiting.length === 0;
      newButton.textContent = newButton.getAttribute("data-label") + " (" + waiting.length + ")";
      if (status) status.textContent = waiting.length ? status.getAttribute("data-label") + " " + waiting.length : "";
    };
    if (newButton) {
      newButton.addEventListener("click", function () {
        var first = null;
        waiting.forEach(function (item) {
          var el = fromHtml(item.element);
          if (item.pinned) pin(el); else place(el);
          if (!first || Number(el.getAttribute("data-created")) > Number(first.getAttribute("data-created"))) first = el;
        });
        waiting = [];
        showWaiting();
        if (first) {
          first.setAttribute("tabindex", "-1");
          first.focus();
        }
      });
    }
    var streamUrl = live.getAttribute("data-live-events"), source = null, lastId = null, wait = 2000;
    var onEntry = function (ev) {
      var item;
      try { item = JSON.parse(ev.data); } catch (e) { return; }
      var existing = doc.getElementById("entry-" + item.id);
      waiting = waiting.filter(function (w) { return w.id !== item.id; });
      if (existing) {
        var el = fromHtml(item.element);
        existing.replaceWith(el);
        if (item.pinned) pin(el);
        else if (el.parentNode === pinnedSlot) place(el);
        activateEmbeds(el);
      } else {
        waiting.push(item);
      }
      showWaiting();
    };
    var onDelete = function (ev) {
      var item;
      try { item = JSON.parse(ev.data); } catch (e) { return; }
      var existing = doc.getElementById("entry-" + item.id);
      if (existing) existing.remove();
      waiting = waiting.filter(function (w) { return w.id !== item.id; });
      showWaiting();
    };
    var ended = function () {
      if (source) source.close();
      source = null;
      var title = $("[data-live-title]", live);
      if (title) title.textContent = title.getAttribute("data-ended-text");
    };
    // Only the server's word ends the blog: 204 (nothing to stream), 404/410 (gone) or
    // "end". Other failures (a 503 under load or while a node stops, a proxy's 502
    // during a deploy) are retried with back-off and jitter, resuming after the last
    // entry seen (or the page's own, before any). The probe is a HEAD: it holds nothing.
    var reloadKey = "byline-live-reload-" + streamUrl;
    var retry = function () {
      var url = lastId ? streamUrl.replace(/after=\d+/, "after=" + lastId) : streamUrl;
      setTimeout(function () {
        if (!window.fetch) return open(url);
        fetch(url, { method: "HEAD" })
          .then(function (res) {
            if (res.status === 204 || res.status === 404 || res.status === 410) ended();
            else if (res.ok) open(url);
            else retry();
          })
          .catch(retry);
      }, wait * (0.75 + Math.random() / 2));
      wait = Math.min(wait * 2, 60000);
    };
    var open = function (url) {
      source = new EventSource(url);
      var seen = function (ev) {
        if (ev.lastEventId) lastId = ev.lastEventId;
        wait = 2000;
        try { sessionStorage.removeItem(reloadKey); } catch (e) { /* private mode */ }
      };
      source.addEventListener("entry", function (ev) { seen(ev); onEntry(ev); });
      source.addEventListener("delete", function (ev) { seen(ev); onDelete(ev); });
      source.addEventListener("end", ended);
      source.addEventListener("reload", function () {
        source.close();
        source = null;
        // Too far behind to replay: the page is fresher. At most once in a row: a page
        // that keeps asking would loop (its refresh link and a later visit remain).
        try { if (sessionStorage.getItem(reloadKey)) return; sessionStorage.setItem(reloadKey, "1"); } catch (e) { return; }
        location.reload();
      });
      source.addEventListener("error", function () {
        if (source && source.readyState === EventSource.CLOSED) { source.close(); source = null; retry(); }
      });
    };
    open(streamUrl);
  }

  /* ---------------------------------------------------------------- push alerts */
  /* The footer's signup, shown only where the browser can receive Web Push. Turning
     alerts on asks for permission, registers /sw.js, subscribes with the outlet's key
     and sends the subscription for this edition; turning them off removes this
     edition's, and the browser's subscription when no edition is left. */

  var signup = $(".push-signup");
  if (signup && window.fetch && "serviceWorker" in navigator && "PushManager" in window &&
      "Notification" in window) {
    var pushEdition = signup.getAttribute("data-push-edition");
    var pushToggle = $(".push-toggle", signup);
    var pushStatus = $(".push-status", signup);
    var pushKeyEvents = $("input[name=push_key_events]", signup);
    var pushStored = "byline-push-" + pushEdition;
    var pushShow = function (on) {
      pushToggle.textContent = signup.getAttribute(on ? "data-label-on" : "data-label-off");
      pushToggle.setAttribute("data-state", on ? "on" : "off");
    };
    var pushSay = function (which) {
      pushStatus.textContent = signup.getAttribute("data-msg-" + which) || "";
    };
    var keyBytes = function (b64) {
      var padded = (b64 + "===".slice((b64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
      var raw = atob(padded);
      var bytes = new Uint8Array(raw.length);
      for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
      return bytes;
    };
    var pushSend = function (method, body) {
      return fetch("/api/v1/push/subscriptions", {
        method: method,
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body)
      }).then(function (res) {
        if (!res.ok && !(method === "DELETE" && res.status === 404)) throw new Error(String(res.status));
      });
    };
    var sameKey = function (a, b) {
      if (!a || !b) return false;
      var x = new Uint8Array(a), y = new Uint8Array(b);
      if (x.length !== y.length) return false;
      for (var i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
      return true;
    };
    var subscribeWith = function (reg) {
      var key = keyBytes(signup.getAttribute("data-push-key"));
      var options = { userVisibleOnly: true, applicationServerKey: key };
      return reg.pushManager.getSubscription().then(function (existing) {
        if (!existing) return reg.pushManager.subscribe(options);
        /* A subscription made with another key cannot carry this outlet's pushes: renew it. */
        var used = existing.options && existing.options.applicationServerKey;
        if (!used || sameKey(used, key)) return existing;
        return existing.unsubscribe().then(function () { return reg.pushManager.subscribe(options); });
      });
    };
    var forget = function () {
      try { localStorage.removeItem(pushStored); } catch (e) { /* private mode */ }
    };
    var pushStart = function () {
      return Promise.resolve(Notification.requestPermission()).then(function (permission) {
        if (permission !== "granted") throw new Error("denied");
        return navigator.serviceWorker.register("/sw.js", { scope: "/" })
          .then(function () { return navigator.serviceWorker.ready; });
      }).then(subscribeWith).then(function (subscription) {
        return pushSend("POST", {
          edition: pushEdition,
          key_events: pushKeyEvents.checked,
          subscription: subscription.toJSON()
        });
      }).then(function () {
        write(pushStored, pushKeyEvents.checked ? "key_events" : "on");
        pushShow(true);
        pushSay("on");
      });
    };
    var pushStop = function () {
      return navigator.serviceWorker.getRegistration("/").then(function (reg) {
        return reg && reg.pushManager.getSubscription();
      }).then(function (subscription) {
        /* The browser dropped it already: nothing is left to remove but the memory of it. */
        if (!subscription) return forget();
        var json = subscription.toJSON();
        return pushSend("DELETE", { edition: pushEdition, endpoint: json.endpoint, auth: json.keys.auth })
          .then(function () {
            forget();
            var others = false;
            try {
              for (var i = 0; i < localStorage.length; i++) {
                if (localStorage.key(i).indexOf("byline-push-") === 0) others = true;
              }
            } catch (e) { /* private mode: keep the browser's subscription */ others = true; }
            return others ? null : subscription.unsubscribe();
          });
      }).then(function () {
        pushShow(false);
        pushSay("off");
      });
    };
    var remembered = read(pushStored);
    pushKeyEvents.checked = remembered === "key_events";
    pushShow(!!remembered && Notification.permission === "granted");
    signup.hidden = false;
    /* Busy is aria-disabled, not disabled: the button keeps the keyboard focus. */
    var busy = false;
    var run = function (work, failed, undo) {
      busy = true;
      pushToggle.setAttribute("aria-busy", "true");
      pushToggle.setAttribute("aria-disabled", "true");
      work().catch(function (e) {
        var blocked = e && e.message === "denied" && Notification.permission === "denied";
        pushSay(blocked ? "denied" : failed);
        if (undo) undo();
      }).then(function () {
        busy = false;
        pushToggle.removeAttribute("aria-busy");
        pushToggle.removeAttribute("aria-disabled");
      });
    };
    pushToggle.addEventListener("click", function () {
      if (busy) return;
      if (pushToggle.getAttribute("data-state") === "on") run(pushStop, "failed-off");
      else run(pushStart, "failed");
    });
    /* Changing "key moments" while alerts are on renews the subscription with it. */
    pushKeyEvents.addEventListener("change", function () {
      if (pushToggle.getAttribute("data-state") !== "on") return;
      var wanted = pushKeyEvents.checked;
      var back = function () { pushKeyEvents.checked = !wanted; };
      /* The box shows what the server has: a change that cannot be sent now is undone. */
      if (busy) return back();
      run(pushStart, "failed", back);
    });
  }

  /* ---------------------------------------------------------------- view beacon */

  var story = $("[data-beacon-url]");
  if (story && window.fetch) {
    var sendBeacon = function () {
      fetch(story.getAttribute("data-beacon-url"), {
        method: "POST",
        keepalive: true,
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      })
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (data) {
          if (!data || typeof data.views !== "number") return;
          $$("[data-views]").forEach(function (el) {
            el.setAttribute("data-views", String(data.views));
            el.textContent = String(data.views);
          });
        })
        .catch(function () { /* the count on the page stays as rendered */ });
    };
    if (doc.prerendering) {
      doc.addEventListener("prerenderingchange", sendBeacon, { once: true });
    } else {
      sendBeacon();
    }
  }
})();
