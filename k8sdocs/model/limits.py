"""Limits on untrusted input, checked before any work starts (issue 15, item 2).

Every scenario, manifest and case file comes from a pull request, so the model bounds what it reads and
what it simulates. A breach is one line naming the file and the field, never a hang. Where Kubernetes has
its own bound (``int32`` replicas, Go's ``time.ParseDuration`` overflow, UTF-8 input) the model reports it
with upstream's words first; the remaining caps are the model's own and say so (``model limit``).

The numbers are stated for contributors on the «Contribuir» page (``docs/contribuir.md``, section
«Límites de los escenarios»), generated from :data:`LIMITS_TABLE`.

YAML is read with :class:`BoundedLoader`, a ``yaml.SafeLoader`` that

* refuses anchors and aliases (``&a`` / ``*a``): an alias bomb expands exponentially, and Kubernetes
  manifests never need them;
* refuses nesting deeper than :data:`MAX_DEPTH`, collections longer than :data:`MAX_ITEMS`, scalars longer
  than :data:`MAX_STRING_CHARS` and integers with more than :data:`MAX_INT_DIGITS` digits, at the line where
  they occur (checked while composing, before any Python object is built);
* keeps timestamp-looking scalars (``2024-01-01``) as the text written, as go-yaml v2 does when decoding
  into ``interface{}`` (kubernetes-sigs/yaml ``goyaml.v2/decode.go``, ``d.scalar``: "It looks like a
  timestamp but for backward compatibility reasons we set it as a string"), which is what ``kubectl``'s
  YAML-to-JSON step sends to the API server;
* turns ``!!binary`` into text and non-string mapping keys into strings, as kubernetes-sigs/yaml's
  ``convertToJSONableObject`` does (``yaml.go``: ints, floats and bools become strings, other keys are an
  error ``unsupported map key of type``).

Speed: a text stream is first parsed into events by libyaml (``yaml._yaml.CParser``, C), and PyYAML's own
Python composer and constructor (with the checks above) build the objects from those events. Any error,
from libyaml or later, makes the loader read the same text again with PyYAML's pure-Python parser
and raise what that raises, so every message (wording, line, column) is the one the pure parser gives.
Without libyaml, for a non-text stream, or for a text where libyaml is known to accept what PyYAML refuses
(:func:`_libyaml_events`), the pure parser is used from the start.

Faster still, for a loader that sets ``fast_path`` (``manifests.StrictLoader``): libyaml also composes the
nodes (C) and :func:`_fast_documents` builds the objects in one plain recursive pass, with the same checks and
the same constructors, instead of PyYAML's event and generator machinery (a cold build reads ~1 MB of case
files and manifests: the 36 case files in 0.11 s instead of 0.28 s, issue 12). It only takes texts it can vouch for and hands every other
text, and anything that would be an error, to the path above, which raises what the pure parser raises:
no ``&`` (libyaml would drop an unused anchor silently), no tab, not more than :data:`MAX_FAST_INDICATORS`
indicator characters (libyaml's composer recurses in C: the count bounds its depth), one document when one
is asked for, only the core scalar tags, scalar mapping keys, no duplicate or merge key.

:func:`decode_utf8` turns file bytes into text with go-yaml's reader messages (``invalid leading UTF-8
octet``, ``invalid trailing UTF-8 octet``, ``incomplete UTF-8 octet sequence``; go-yaml ``readerc.go``).
"""

from __future__ import annotations

import base64
import binascii
import functools
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, cast

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

# --- the numbers -----------------------------------------------------------------------------------------
#: Bytes of one scenario, manifest or case file (the API server's own request limit is 3 MiB,
#: ``MaxRequestBodyBytes`` in k8s.io/apiserver; the model's is smaller).
MAX_FILE_BYTES = 512 * 1024
#: Nesting depth of mappings and sequences in one YAML document.
MAX_DEPTH = 40
#: Entries of one mapping or sequence.
MAX_ITEMS = 1000
#: Characters of one scalar (a name, an image, a description, a ConfigMap value...).
MAX_STRING_CHARS = 32 * 1024
#: Digits of one integer literal (int64 has 19; anything longer can only overflow).
MAX_INT_DIGITS = 40
#: Simulated time of one scenario (``until`` and every step's ``at``).
MAX_UNTIL_MS = 60 * 60 * 1000
#: Steps of one scenario.
MAX_STEPS = 100
#: Nodes of one scenario (manifests plus Nodes that join in ``apply`` steps).
MAX_NODES = 10
#: ``replicas`` of one workload or one ``scale`` step, after the int32 check.
MAX_REPLICAS = 100
#: Pods a scenario can ask for: bare Pods plus every replicas value it writes (manifests and scale steps).
MAX_PODS = 150
#: Callbacks the simulated clock may run in one scenario (a deterministic time budget: same input, same
#: verdict on any machine; about 0.3 ms each for the shipped scenarios).
MAX_CALLBACKS = 20_000

