// The newsroom's import page: sends the export with the session's CSRF token in a
// header (the newsroom's uploads all do; the guard never buffers a multipart body),
// shows how much of it has gone up, then follows the run's progress until its report
// is ready. A listener here, not inline script: pages forbid inline scripts by CSP.
(function () {
  "use strict";
  var form = document.querySelector("form[data-import]");
  if (form) {
    var status = form.querySelector("[data-testid=import-status]");
    var bar = form.querySelector("progress");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      var request = new XMLHttpRequest();
      request.open("POST", form.getAttribute("action"));
      request.setRequestHeader("X-CSRF-Token", form.dataset.csrf);
      request.responseType = "json";
      bar.hidden = false;
      bar.removeAttribute("value");
      status.className = "nr-muted";
      status.textContent = status.dataset.sending;
      button.disabled = true;
      request.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          bar.max = e.total;
          bar.value = e.loaded;
        }
      });
      request.addEventListener("load", function () {
        var json = request.response || {};
        if (request.status === 202 && json.url) {
          window.location.assign(json.url);
          return;
        }
        fail(json.detail || ("HTTP " + request.status));
      });
      request.addEventListener("error", function () { fail(status.dataset.failed); });
      function fail(message) {
        bar.hidden = true;
        button.disabled = false;
        status.className = "nr-error";
        status.textContent = message;
      }
      request.send(new FormData(form));
    });
  }

  var run = document.querySelector("[data-import-progress]");
  if (run) {
    var count = run.querySelector("[data-testid=import-documents]");
    var pictures = run.querySelector("[data-testid=import-pictures]");
    var phase = run.querySelector("[data-testid=import-phase]");
    var poll = function () {
      fetch(run.dataset.importProgress, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (p) {
          if (!p) return;
          if (p.done) { window.location.reload(); return; }
          count.textContent = String(p.documents);
          pictures.textContent = String(p.pictures);
          // data-phase-documents → dataset.phaseDocuments
          var key = p.phase && "phase" + p.phase.charAt(0).toUpperCase() + p.phase.slice(1);
          if (key && run.dataset[key] !== undefined) phase.textContent = run.dataset[key];
          setTimeout(poll, 1000);
        })
        .catch(function () { setTimeout(poll, 3000); });
    };
    setTimeout(poll, 1000);
  }
})();
