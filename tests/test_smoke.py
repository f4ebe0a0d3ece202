"""The model imports without MkDocs: it must never depend on the site tooling.

Checked in a fresh interpreter, because other tests import MkDocs into the pytest process.
"""

import subprocess
import sys

PROGRAM = """
import importlib, pkgutil, sys
import k8sdocs.model
for info in pkgutil.walk_packages(k8sdocs.model.__path__, 'k8sdocs.model.'):
    importlib.import_module(info.name)
leaked = sorted(m for m in sys.modules if m == 'mkdocs' or m.startswith(('mkdocs.', 'mkdocs_', 'material')))
print(k8sdocs.model.KUBERNETES_VERSION, leaked)
"""


def test_model_imports_without_mkdocs():
    out = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "v1.35 []"