INT32_MAX = 2**31 - 1
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


@dataclass(frozen=True)
class Limit:
    """One input limit: an English key (content/input_limits.py words it for the Contribuir page), its value and
    who sets it. ``value`` is the number the code checks (None where the limit is a rule, not a number)."""

    name: str
    value: int | None
    source: Literal["Kubernetes", "model"]


LIMITS_TABLE: tuple[Limit, ...] = (
    Limit("file size", MAX_FILE_BYTES, "model"),
    Limit("YAML anchors and aliases", None, "model"),
    Limit("YAML nesting depth", MAX_DEPTH, "model"),
    Limit("items of one collection", MAX_ITEMS, "model"),
    Limit("characters of one scalar", MAX_STRING_CHARS, "model"),
    Limit("digits of one integer", MAX_INT_DIGITS, "model"),
    Limit("file encoding", None, "Kubernetes"),
    Limit("replicas int32", INT32_MAX, "Kubernetes"),
    Limit("replicas", MAX_REPLICAS, "model"),
    Limit("pods of one scenario", MAX_PODS, "model"),
    Limit("nodes of one scenario", MAX_NODES, "model"),
    Limit("steps of one scenario", MAX_STEPS, "model"),
    Limit("duration syntax", None, "Kubernetes"),
    Limit("simulated time", MAX_UNTIL_MS, "model"),
    Limit("clock callbacks", MAX_CALLBACKS, "model"),
)


def model_limit(what: str, value: Any, limit: Any) -> str:
    """The one wording of every model cap: ``<what> is <value>; the model accepts at most <limit> (model limit)``."""
    return f"{what} is {value}; the model accepts at most {limit} (model limit, see the Contribuir page)"


class InputLimitError(ValueError):
    """A file breaks one of the limits above before any work starts; ``str()`` names the file and field."""


# --- UTF-8 ----------------------------------------------------------------------------------------------
class Utf8Error(ValueError):
    """``problem`` is go-yaml's reader message; ``line``/``column`` are 1-based, ``offset`` the byte offset."""

    def __init__(self, problem: str, offset: int, line: int, column: int) -> None:
        self.problem = problem
        self.offset = offset
        self.line = line
        self.column = column
        super().__init__(f"line {line}, column {column}: yaml: {problem} (byte offset {offset})")


def decode_utf8(data: bytes) -> str:
    """``data`` as text, or :class:`Utf8Error` with go-yaml's wording (``yaml_parser_update_buffer``)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        if err.reason == "unexpected end of data":
            problem = "incomplete UTF-8 octet sequence"
        elif err.reason == "invalid continuation byte":
            problem = "invalid trailing UTF-8 octet"
        else:
            problem = "invalid leading UTF-8 octet"
        before = data[: err.start]
        line = before.count(b"\n") + 1
        column = err.start - (before.rfind(b"\n") + 1) + 1
        raise Utf8Error(problem, err.start, line, column) from None


def read_bounded(path: Any) -> str:
    """Read a file as UTF-8 text; too large -> :class:`InputLimitError`, bad bytes -> :class:`Utf8Error`.

    ``OSError`` propagates (callers name the file)."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InputLimitError(model_limit("the file size", f"more than {MAX_FILE_BYTES} bytes", f"{MAX_FILE_BYTES} bytes"))
    return decode_utf8(data)


# --- the YAML loader ------------------------------------------------------------------------------------
_INT_TAG = "tag:yaml.org,2002:int"


def _find_cparser() -> Any:
    """libyaml's parser, or None for a PyYAML built without libyaml (the pinned wheels have it)."""
    try:
        from yaml._yaml import CParser
    except ImportError:  # pragma: no cover - the pure parser only
        return None
    return CParser


