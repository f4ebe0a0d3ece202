"""The «Límites» table of the Contribuir page: the model keeps names and numbers, content words them in Spanish."""

from __future__ import annotations

from k8sdocs.content.input_limits import DESCRIPTIONS, describe, limits_table
from k8sdocs.model.limits import LIMITS_TABLE, MAX_FILE_BYTES


def test_every_limit_has_one_description_and_no_description_is_stale() -> None:
    names = [lim.name for lim in LIMITS_TABLE]
    assert len(names) == len(set(names))
    assert set(names) == set(DESCRIPTIONS)


def test_values_come_from_the_model_numbers() -> None:
    by_name = {lim.name: lim for lim in LIMITS_TABLE}
    assert describe(by_name["file size"]) == ("Tamaño de un archivo de escenario, manifiesto o casos",
                                              f"{MAX_FILE_BYTES // 1024} KiB")
    assert describe(by_name["clock callbacks"])[1] == "20.000"


def test_table_rows() -> None:
    text = limits_table(None)  # type: ignore[arg-type]  (the table reads no example)
    assert len(text.strip().splitlines()) == len(LIMITS_TABLE) + 2  # header and alignment rows
    assert "| Anclas y alias de YAML (<code>&amp;a</code>,<code>\\*a</code>) | no se admiten | el modelo |" in text
