"""The mkdocs-macros adapter: the only module of k8sdocs that knows about mkdocs-macros.

mkdocs.yml loads it with ``plugins: macros: modules: [k8sdocs.macros]``. It registers, as macros,
the content functions listed in the ``MACROS`` dict of every module ``k8sdocs/content/<tema>.py``,
binding one ``ExampleBook`` per build as their first argument (so each scenario runs once per
build). Pages opt in with ``render_macros: true`` in their front matter.

Every failure becomes a one-line build error that names the page and the problem in Spanish: bad
arguments, a missing scenario, an invalid manifest, a model error, a stated expectation that no
longer holds, an unknown macro. mkdocs.yml sets ``on_error_fail: true`` and ``on_undefined:
strict``, so the build stops (exit status 100) and never publishes error text inside a page.
Under ``make serve`` (k8sdocs/serve.py) the page shows an error box instead and the server keeps
running (k8sdocs/report.py). ``K8SDOCS_TRACEBACK=1`` also prints the Python traceback, for debugging.

Macro outputs are cached on disk (k8sdocs/cache.py), filled by a forked child in parallel when the cache is
cold (k8sdocs/prefetch.py); under serve, rebuilds redo only the pages whose
inputs changed (k8sdocs/dirty.py); a macro call on a page without the opt-in fails (k8sdocs/pagecheck.py).
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import inspect
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import jinja2
from mkdocs_macros.errors import format_error

from k8sdocs.cache import MacroCache, SourceFile, call_key, load_index, source_files, store_index
from k8sdocs.pagecheck import check_opt_in
from k8sdocs.report import BOX_MARKER, report, serving

if TYPE_CHECKING:  # imported where used: a warm build needs neither the prefetching child nor serve's tracker
    from k8sdocs.dirty import DirtyTracker


class MacroError(Exception):
    """A macro failed; ``str()`` is the Spanish message shown to the author, ``original`` the model's error."""

    def __init__(self, message: str, original: BaseException | None = None) -> None:
        super().__init__(message)
        self.original = original


# The sources the last build used, to tell a `mkdocs serve` rebuild after a model edit from the
# first build. Module state on purpose: it lives as long as the serving process, and nothing
# else reads it.
_LOADED_SOURCES: dict[str, tuple[tuple[str, int], ...]] = {}
# The ExampleBook of the last build per docs folder, kept while the model's sources do not change.
_BOOKS: dict[str, Any] = {}
# Under serve: what each page's macros read, so a dirty rebuild redoes exactly the affected pages.
_DIRTY: dict[str, DirtyTracker] = {}
# The child computing a cold build's macro calls (k8sdocs/prefetch.py), until the build ends.
_PREFETCH: list[Any] = []
# Per docs folder: the build's cache and macro names, for the page cache (:func:`on_pre_page_macros`).
_BUILD: dict[str, dict[str, Any]] = {}
# The inputs of the macro calls of the page being rendered (None: a call whose inputs are unknown).
_PAGE_CALLS: list[dict[str, str] | None] = []


def _source_signature(files: tuple[SourceFile, ...] | None = None) -> tuple[tuple[str, int], ...]:
    """(path, mtime) of every source file of the package; ``files``: a walk already made (cache.source_files)."""
    return tuple((f.path, f.mtime_ns) for f in (source_files() if files is None else files))


def _reload_project_modules_if_changed(files: tuple[SourceFile, ...] | None = None) -> bool:
    """Forget imported k8sdocs modules (except this one) when their sources changed since the last build.

    mkdocs-macros imports this module once and calls ``define_env`` on every build; without this,
    edits to ``k8sdocs/model`` would need a restart of ``mkdocs serve`` (docs-stack.md §2). A first
    build, or a rebuild after editing only pages, keeps the modules: two copies of a class (say
    ``APIError``) in one process would break ``except`` clauses.
    """
    signature = _source_signature(files)
    previous = _LOADED_SOURCES.get("k8sdocs")
    _LOADED_SOURCES["k8sdocs"] = signature
    if previous is None or previous == signature:
        return False
    for name in [m for m in sys.modules if m.startswith("k8sdocs.") and m != __name__]:
        del sys.modules[name]
    return True