_CParser: Any = _find_cparser()


def _libyaml_events(stream: Any) -> list[Any] | None:
    """Every event of ``stream`` parsed by libyaml, or None (no libyaml, not text, any error, or a text where
    libyaml is known to accept what PyYAML's scanner refuses: a tab inside or after a plain scalar, a ``?``
    inside a plain scalar in a flow collection; a refused file must not load, so those keep the pure parser)."""
    if _CParser is None or not isinstance(stream, str) or "\t" in stream:
        return None
    try:
        parser = _CParser(stream)
    except Exception:
        return None
    events: list[Any] = []
    flow = 0  # depth of flow collections ([...] or {...}) around the current event
    question = "?" in stream
    try:
        while True:
            event = parser.get_event()
            if event is None:
                return None
            events.append(event)
            if question:
                if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                    flow += 1 if (flow or event.flow_style) else 0
                elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                    flow -= 1 if flow else 0
                elif flow and isinstance(event, yaml.ScalarEvent) and not event.style and "?" in event.value:
                    return None
            if isinstance(event, yaml.StreamEndEvent):
                return events
    except Exception:  # the pure parser will say what is wrong, in its words
        return None
    finally:
        parser.dispose()


#: Indicator characters (``-:?[{``) above which a text is not composed by libyaml's recursive C composer. Every
#: mapping or sequence owns at least one of them, so this bounds the nesting depth libyaml can reach; it
#: segfaults between 20 000 and 30 000 levels with an 8 MiB stack (Python's thread default on Linux).
MAX_FAST_INDICATORS = 5000
_FAST_SCALAR_TAGS = frozenset(f"tag:yaml.org,2002:{name}"
                              for name in ("str", "int", "float", "bool", "null", "timestamp", "binary"))
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"


class _Decline(Exception):
    """:func:`_fast_documents` cannot vouch for this text: the events path reads it."""


def _fast_documents(stream: Any, loader_cls: type[BoundedLoader]) -> list[Any] | None:
    """Every document of ``stream`` as ``loader_cls`` constructs it, composed by libyaml; None where the text is not
    one this pass vouches for (module docstring, "Speed"), including every text that is an error."""
    if _CParser is None or not isinstance(stream, str) or "\t" in stream or "&" in stream:
        return None
    if sum(map(stream.count, "-:?[{")) > MAX_FAST_INDICATORS:
        return None
    if (loader_cls.yaml_implicit_resolvers is not yaml.resolver.Resolver.yaml_implicit_resolvers
            or loader_cls.yaml_path_resolvers is not yaml.resolver.Resolver.yaml_path_resolvers
            or yaml.resolver.Resolver.yaml_path_resolvers):
        return None  # a loader that resolves tags its own way, or by path
    composer = _composer_class()(stream)
    try:
        nodes = []
        while composer.check_node():
            nodes.append(composer.get_node())
    except Exception:  # the events path says what is wrong
        return None
    finally:
        composer.dispose()
    build = _builder(loader_cls, question="?" in stream)
    try:
        return [build(node, 0, False) for node in nodes]
    except Exception:  # _Decline, or a constructor's error: the events path raises it, in the pure parser's words
        return None


