"""Build-time assets of the playground (``docs/prueba-el-planificador.md``): Pyodide and the model, as site files.

Called from ``k8sdocs/hooks.py``; nothing here imports MkDocs, so tests and ``bench/`` use it directly.

* :func:`pyodide_files`: the runtime files of Pyodide, pinned exactly in package.json (installed by ``npm ci``),
  published under ``playground/pyodide/``. Pyodide 314's ``loadPyodide`` reads ``pyodide.asm.mjs`` (ES module),
  ``pyodide.asm.wasm``, ``python_stdlib.zip`` and ``pyodide-lock.json`` from its ``indexURL``
  (node_modules/pyodide/pyodide.mjs, ``loadWasmScript`` and ``lockFileURL ?? indexURL + "pyodide-lock.json"``).
  Nothing comes from a CDN: the page works offline and under ``connect-src 'self'``.
* :func:`bundle_zip`: the Python the browser runs, as one zip with fixed timestamps and a fixed file order (two
  builds are byte-identical): ``k8sdocs.model``, ``k8sdocs.render`` and ``k8sdocs.content`` (never the MkDocs
  adapters), the pure-Python modules of PyYAML (the wheel's ``yaml/*.py`` are the sdist's ``lib/yaml``; without
  the C extension ``yaml`` falls back to them, as ``yaml/__init__.py`` does with ``except ImportError``) and of
  Python-Markdown, and their licence texts.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

PYODIDE_DIR = Path("node_modules/pyodide")
#: What the pinned version's loader fetches (see the module docstring); pyodide.mjs is imported by the worker.
PYODIDE_RUNTIME = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
SITE_DIR = "playground"
PYODIDE_URI = f"{SITE_DIR}/pyodide"
BUNDLE_URI = f"{SITE_DIR}/k8sdocs-playground.zip"
#: Parts of the k8sdocs package the browser needs (the build-side adapters stay out).
PACKAGE_PARTS = ("__init__.py", "model", "render", "content")
#: Third-party pure-Python packages the bundle carries: (import name, distribution name).
VENDORED = (("yaml", "PyYAML"), ("markdown", "Markdown"))
#: ZIP's earliest date: no build clock in the archive.
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


class AssetError(Exception):
    """A missing or mismatched asset; ``str()`` says how to fix it (hooks.py turns it into a PluginError)."""


@dataclass(frozen=True)
class Asset:
    uri: str
    path: Path


def _locked_version(root: Path, package: str) -> str | None:
    lock = root / "package-lock.json"
    if not lock.is_file():
        return None
    entry = json.loads(lock.read_text(encoding="utf-8")).get("packages", {}).get(f"node_modules/{package}")
    return entry.get("version") if entry else None


def pyodide_version(root: Path) -> str:
    """The installed Pyodide's version; raises AssetError when it is missing or is not the locked one."""
    manifest = root / PYODIDE_DIR / "package.json"
    if not manifest.is_file():
        raise AssetError(
            f"falta {PYODIDE_DIR.as_posix()} (Pyodide, fijado en package.json), que publica el banco de pruebas del "
            "planificador. Instálalo con `npm ci` o ejecuta `make serve` / `make test`, que lo instalan."
        )
    installed = str(json.loads(manifest.read_text(encoding="utf-8")).get("version"))
    locked = _locked_version(root, "pyodide")
    if locked and installed != locked:
        raise AssetError(f"node_modules tiene pyodide {installed}, pero package-lock.json fija {locked}. Ejecuta `npm ci`.")
    return installed


def pyodide_files(root: Path) -> list[Asset]:
    """(site URI, file) for each Pyodide runtime file, after checking the installed version."""
    pyodide_version(root)
    assets = []
    for name in PYODIDE_RUNTIME:
        path = root / PYODIDE_DIR / name
        if not path.is_file():
            raise AssetError(f"falta {(PYODIDE_DIR / name).as_posix()}; ejecuta `npm ci`.")
        assets.append(Asset(f"{PYODIDE_URI}/{name}", path))
    return assets


def _package_files(package_dir: Path, prefix: str, parts: tuple[str, ...] | None = None) -> list[tuple[str, Path]]:
    """(name in zip, file) for the .py/.yaml files of a package, sorted; no caches, no compiled extensions."""
    roots = [package_dir / p for p in parts] if parts else [package_dir]
    found: list[tuple[str, Path]] = []
    for item in roots:
        paths = [item] if item.is_file() else sorted(item.rglob("*"))
        for path in paths:
            rel = path.relative_to(package_dir)
            if path.is_file() and path.suffix in {".py", ".yaml"} and "__pycache__" not in rel.parts:
                found.append((f"{prefix}/{rel.as_posix()}", path))
    return found


