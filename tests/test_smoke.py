"""The package imports without MkDocs: the model must never depend on the site tooling."""

import importlib
import sys


def test_model_imports_without_mkdocs():
    import k8sdocs.model

    assert k8sdocs.model.KUBERNETES_VERSION == "v1.35"
    assert not any(name == "mkdocs" or name.startswith("mkdocs.") for name in sys.modules)
    importlib.reload(k8sdocs.model)
