"""The Spanish sentences for the model's decisions (issue #14: the model keeps no reader text).

The model records a decision as a reason code plus fields (``Trace.decide``: ``TraceEvent.code`` and
``TraceEvent.data``); a page shows the sentence this phrasebook builds from them. One module per component
family, each a ``PHRASES`` dict from code to a function of the fields (strings, as ``TraceEvent.data`` holds
them). The content layer applies it (``k8sdocs/content/phrased.py``); render never imports the model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from k8sdocs.render.phrasebook import cloud, controllers, kube_proxy, kubelet, scheduler

Phrase = Callable[[Mapping[str, str]], str]


def _merge(*tables: Mapping[str, Phrase]) -> dict[str, Phrase]:
    merged: dict[str, Phrase] = {}
    for table in tables:
        for code, phrase in table.items():
            if code in merged:
                raise ValueError(f"reason code {code!r} has two phrases")
            merged[code] = phrase
    return merged


PHRASES: dict[str, Phrase] = _merge(
    cloud.PHRASES, controllers.PHRASES, kube_proxy.PHRASES, kubelet.PHRASES, scheduler.PHRASES
)


def has_phrase(code: str) -> bool:
    return code in PHRASES


def sentence(code: str, fields: Mapping[str, str]) -> str:
    """The Spanish sentence for decision ``code`` with ``fields``; an unknown code or a missing field is a KeyError."""
    try:
        phrase = PHRASES[code]
    except KeyError:
        raise KeyError(f"no phrase for decision code {code!r} (add it to k8sdocs/render/phrasebook/)") from None
    return phrase(fields)