_LICENCE_NAMES = ("LICENSE", "LICENCE", "COPYING")


def _installed_paths(dist: metadata.Distribution, hints: tuple[str, ...]) -> list[str]:
    """The paths in ``dist``'s RECORD whose row contains one of ``hints`` (any case), as ``dist.files`` names them.

    ``dist.files`` builds an object per installed file (kubernetes-validate installs 17 000, ~0.1 s); the rows are
    filtered as text first and only the few left are parsed as CSV (the RECORD format, PEP 376)."""
    record = dist.read_text("RECORD")
    if record is None:  # not installed from a wheel: the slow, general listing
        return [str(f) for f in dist.files or [] if any(hint in str(f).upper() for hint in hints)]
    rows = [line for line, upper in zip(record.splitlines(), record.upper().splitlines())
            if any(hint in upper for hint in hints)]
    return [row[0] for row in csv.reader(rows) if row]


def _licence_text(distribution: str) -> bytes:
    """The licence file a distribution ships (dist-info ``LICENSE*``/``licenses/``)."""
    dist = metadata.distribution(distribution)
    for file in sorted(_installed_paths(dist, _LICENCE_NAMES)):
        if Path(file).name.upper().startswith(_LICENCE_NAMES):
            return Path(str(dist.locate_file(file))).read_bytes()
    raise AssetError(f"{distribution} no trae su licencia en el entorno virtual; reinstala con `make deps`.")


#: The strict-decoding schemas the model reads (k8sdocs/model/validation/decode.py, ``_schema_root``: the package
#: ``kubernetes_validate``, folder ``kubernetes-json-schema/<SCHEMA_DIR>``), for the kinds the playground accepts.
SCHEMA_KINDS = ("node-v1.json", "pod-v1.json")
_SCHEMA_STUB = (
    b'"""Data only: the v1.35 strict JSON schemas of kubernetes-validate (Apache-2.0) that k8sdocs.model reads.\n\n'
    b"k8sdocs/playground.py packs this folder for the browser with the schemas of Node and Pod and the definitions\n"
    b"they reference. The real package also validates with jsonschema, which the model does not use.\n"
    b'"""\n'
)


def _reachable_definitions(definitions: dict, roots: list[object]) -> dict:
    """The ``$defs`` entries reachable through ``$ref`` from ``roots``, in the file's order."""
    wanted: set[str] = set()
    stack = list(roots)
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                name = ref.rsplit("/", 1)[-1]
                if name not in wanted and name in definitions:
                    wanted.add(name)
                    stack.append(definitions[name])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return {name: value for name, value in definitions.items() if name in wanted}


def schema_entries() -> list[tuple[str, bytes]]:
    """The ``kubernetes_validate`` data package for the bundle: stub module, licence, Node/Pod schemas, their defs."""
    from k8sdocs.model.validation import SCHEMA_DIR

    dist = metadata.distribution("kubernetes-validate")
    folder = Path(str(dist.locate_file("kubernetes_validate"))) / "kubernetes-json-schema" / SCHEMA_DIR
    if not folder.is_dir():
        raise AssetError(f"falta el esquema {SCHEMA_DIR} de kubernetes-validate; reinstala con `make deps`.")
    prefix = f"kubernetes_validate/kubernetes-json-schema/{SCHEMA_DIR}"
    kinds = [(f"{prefix}/{name}", (folder / name).read_bytes()) for name in SCHEMA_KINDS]
    definitions = json.loads((folder / "_definitions.json").read_text(encoding="utf-8"))
    subset = {**definitions, "$defs": _reachable_definitions(definitions.get("$defs", {}),
                                                             [json.loads(c) for _, c in kinds])}
    return [
        ("kubernetes_validate/__init__.py", _SCHEMA_STUB),
        (f"LICENSES/kubernetes-validate-{dist.version}.txt", _licence_text("kubernetes-validate")),
        *kinds,
        (f"{prefix}/_definitions.json", json.dumps(subset, indent=1, ensure_ascii=False).encode("utf-8")),
    ]


def bundle_entries() -> list[tuple[str, bytes]]:
    """(name in zip, content) for every file of the bundle, in the order the zip stores them."""
    import k8sdocs

    entries = [(name, path.read_bytes()) for name, path in
               _package_files(Path(k8sdocs.__file__).resolve().parent, "k8sdocs", PACKAGE_PARTS)]
    for module, distribution in VENDORED:
        imported = __import__(module)
        if imported.__file__ is None:
            raise RuntimeError(f"{module} is a namespace package: the bundle needs its files")
        entries += [(name, path.read_bytes()) for name, path in
                    _package_files(Path(imported.__file__).resolve().parent, module)]
        version = metadata.version(distribution)
        entries.append((f"LICENSES/{distribution}-{version}.txt", _licence_text(distribution)))
    return sorted(entries + schema_entries())


