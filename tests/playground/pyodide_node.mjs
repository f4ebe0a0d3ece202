// Runs Python under the site's Pyodide (node_modules/pyodide, the pinned npm package) on Node, with the
// playground's bundle (site/playground/k8sdocs-playground.zip) first on sys.path: the code a reader's browser runs.
//
//   node pyodide_node.mjs ROOT BUNDLE SITE_PACKAGES pytest ARGS...   -> pytest.main(ARGS) in ROOT; exit code
//   node pyodide_node.mjs ROOT BUNDLE SITE_PACKAGES cases FILE.json  -> browser_report for each case, JSON out
//
// ROOT (the repository) and SITE_PACKAGES (the venv's pure-Python pytest, pluggy, iniconfig, packaging) are
// mounted read-only in spirit: bytecode writing is off, so nothing is written back to the host.
// Called by tests/playground/test_pyodide.py.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [root, bundle, sitePackages, mode, ...rest] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(`${root}/node_modules/pyodide/pyodide.mjs`).href);
const out = [];
const pyodide = await loadPyodide({
  stdout: (line) => (mode === "cases" ? out.push(line) : console.log(line)),
  stderr: (line) => console.error(line),
});
for (const [host, guest] of [[root, "/repo"], [sitePackages, "/site-packages"]]) {
  pyodide.FS.mkdirTree(guest);
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: host }, guest);
}
pyodide.unpackArchive(new Uint8Array(readFileSync(bundle)), "zip", { extractDir: "/bundle" });
pyodide.globals.set("MODE", mode);
pyodide.globals.set("ARGS", pyodide.toPy(rest));
pyodide.globals.set("CASES_JSON", mode === "cases" ? readFileSync(rest[0], "utf8") : "");
const code = pyodide.runPython(`
import json, os, sys
sys.dont_write_bytecode = True
sys.path[:0] = ["/bundle"]
sys.path.append("/site-packages")
os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
os.chdir("/repo")
if MODE == "pytest":
    # The tests decode every kind (Deployment, Service...), the bundle carries the schemas of Node and Pod only:
    # point its data package at the venv's full folder of v1.35 schemas (same files, more of them).
    import shutil
    schemas = "/bundle/kubernetes_validate/kubernetes-json-schema"
    shutil.rmtree(schemas)
    os.symlink("/site-packages/kubernetes_validate/kubernetes-json-schema", schemas)
    import k8sdocs
    assert k8sdocs.__file__.startswith("/bundle/"), k8sdocs.__file__  # the bundle, not the repository
    print("python", sys.version.split()[0], "k8sdocs from", os.path.dirname(k8sdocs.__file__))
    import pytest
    result = int(pytest.main(["-p", "no:cacheprovider", *ARGS]))
elif MODE == "cases":
    from k8sdocs.content.playground import browser_report
    cases = json.loads(CASES_JSON)
    print(json.dumps([browser_report(c["nodes"], c["pod"], c["seed"], c["until_ms"]) for c in cases]))
    result = 0
else:
    raise SystemExit(f"unknown mode {MODE!r}")
result
`);
if (mode === "cases") process.stdout.write(out.join("\n") + "\n");
process.exit(code);
