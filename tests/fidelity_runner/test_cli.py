"""``python -m k8sdocs.fidelity``: its command line (argparse): --help, usage errors, exit status."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from k8sdocs.fidelity.runner import main

ROOT = Path(__file__).resolve().parents[2]


def test_help_names_the_arguments_and_the_exit_status(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: python -m k8sdocs.fidelity [-h] PATH [PATH ...]")
    assert "tests/fidelity/README.md" in out and "Exit status: 0" in out


def test_no_path_is_a_usage_error(capsys):
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "usage: python -m k8sdocs.fidelity" in err and "the following arguments are required: PATH" in err


def test_unknown_option_is_a_usage_error(capsys):
    assert main(["--frobnicate", "tests/fidelity"]) == 2
    assert "unrecognized arguments: --frobnicate" in capsys.readouterr().err


def test_module_help_exits_zero():
    proc = subprocess.run([sys.executable, "-m", "k8sdocs.fidelity", "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout.startswith("usage: python -m k8sdocs.fidelity")


def test_paths_still_run(tmp_path, capsys):
    case = tmp_path / "c.yaml"
    case.write_text("- id: x-1\n  incomplete: true\n  incomplete_reason: not transcribed\n")
    assert main([str(case)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "0 passed, 0 failed, 1 skipped"
