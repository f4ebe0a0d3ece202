// k8sdocs: module Web Worker of the scheduler playground (see playground.js). Loads Pyodide from this site's
// playground/pyodide/ (k8sdocs/playground.py ships the pinned npm package's runtime files), unpacks the model's
// bundle and answers each message with k8sdocs.content.playground.browser_report. Python never runs on the page's
// main thread, so the page stays responsive while Pyodide starts.
import { loadPyodide } from "../playground/pyodide/pyodide.mjs";

const INDEX_URL = new URL("../playground/pyodide/", import.meta.url).href;
const BUNDLE_URL = new URL("../playground/k8sdocs-playground.zip", import.meta.url).href;
const BUNDLE_DIR = "/home/pyodide/k8sdocs-playground";
let ready = null;

async function start(id) {
  const pyodide = await loadPyodide({ indexURL: INDEX_URL, stdout: () => {}, stderr: () => {} });
  postMessage({ id, type: "progress", text: "Cargando el modelo…" });
  const response = await fetch(BUNDLE_URL);
  if (!response.ok) throw new Error(`${BUNDLE_URL}: HTTP ${response.status}`);
  pyodide.unpackArchive(await response.arrayBuffer(), "zip", { extractDir: BUNDLE_DIR });
  pyodide.runPython(`import sys\nsys.path.insert(0, ${JSON.stringify(BUNDLE_DIR)})`);
  return pyodide.pyimport("k8sdocs.content.playground").browser_report;
}

self.onmessage = async (event) => {
  const { id, nodes, pod, seed, untilMs } = event.data;
  let report;
  try {
    ready ??= start(id);
    report = await ready;
  } catch (err) {
    ready = null;
    postMessage({ id, ok: false, failed: true, text: String(err && err.message ? err.message : err) });
    return;
  }
  postMessage({ id, type: "progress", text: "Planificando…" });
  const started = performance.now();
  try {
    const proxy = report(nodes, pod, seed, untilMs);
    const out = proxy.toJs({ dict_converter: Object.fromEntries });
    proxy.destroy();
    postMessage({ id, ok: out.ok, html: out.html, node: out.node, pythonMs: performance.now() - started });
  } catch (err) {
    // browser_report turns every Exception into one line; only the interpreter itself failing gets here
    postMessage({ id, ok: false, failed: true, text: String(err && err.message ? err.message : err).split("\n").at(-2) || "error" });
  }
};
