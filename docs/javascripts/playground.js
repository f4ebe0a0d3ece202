// k8sdocs: the scheduler playground (k8sdocs/content/playground.py writes the widget, k8sdocs/playground.py
// ships Pyodide and the model). Nothing is downloaded until the reader presses "Planificar": then one module
// Web Worker (playground-worker.js) loads Pyodide and the model from this site and runs the same Python that
// built the page; its answer is the HTML of k8sdocs.render, put in place as it is (no wording lives here).
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  var widgets = document.querySelectorAll(".k8s-playground");
  if (!here || !widgets.length || typeof Worker === "undefined" || typeof WebAssembly === "undefined") {
    return; // without a worker or WebAssembly the page keeps the build's report
  }
  var worker = null;
  var pending = {};
  var nextId = 1;

  function startWorker() {
    if (worker) return worker;
    worker = new Worker(new URL("playground-worker.js", here), { type: "module" });
    worker.onmessage = function (event) {
      var msg = event.data;
      var done = pending[msg.id];
      if (!done) return;
      if (msg.type === "progress") {
        done.progress(msg.text);
      } else {
        delete pending[msg.id];
        done.finish(msg);
      }
    };
    worker.onerror = function (event) {
      Object.keys(pending).forEach(function (id) {
        pending[id].finish({ ok: false, failed: true, text: event.message || "el proceso de fondo se detuvo" });
        delete pending[id];
      });
      worker = null;
    };
    return worker;
  }

  widgets.forEach(function (widget) {
    var form = widget.querySelector(".k8s-playground__form");
    var result = widget.querySelector(".k8s-playground__result");
    var status = widget.querySelector(".k8s-playground__status");
    var progress = widget.querySelector(".k8s-playground__progress");
    var button = form.querySelector('button[type="submit"]');
    var boxes = form.querySelectorAll("textarea");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var id = nextId++;
      var started = performance.now();
      button.disabled = true;
      progress.hidden = false;
      status.textContent = worker ? "Planificando…" : "Descargando Pyodide y el modelo (solo la primera vez)…";
      widget.setAttribute("aria-busy", "true");
      pending[id] = {
        progress: function (text) { status.textContent = text; },
        finish: function (msg) {
          button.disabled = false;
          progress.hidden = true;
          widget.removeAttribute("aria-busy");
          if (msg.failed) {
            status.textContent = "No se pudo ejecutar el modelo en este navegador: " + msg.text;
            return;
          }
          result.innerHTML = msg.html;
          var ms = Math.round(performance.now() - started);
          status.textContent = (msg.ok ? "Planificado" : "Revisa los manifiestos") + " (" + ms + " ms).";
          widget.dataset.runs = String(Number(widget.dataset.runs || 0) + 1);
          widget.dispatchEvent(new CustomEvent("k8s-playground:done", { detail: { ms: ms, ok: msg.ok } }));
        },
      };
      startWorker().postMessage({
        id: id,
        nodes: boxes[0].value,
        pod: boxes[1].value,
        seed: Number(widget.dataset.seed),
        untilMs: Number(widget.dataset.untilMs),
      });
    });
  });
})();
