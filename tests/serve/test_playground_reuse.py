"""The playground bundle is built again only when its inputs change (k8sdocs/playground.py; issue 12, item 4):
every build and every `make serve` rebuild used to pay about 0.3 s of CPU for the same zip."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sdocs import playground


def test_the_reused_zip_is_the_built_zip_and_comes_from_memory_or_disk(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(playground, "_ZIPS", {})
    built = playground.bundle_zip()
    assert playground.reused_bundle_zip(tmp_path) == built
    assert [p.name for p in tmp_path.iterdir()] == [f"playground-{playground.bundle_input_digest()[:32]}.zip"]

    def fail() -> bytes:
        raise AssertionError("built again although nothing changed")

    monkeypatch.setattr(playground, "bundle_zip", fail)
    assert playground.reused_bundle_zip(tmp_path) == built  # memory
    playground._ZIPS.clear()
    assert playground.reused_bundle_zip(tmp_path) == built  # disk


def test_changed_inputs_build_a_new_zip_and_drop_the_old_one(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(playground, "_ZIPS", {})
    playground.reused_bundle_zip(tmp_path)
    monkeypatch.setattr(playground, "bundle_input_digest", lambda: "f" * 64)
    monkeypatch.setattr(playground, "bundle_zip", lambda: b"PK\x05\x06" + b"\0" * 18)  # an empty zip
    assert playground.reused_bundle_zip(tmp_path) == b"PK\x05\x06" + b"\0" * 18
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"playground-{'f' * 32}.zip"]


@pytest.mark.parametrize("garbage", [b"", b"not a zip"])
def test_a_damaged_zip_on_disk_is_built_again(tmp_path: Path, monkeypatch, garbage: bytes) -> None:
    monkeypatch.setattr(playground, "_ZIPS", {})
    (tmp_path / f"playground-{playground.bundle_input_digest()[:32]}.zip").write_bytes(garbage)
    assert playground.reused_bundle_zip(tmp_path) == playground.bundle_zip()


def test_the_digest_follows_the_model_sources(monkeypatch) -> None:
    before = playground.bundle_input_digest()
    original = playground._package_files

    def plus_one(package_dir: Path, prefix: str, parts=None):
        found = original(package_dir, prefix, parts)
        return found + [(f"{prefix}/extra.py", Path(playground.__file__))] if prefix == "k8sdocs" else found

    monkeypatch.setattr(playground, "_package_files", plus_one)
    assert playground.bundle_input_digest() != before
