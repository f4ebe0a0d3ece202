"""Every decision of every scenario the site runs is a reason code with a Spanish phrase (issue #14, item 1).

The model records decisions with ``Trace.decide`` (a code plus fields); the page's sentence comes from
``k8sdocs/render/phrasebook``. A decision without a code, or a code without a phrase, or a phrase that needs a
field the model did not record, fails here rather than on a page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs.model.cluster import Cluster
from k8sdocs.render.phrasebook import has_phrase, sentence

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "docs" / "escenarios").glob("*.yaml"))


def test_the_site_has_scenarios():
    assert len(SCENARIOS) >= 10


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_decision_has_a_code_with_a_phrase(path):
    run = Cluster.from_scenario(path).run()
    decisions = [e for e in run.events if e.kind == "decision"]
    assert [(e.source, e.summary) for e in decisions if not (e.code and has_phrase(e.code))] == []
    for event in decisions:
        assert event.code is not None
        assert sentence(event.code, dict(event.data)).strip()