def _describe(exc: BaseException) -> str:
    """The author-facing text of an exception raised while running a content function."""
    # Compared by name: _reload_project_modules() may have re-imported k8sdocs.content.errors.
    if any(c.__module__ == "k8sdocs.content.errors" and c.__name__ == "ContentError" for c in type(exc).__mro__):
        return str(exc)
    # Input errors of the model (ManifestError, ScenarioError, QuantityError, APIError...) carry
    # a message that already names the file and the field.
    if type(exc).__module__.startswith("k8sdocs.") and isinstance(exc, Exception):
        return f"{type(exc).__name__}: {exc}"
    return f"error interno ({type(exc).__name__}: {exc}); repite con K8SDOCS_TRACEBACK=1 para ver la traza"


def guard(name: str, fn: Callable[..., str], book: Any, cache: MacroCache | None = None,
          tracker: DirtyTracker | None = None) -> Callable[..., str]:
    """Bind ``book`` as the first argument of ``fn``, check the page's arguments, convert errors.

    With a ``cache`` (k8sdocs/cache.py), a call whose inputs did not change returns the stored Markdown.
    """
    signature = inspect.signature(fn)
    accepted = ", ".join(list(signature.parameters)[1:])
    docs = str(getattr(book, "docs_dir", ""))

    @functools.wraps(fn)
    def macro(*args: Any, **kwargs: Any) -> str:
        try:
            signature.bind(book, *args, **kwargs)
        except TypeError as err:
            raise MacroError(f"{name}(): argumentos no válidos ({err}); acepta: {accepted}") from None
        try:
            if cache is None:
                _note_call(tracker, None)
                return fn(book, *args, **kwargs)
            key = call_key(cache.fingerprint, docs, name, args, kwargs)
            cache.last_deps = None
            try:
                return cache.get_or_compute(key, book, lambda: fn(book, *args, **kwargs))
            finally:
                _note_call(tracker, cache.last_deps)
        except Exception as exc:
            if os.environ.get("K8SDOCS_TRACEBACK"):
                traceback.print_exc()
            raise MacroError(f"{name}(): {_describe(exc)}", exc) from None

    return macro


def _note_call(tracker: DirtyTracker | None, deps: dict[str, str] | None) -> None:
    """Record the inputs of one macro call: for serve's dirty rebuilds and for the page cache."""
    if tracker is not None:
        tracker.note(deps)
    _PAGE_CALLS.append(deps)