def bundle_zip() -> bytes:
    """The bundle as zip bytes: same sources, same bytes (fixed dates, modes and order)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in bundle_entries():
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the building machine
            info.external_attr = 0o644 << 16
            archive.writestr(info, content, compresslevel=9)
    return buffer.getvalue()


def bundle_input_digest() -> str:
    """SHA-256 of what :func:`bundle_zip` reads (the files' bytes and names, this module's code, the versions of
    the distributions): equal digests give equal zips. It costs about 0.02 s of CPU; building the zip (listing
    the distributions' files for their licences, the schema subset, compression) about 0.3 s."""
    import hashlib

    import k8sdocs
    from k8sdocs.model.validation import SCHEMA_DIR

    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(f"{label}\0{len(data)}\0".encode())
        digest.update(data)

    add("playground.py", Path(__file__).read_bytes())
    add("schema dir", SCHEMA_DIR.encode())
    for name, path in _package_files(Path(k8sdocs.__file__).resolve().parent, "k8sdocs", PACKAGE_PARTS):
        add(name, path.read_bytes())
    for module, distribution in VENDORED:
        imported = __import__(module)
        if imported.__file__ is None:
            raise RuntimeError(f"{module} is a namespace package: the bundle needs its files")
        for name, path in _package_files(Path(imported.__file__).resolve().parent, module):
            add(name, path.read_bytes())
        add("version", f"{distribution} {metadata.version(distribution)}".encode())
    # Licence texts are identified by their distribution's version: reading them means listing the installed
    # files (kubernetes-validate has 17 000: 0.3 s), and a pinned version ships one text.
    dist = metadata.distribution("kubernetes-validate")
    add("version", f"kubernetes-validate {dist.version}".encode())
    folder = Path(str(dist.locate_file("kubernetes_validate"))) / "kubernetes-json-schema" / SCHEMA_DIR
    for name in (*SCHEMA_KINDS, "_definitions.json"):
        try:
            add(name, (folder / name).read_bytes())
        except OSError:
            add(name, b"<missing>")  # bundle_zip raises the AssetError
    return digest.hexdigest()


#: Zips built by this process, by input digest (``make serve`` rebuilds reuse it).
_ZIPS: dict[str, bytes] = {}


def reused_bundle_zip(cache_dir: Path | None = None) -> bytes:
    """:func:`bundle_zip`, built again only when its inputs changed: kept in memory for this process and, with
    ``cache_dir``, in ``cache_dir/playground-<digest>.zip`` (written atomically; older zips are deleted)."""
    key = bundle_input_digest()
    if key in _ZIPS:
        return _ZIPS[key]
    path = cache_dir / f"playground-{key[:32]}.zip" if cache_dir is not None else None
    if path is not None:
        try:
            data = path.read_bytes()
            if zipfile.is_zipfile(io.BytesIO(data)):
                _ZIPS.clear()
                _ZIPS[key] = data
                return data
        except OSError:
            pass
    data = bundle_zip()
    _ZIPS.clear()
    _ZIPS[key] = data
    if path is not None:
        from k8sdocs.cache import write_bytes_atomically

        for old in path.parent.glob("playground-*.zip"):
            old.unlink(missing_ok=True)
        write_bytes_atomically(path.parent, path, data)
    return data


# -- MkDocs side (called from k8sdocs/hooks.py) ------------------------------------------------------------------
PAGE_SCRIPT_URI = "javascripts/playground.js"
WIDGET_MARK = 'class="k8s-playground'
_PAGE_SCRIPT = re.compile(r'<script src="[^"]*' + re.escape(PAGE_SCRIPT_URI) + r'"></script>\n?')


def site_files(config: Any, cache_dir: Path | None = None) -> list[Any]:
    """The generated MkDocs ``File`` objects: Pyodide's runtime files and the bundle (reused while its inputs do
    not change: :func:`reused_bundle_zip`)."""
    from mkdocs.structure.files import File

    root = Path(config.config_file_path).resolve().parent
    files = [File.generated(config, a.uri, abs_src_path=str(a.path)) for a in pyodide_files(root)]
    files.append(File.generated(config, BUNDLE_URI, content=reused_bundle_zip(cache_dir)))
    return files


def strip_page_script(output: str) -> str:
    """Pages without a widget do not load the page script (the widget pages load it; nothing else is fetched
    before the reader presses "Planificar")."""
    if WIDGET_MARK not in output:
        output = _PAGE_SCRIPT.sub("", output)
    return output
