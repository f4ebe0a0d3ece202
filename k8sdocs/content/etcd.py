"""The etcd page: the keys a scenario leaves in the store, their revisions, and the history of one key.

Keys, create/mod revisions and versions come from the model's store (``ClusterRun.etcd``); the kind of each key
from the resource registry (``k8sdocs.model.resources``: ``/registry/<prefix>/[<namespace>/]<name>``, with the
compiled-in prefix overrides of ``pkg/kubeapiserver/default_storage_factory_builder.go``); the
``resourceVersion`` column is read from the object as the API server returns it, so the page shows that both
numbers agree (upstream etcd3 codec: ``resourceVersion`` = the key's ``mod_revision``).
"""

from __future__ import annotations

from dataclasses import dataclass

from k8sdocs.content.book import ExampleBook
from k8sdocs.content.errors import ContentError, expect
from k8sdocs.model import etcd_layout
from k8sdocs.model import observe as ob
from k8sdocs.model.resources import resource_for_key
from k8sdocs.model.resourceversion import compare_resource_version
from k8sdocs.render.markdown import code, escape_text, table
from k8sdocs.render.timefmt import format_time


@dataclass(frozen=True)
class KeyRow:
    key: str
    kind: str
    namespace: str | None
    name: str
    create_revision: int
    mod_revision: int
    version: int
    resource_version: str


def key_rows(book: ExampleBook, escenario: str, excluir: tuple[str, ...] = ()) -> list[KeyRow]:
    """Every key the scenario leaves under ``/registry/`` (except kinds in ``excluir``), in key order."""
    run = book.run(escenario)
    rows = []
    for kv in run.etcd:
        found = resource_for_key(kv.key)
        if found is None:
            raise ContentError(f"la clave {kv.key} no corresponde a ningún recurso conocido")
        info, ns, name = found
        if info.kind in excluir:
            continue
        obj = run.get(info.kind, name, ns)
        rv = (obj or {}).get("metadata", {}).get("resourceVersion", "—")
        rows.append(KeyRow(kv.key, info.kind, ns, name, kv.create_revision, kv.mod_revision, kv.version, str(rv)))
    return rows


def keys_table(book: ExampleBook, escenario: str, excluir: str = "Event") -> str:
    """Table key → kind, create revision, mod revision (= resourceVersion, checked here), version."""
    skip = tuple(k.strip() for k in excluir.split(",") if k.strip())
    rows = []
    for r in key_rows(book, escenario, skip):
        if r.resource_version != str(r.mod_revision):
            raise ContentError(f"{r.key}: resourceVersion {r.resource_version} no es la revisión de modificación "
                               f"{r.mod_revision}; revisa el texto de la página de etcd")
        rows.append([code(r.key), escape_text(r.kind), str(r.create_revision), str(r.mod_revision), str(r.version)])
    return table(["Clave", "Tipo", "Revisión de creación", "Revisión de modificación = resourceVersion", "Versión"],
                 rows, align=["left", "left", "right", "right", "right"])


def key_count(book: ExampleBook, escenario: str, tipo: str, espera: int | None = None) -> str:
    """How many keys of kind ``tipo`` the scenario leaves (for sentences such as «hay N eventos»)."""
    n = sum(1 for r in key_rows(book, escenario) if r.kind == tipo)
    expect(f"el número de claves de {tipo}", espera, n)
    return str(n)


def store_revision(book: ExampleBook, escenario: str) -> str:
    """The store's global revision at the end of the scenario (the highest mod revision)."""
    return str(max(kv.mod_revision for kv in book.run(escenario).etcd))


def layout_exceptions() -> list[list[str]]:
    """Resources whose etcd prefix is not their plural name (``SpecialDefaultResourcePrefixes`` of kube-apiserver)."""
    rows = []
    for (group, resource), _prefix in sorted(etcd_layout.SPECIAL_DEFAULT_RESOURCE_PREFIXES.items(),
                                            key=lambda kv: (kv[0][1], kv[0][0])):
        kind, namespaced = etcd_layout.KINDS[resource]
        example = etcd_layout.builtin_key(group, resource, "<nombre>", "<espacio>" if namespaced else None)
        rows.append([escape_text(kind), code(group) if group else "(núcleo)", code(resource), code(example)])
    return rows


def layout_exceptions_table(book: ExampleBook) -> str:
    """Recursos cuya clave en etcd no sigue el nombre del recurso (``minions``, ``services/specs``, ``ingress``...)."""
    return table(["Tipo", "Grupo", "Recurso de la API", "Clave en etcd"], layout_exceptions())


def custom_resource_key_example(book: ExampleBook, grupo: str = "example.com", recurso: str = "widgets") -> str:
    """The etcd key of a custom resource object (CRD): the group is in the path."""
    return code(etcd_layout.custom_resource_key(grupo, recurso, "<nombre>", "<espacio>"))


@dataclass(frozen=True)
class Write:
    time_ms: int
    actor: str
    request: str
    operation: str
    revision: int


def key_history(book: ExampleBook, escenario: str, prefijo: str) -> tuple[str, list[Write]]:
    """The first key (in key order) that starts with ``prefijo`` and every write to it, with the request behind it.

    The request is the last one sent to kube-apiserver before the write: the model's API server handles each
    request synchronously, so the write that follows a request is its own.
    """
    run = book.run(escenario)
    keys = sorted(kv.key for kv in run.etcd if kv.key.startswith(prefijo))
    if not keys:
        raise ContentError(f"el escenario {escenario} no deja ninguna clave que empiece por {prefijo}")
    key = keys[0]
    writes: list[Write] = []
    for ev in ob.etcd_writes(run.events, etcd_key=key):
        request = ob.request_of(run.events, ev)
        if ev.op is not None and request is not None:
            writes.append(Write(ev.time_ms, request.source, request.summary, ev.op, ob.revision(ev)))
    return key, writes


def key_history_table(book: ExampleBook, escenario: str, prefijo: str) -> str:
    """Historia de una clave de etcd en el escenario: cada escritura con su tiempo, cliente, petición y revisión."""
    key, writes = key_history(book, escenario, prefijo)
    rows = [[format_time(w.time_ms), escape_text(w.actor), code(w.request), escape_text(w.operation), str(w.revision)]
            for w in writes]
    return (f"Historia de la clave {code(key)}:\n\n"
            + table(["Tiempo", "Quién pide", "Petición", "Operación en etcd", "Revisión"], rows,
                    align=["right", "left", "left", "left", "right"]))


def resource_version_order(book: ExampleBook, escenario: str, prefijo: str) -> str:
    """Las resourceVersion sucesivas de una clave, de menor a mayor (``53 < 60 < 101``), comparadas como en v1.35."""
    key, writes = key_history(book, escenario, prefijo)
    versions = [str(w.revision) for w in writes if w.operation == "PUT"]
    if len(versions) < 2:
        raise ContentError(f"la clave {key} tiene menos de dos escrituras en {escenario}")
    for a, b in zip(versions, versions[1:]):
        # KEP-5504 / client-go CompareResourceVersion: each write of one object has a larger resourceVersion
        if compare_resource_version(a, b) != -1:
            raise ContentError(f"{key}: la resourceVersion {b} no es mayor que {a}")
    return " &lt; ".join(code(v) for v in versions)


MACROS = {
    "orden_resource_version": resource_version_order,
    "claves_etcd": keys_table,
    "numero_claves_etcd": key_count,
    "revision_etcd": store_revision,
    "excepciones_etcd": layout_exceptions_table,
    "clave_etcd_recurso_personalizado": custom_resource_key_example,
    "historia_clave_etcd": key_history_table,
}