@functools.cache
def _composer_class() -> Any:
    """libyaml's parser and composer (C) with PyYAML's tag resolution (the implicit resolvers of ``yaml.SafeLoader``).

    Made on first use: the browser's bundle has no libyaml (``_CParser`` is None there)."""
    class Composer(_CParser, yaml.resolver.Resolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            yaml.resolver.Resolver.__init__(self)

    return Composer


def _builder(loader_cls: type[BoundedLoader], question: bool) -> Any:
    """The recursive pass of :func:`_fast_documents`: ``BoundedLoader.compose_node``'s checks, the loader's scalar
    constructors, and ``manifests.StrictLoader``'s mapping rule (keys through :func:`json_key`, true and 1
    distinct, a duplicate is an error: here it declines)."""
    loader = loader_cls.__new__(loader_cls)  # scalar constructors only read the node
    constructors = loader_cls.yaml_constructors
    scalar_node, sequence_node = yaml.ScalarNode, yaml.SequenceNode

    def build(node: Any, depth: int, flow: bool) -> Any:
        kind = type(node)
        if kind is scalar_node:
            value, tag = node.value, node.tag
            if len(value) > MAX_STRING_CHARS:
                raise _Decline
            if question and flow and not node.style and "?" in value:
                raise _Decline  # libyaml accepts it, PyYAML's scanner does not (_libyaml_events)
            if tag == _STR_TAG:
                return value
            if tag not in _FAST_SCALAR_TAGS or (tag == _INT_TAG and sum(c.isdigit() for c in value) > MAX_INT_DIGITS):
                raise _Decline
            return constructors[tag](loader, node)
        depth += 1
        items = node.value
        if depth > MAX_DEPTH or len(items) > MAX_ITEMS:
            raise _Decline
        flow = flow or bool(node.flow_style)
        if kind is sequence_node:
            if node.tag != _SEQ_TAG:
                raise _Decline
            return [build(item, depth, flow) for item in items]
        if node.tag != _MAP_TAG:
            raise _Decline
        mapping: dict[str, Any] = {}
        seen: set[tuple[type, Any]] = set()
        for key_node, value_node in items:
            if type(key_node) is not scalar_node:
                raise _Decline
            key = build(key_node, depth, flow)
            marker = (type(key), key)
            if marker in seen:
                raise _Decline
            seen.add(marker)
            mapping[json_key(loader, key, key_node)] = build(value_node, depth, flow)
        return mapping

    return build


class BoundedLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` with the bounds of the module docstring (no aliases, depth, sizes).

    Events come from libyaml when it parses the whole text; on any error the pure parser redoes the
    work (``pure=True``) so the error is the pure parser's (module docstring, "Speed"). A subclass whose
    mapping rule is ``manifests.StrictLoader``'s sets ``fast_path`` to build the objects with
    :func:`_fast_documents` first."""

    fast_path: ClassVar[bool] = False

    def __init__(self, stream: Any, *, pure: bool = False) -> None:
        super().__init__(stream)
        self._depth = 0
        self._stream = stream
        self._documents = 0  # documents returned by get_data (to replay them in the pure loader)
        self._delegate: BoundedLoader | None = None  # the pure loader, after an error
        #: the documents built by _fast_documents (None: it declined, or fast_path is off)
        self._built = None if pure or not self.fast_path else _fast_documents(stream, type(self))
        self._events = None if pure or self._built is not None else _libyaml_events(stream)
        self._next = 0
        if self._events is not None:  # instance attributes shadow the pure Parser's methods
            self.check_event = self._fast_check_event  # type: ignore[method-assign]
            self.peek_event = self._fast_peek_event  # type: ignore[method-assign]
            self.get_event = self._fast_get_event  # type: ignore[method-assign]

    # -- events from libyaml (PyYAML Parser API) --------------------------------------------------------
    def _fast_check_event(self, *choices: Any) -> bool:
        events, index = self._events, self._next
        if index >= len(events):  # type: ignore[arg-type]
            return False
        return not choices or isinstance(events[index], choices)  # type: ignore[index]

    def _fast_peek_event(self) -> Any:
        return self._events[self._next] if self._next < len(self._events) else None  # type: ignore[index,arg-type]

    def _fast_get_event(self) -> Any:
        if self._next >= len(self._events):  # type: ignore[arg-type]
            return None
        event = self._events[self._next]  # type: ignore[index]
        self._next += 1
        return event

    # -- errors are the pure parser's (PyYAML Constructor API used by yaml.load / yaml.load_all) ---------
    def _pure_loader(self) -> BoundedLoader:
        """A pure-Python loader of the same class over the same text, past the documents already returned."""
        pure = type(self)(self._stream, pure=True)
        for _ in range(self._documents):
            pure.check_data()
            pure.get_data()
        return pure

    def check_data(self) -> bool:
        if self._delegate is not None:
            return self._delegate.check_data()
        if self._built is not None:
            return self._documents < len(self._built)
        base: Any = super()
        return bool(base.check_data())

    def get_data(self) -> Any:
        if self._delegate is not None:
            return self._delegate.get_data()
        if self._built is not None:
            self._documents += 1
            return self._built[self._documents - 1]
        if self._events is None:
            return super().get_data()
        try:
            data = super().get_data()
        except Exception:
            pass  # redone below, outside this handler, so the error raised carries no libyaml context
        else:
            self._documents += 1
            return data
        self._delegate = self._pure_loader()
        return self._delegate.get_data()

    def get_single_data(self) -> Any:
        if self._built is not None and len(self._built) <= 1:
            return self._built[0] if self._built else None
        if self._built is not None:  # more than one document: the pure parser's error
            self._delegate = type(self)(self._stream, pure=True)
            return self._delegate.get_single_data()
        if self._events is None:
            return super().get_single_data()
        try:
            return super().get_single_data()
        except Exception:
            pass  # redone below, outside this handler
        self._delegate = type(self)(self._stream, pure=True)
        return self._delegate.get_single_data()

    def dispose(self) -> None:
        if self._delegate is not None:
            self._delegate.dispose()
        super().dispose()

    def compose_node(self, parent: Any, index: Any) -> Any:  # PyYAML Composer API
        event: Any = cast(Any, self).peek_event()  # Parser.peek_event is untyped in PyYAML's stubs
        mark: Any = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            raise ComposerError(None, None, f"YAML aliases are not accepted (*{event.anchor}); write the value out",
                                mark)
        if getattr(event, "anchor", None) is not None:
            raise ComposerError(None, None, f"YAML anchors are not accepted (&{event.anchor}); write the value out",
                                mark)
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise ComposerError(None, None, model_limit("the nesting depth", f"more than {MAX_DEPTH}", MAX_DEPTH),
                                    mark)
            try:
                node: Any = super().compose_node(parent, index)
            finally:
                self._depth -= 1
            if len(node.value) > MAX_ITEMS:
                what = "entries of this mapping" if isinstance(node, yaml.MappingNode) else "items of this list"
                raise ComposerError(None, None, model_limit(f"the number of {what}", len(node.value), MAX_ITEMS),
                                    node.start_mark)
            return node
        node = super().compose_node(parent, index)
        if isinstance(node, yaml.ScalarNode):
            if len(node.value) > MAX_STRING_CHARS:
                raise ComposerError(None, None, model_limit("the length of this value", f"{len(node.value)} characters",
                                                            f"{MAX_STRING_CHARS} characters"), node.start_mark)
            if node.tag == _INT_TAG and sum(c.isdigit() for c in node.value) > MAX_INT_DIGITS:
                digits = sum(c.isdigit() for c in node.value)
                raise ComposerError(None, None, model_limit("this integer", f"{digits} digits long", f"{MAX_INT_DIGITS} digits"),
                                    node.start_mark)
        return node


def _construct_text(loader: BoundedLoader, node: yaml.ScalarNode) -> str:
    return loader.construct_scalar(node)


def _construct_binary(loader: BoundedLoader, node: yaml.ScalarNode) -> str:
    try:
        data = base64.decodebytes(loader.construct_scalar(node).encode("ascii"))
        return data.decode("utf-8")
    except (binascii.Error, UnicodeError) as err:
        raise ConstructorError(None, None, f"failed to decode !!binary data: {err}", node.start_mark) from None


BoundedLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_text)
BoundedLoader.add_constructor("tag:yaml.org,2002:binary", _construct_binary)


def json_key(loader: object, key: Any, key_node: yaml.Node) -> str:
    """A mapping key as kubernetes-sigs/yaml's ``convertToJSONableObject`` makes it (JSON keys are strings)."""
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int):
        return str(key)
    if isinstance(key, float):
        return repr(key)
    raise ConstructorError(None, None, f"unsupported map key of type: {type(key).__name__}, key: {key!r}",
                           key_node.start_mark)


def describe_yaml_error(err: yaml.YAMLError) -> tuple[str, int | None, int | None]:
    """``(problem, line, column)`` of a PyYAML error, on one line (1-based line and column, when known)."""
    if isinstance(err, yaml.reader.ReaderError):
        problem = f"unacceptable character #x{err.character:04x}: {err.reason}" if isinstance(err.character, int) \
            else f"unacceptable byte #x{err.character[0]:02x}: {err.reason}"
        return problem, None, None
    if isinstance(err, yaml.MarkedYAMLError):
        mark = err.problem_mark or err.context_mark
        problem = err.problem or err.context or "invalid YAML"
        if err.context and err.problem:
            problem = f"{err.context}; {err.problem}"
        problem = " ".join(problem.split())
        return problem, (mark.line + 1) if mark else None, (mark.column + 1) if mark else None
    return " ".join(str(err).split()), None, None