@dataclass(frozen=True, eq=False)
class LazyMacro:
    """A macro that answers from the cache without importing its module; on a miss it imports it and runs :func:`guard`.

    A hit needs an entry for exactly these arguments, made by an earlier successful call with the same
    sources, so the arguments were valid then and still are. A warm build imports no model code at all.
    An object rather than a closure: mkdocs-macros' ``on_pre_build`` writes every macro into a debug message
    it then drops, and describes a function by its ``inspect.signature``, an object only by its ``repr``.
    """

    name: str
    module: str
    book: Any
    cache: MacroCache
    tracker: DirtyTracker | None

    def __call__(self, *args: Any, **kwargs: Any) -> str:
        key = call_key(self.cache.fingerprint, str(getattr(self.book, "docs_dir", "")), self.name, args, kwargs)
        entry = self.cache.load_entry(key) if key is not None else None
        if entry is not None:
            self.cache.hits += 1
            _note_call(self.tracker, entry["deps"])
            return entry["output"]
        fn = getattr(importlib.import_module(self.module), "MACROS", {}).get(self.name)
        if fn is None:
            raise MacroError(f"la macro {self.name} ya no está en {self.module}; vuelve a construir")
        return guard(self.name, fn, self.book, self.cache, self.tracker)(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<macro {self.name} from {self.module}>"


def lazy_macro(name: str, module: str, book: Any, cache: MacroCache, tracker: DirtyTracker | None) -> LazyMacro:
    """The :class:`LazyMacro` ``name`` of ``module``."""
    return LazyMacro(name, module, book, cache, tracker)


def content_macros() -> dict[str, Callable[..., str]]:
    """Every ``MACROS`` entry of the modules in ``k8sdocs.content`` (``content/registry.py``), sorted by module."""
    from k8sdocs.content import registry
    from k8sdocs.content.errors import ContentError

    try:
        return registry.content_macros()
    except ContentError as e:
        raise MacroError(str(e)) from None


# The class is given, not read from the annotation: singledispatch would evaluate the annotations with typing.
@format_error.register(MacroError)
def _format_macro_error(error: MacroError, markdown: str, page: Any) -> str:
    return report(error, page, str(error))


@format_error.register(jinja2.UndefinedError)
def _format_undefined(error: jinja2.UndefinedError, markdown: str, page: Any) -> str:
    return report(error, page, f"macro o variable desconocida: {error.message}")


@format_error.register(jinja2.TemplateSyntaxError)
def _format_syntax_error(error: jinja2.TemplateSyntaxError, markdown: str, page: Any) -> str:
    return report(error, page, f"error de sintaxis de Jinja en la línea {error.lineno}: {error.message}")


@format_error.register(Exception)
def _format_other(error: Exception, markdown: str, page: Any) -> str:
    return report(error, page, _describe(error))


# What mkdocs-macros and Jinja offer every page by default and a page must not reach (issue 15, item 8):
# the build's clock (``now()``), randomness (Jinja's ``lipsum()`` and ``random`` filter), the build machine
# (``environment``: OS and kernel version; ``config``: absolute paths; ``git``: runs git), and debugging
# helpers that dump all of them (``context()``, ``macros_info()``, ``pretty``).
UNSAFE_MACROS = ("now", "context", "macros_info", "fix_url")
UNSAFE_VARIABLES = ("environment", "git", "config", "plugin", "macros", "filters", "filters_builtin")
UNSAFE_FILTERS = ("random", "pretty")
UNSAFE_GLOBALS = ("lipsum", "cycler", "joiner", "namespace", "now")


def _strip_unsafe(env: Any) -> None:
    for attribute, names in (("macros", UNSAFE_MACROS), ("variables", UNSAFE_VARIABLES), ("filters", UNSAFE_FILTERS)):
        registry = getattr(env, attribute, None)
        if isinstance(registry, dict):
            for name in names:
                registry.pop(name, None)


def sandbox_page_environment(env: Any) -> None:
    """Before each page: render with a sandboxed Jinja environment without clock, random or machine globals.

    mkdocs-macros builds a plain ``jinja2.Environment`` after ``define_env`` (MacrosPlugin.on_config), whose
    objects expose Python internals (``cycler.__init__.__globals__``). The sandbox refuses those attributes;
    the same loader, delimiters, globals (our macros) and filters are kept."""
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    current = env.env
    if not isinstance(current, ImmutableSandboxedEnvironment):
        sandbox = ImmutableSandboxedEnvironment(
            loader=current.loader, undefined=current.undefined,
            block_start_string=current.block_start_string, block_end_string=current.block_end_string,
            variable_start_string=current.variable_start_string, variable_end_string=current.variable_end_string,
            comment_start_string=current.comment_start_string, comment_end_string=current.comment_end_string,
        )
        sandbox.globals.update({k: v for k, v in current.globals.items() if k not in UNSAFE_GLOBALS and k != "range"})
        sandbox.filters.update({k: v for k, v in current.filters.items() if k not in UNSAFE_FILTERS})
        env._env = sandbox  # MacrosPlugin.env returns _env (mkdocs_macros/plugin.py)
    for name in (*UNSAFE_GLOBALS, *UNSAFE_MACROS):
        env.env.globals.pop(name, None)
    for name in UNSAFE_FILTERS:
        env.env.filters.pop(name, None)
    _strip_unsafe(env)


def define_env(env: Any) -> None:
    """Called by mkdocs-macros at the start of every build."""
    files = source_files()  # one walk of the package for both checks
    reloaded = _reload_project_modules_if_changed(files)
    from k8sdocs.content.book import ExampleBook

    # Under `mkdocs serve`, a rebuild after editing a page reuses the previous build's scenario runs
    # (the book re-runs a scenario when a file under docs/escenarios/ changes, and a model edit
    # reloads the modules and starts a new book).
    docs_dir = Path(env.conf["docs_dir"])
    book = _BOOKS.get(str(docs_dir))
    if reloaded or book is None:
        book = _BOOKS[str(docs_dir)] = ExampleBook(docs_dir=docs_dir)
    # On disk, shared by serve, build and the tests: a macro call reruns only when its inputs changed.
    config_file = env.conf.get("config_file_path")
    cache = MacroCache.for_project(Path(config_file).parent if config_file else docs_dir.parent, files=files)
    tracker = None
    if serving():
        from k8sdocs.dirty import DirtyTracker

        tracker = _DIRTY.setdefault(str(docs_dir), DirtyTracker())
        if cache is not None:
            tracker.invalidate(cache.root, cache.file_hash)
        else:
            tracker.invalidate(docs_dir.parent, lambda path: None)
    index = load_index(cache) if cache is not None else None
    if cache is not None and index is not None:
        for name, module in sorted(index.items()):
            env.macro(lazy_macro(name, module, book, cache, tracker), name)
        guarded: dict[str, Any] = {}
    else:
        macros = content_macros()
        guarded = {name: guard(name, fn, book, cache, tracker) for name, fn in macros.items()}
        for name, fn in guarded.items():
            env.macro(fn, name)
        if cache is not None:
            store_index(cache, {name: fn.__module__ for name, fn in macros.items()})
            # A cold cache: a forked child computes the pages' calls while this build goes on (k8sdocs/prefetch.py).
            from k8sdocs import prefetch

            _stop_prefetch()
            _PREFETCH.append(prefetch.start(env.conf, guarded, env.config, cache))
    _strip_unsafe(env)
    _BUILD[str(docs_dir)] = {"cache": cache, "macros": set(index or guarded), "options": _page_options(env)}
    if serving():
        # Under serve a failing macro shows an error box in its page (k8sdocs/report.py) instead of
        # stopping the server; build, test and CI keep `on_error_fail: true` from mkdocs.yml.
        env.config["on_error_fail"] = False


def _stop_prefetch() -> None:
    while _PREFETCH:
        handle = _PREFETCH.pop()
        if handle is not None:
            handle.stop()


def on_post_build(env: Any) -> None:
    """mkdocs-macros calls it after the build: stop the prefetching child if it still runs; keep the file hashes
    for the next build (k8sdocs/cache.py, ``hashes.memo``)."""
    _stop_prefetch()
    build = _BUILD.get(str(Path(env.conf["docs_dir"])))
    if build is not None and build["cache"] is not None:
        build["cache"].save_hash_memo()


def _page_options(env: Any) -> dict[str, Any]:
    """The mkdocs-macros settings that change how a page renders (delimiters, undefined, errors)."""
    config = getattr(env, "config", {}) or {}
    return {k: config.get(k) for k in sorted(config) if k.startswith("j2_") or k in ("on_undefined", "on_error_fail")}


def _page_key(build: dict[str, Any], docs_dir: str, page: Any, markdown: str) -> str | None:
    """The page entry's key: the source goes in as its SHA-256 (hashing it is cheaper than JSON-encoding it)."""
    cache = build["cache"]
    source = hashlib.sha256(markdown.encode("utf-8", "surrogatepass")).hexdigest()
    return call_key(cache.fingerprint, docs_dir, "<page>", (page.file.src_path, source, build["options"]), {})


def _page_uses_only_macros(env: Any, markdown: str, macros: set[str]) -> bool:
    """Whether the page's Jinja reads nothing but the site's macros (no variable such as ``page``, no include):
    then its rendered text depends only on its source and on the calls' outputs."""
    from jinja2 import meta

    try:
        ast = env.env.parse(markdown)
    except Exception:  # noqa: BLE001 - not cached; the render reports it
        return False
    return meta.find_undeclared_variables(ast) <= macros and not list(meta.find_referenced_templates(ast))


def on_pre_page_macros(env: Any) -> None:
    """mkdocs-macros calls it before every page: the opt-in check, (serve) start tracking its inputs, the page cache,
    and the sandbox for a page that Jinja will render.

    **Page cache**: a page whose source, macros settings and model sources are unchanged, and whose calls' input
    files are unchanged (k8sdocs/cache.py checks them as for a call), gets its rendered Markdown from the cache:
    Jinja does not parse or run it (a warm build's largest cost in the macros plugin), so it needs no sandbox
    either. It is stored only for a page whose Jinja uses nothing but the site's macros and whose every call was
    cacheable and succeeded."""
    page = env.page
    check_opt_in(env, page)
    docs_dir = str(Path(env.conf["docs_dir"]))
    tracker = _DIRTY.get(docs_dir)
    if tracker is not None:
        tracker.start_page(page.file.src_path, Path(page.file.abs_dest_path))
    _PAGE_CALLS.clear()
    env._k8sdocs_page = None
    if not _page_from_cache(env, page, docs_dir, tracker):
        sandbox_page_environment(env)


def _page_from_cache(env: Any, page: Any, docs_dir: str, tracker: DirtyTracker | None) -> bool:
    """Put the page's cached rendering in ``env.markdown`` and turn its rendering off (True), or note the key to
    store it under after mkdocs-macros renders it (False)."""
    build = _BUILD.get(docs_dir)
    meta = page.meta if isinstance(getattr(page, "meta", None), dict) else {}
    if build is None or build["cache"] is None or meta.get("render_macros") is not True or env.has_j2(page.title or ""):
        return False
    source = env.markdown
    key = _page_key(build, docs_dir, page, source)
    entry = build["cache"].load_entry(key) if key is not None else None
    if entry is None:
        env._k8sdocs_page = (key, source)  # rendered by mkdocs-macros; stored after (on_post_page_macros)
        return False
    _note_call(tracker, entry["deps"])
    env.markdown = entry["output"]
    meta["render_macros"] = False  # mkdocs-macros' render() then returns env.markdown as it is, title included
    env._k8sdocs_page = ("hit", None)
    return True


def on_post_page_macros(env: Any) -> None:
    """mkdocs-macros calls it after every page: (serve) remember whether it showed an error box; the page cache."""
    docs_dir = str(Path(env.conf["docs_dir"]))
    tracker = _DIRTY.get(docs_dir)
    if tracker is not None:
        tracker.end_page(env.markdown or "", BOX_MARKER)
    state = getattr(env, "_k8sdocs_page", None)
    env._k8sdocs_page = None
    if state is None:
        return
    key, source = state
    if key == "hit":
        env.page.meta["render_macros"] = True
        return
    build = _BUILD.get(docs_dir)
    calls = list(_PAGE_CALLS)
    output = env.markdown or ""
    if (build is None or key is None or any(deps is None for deps in calls) or BOX_MARKER in output
            or not _page_uses_only_macros(env, source, build["macros"])):
        return
    deps: dict[str, str] = {}
    for call in calls:
        deps.update(call)  # type: ignore[arg-type]
    build["cache"].store(key, output, deps)
