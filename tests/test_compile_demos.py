"""The digits demo and the benchmarks run end to end (slow: seconds each)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_digits_demo_reaches_96_percent_and_draws_its_pictures(tmp_path, capsys):
    pytest.importorskip("sklearn")
    pytest.importorskip("matplotlib")
    pytest.importorskip("tqdm")
    from demos import digits

    accuracy = digits.main(["--out", str(tmp_path), "--no-eager"])
    assert accuracy >= 0.96
    out = capsys.readouterr().out
    assert "held-out accuracy" in out and "next epoch: replays only" in out
    for name in ("confusion.png", "misclassified.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [
        ["benchmarks/moons.py", "--steps", "6"],
        ["benchmarks/digits.py", "--batch", "32", "--steps", "6", "--eager-every", "3"],
    ],
)
def test_the_benchmarks_print_their_ratios(command):
    pytest.importorskip("torch")
    pytest.importorskip("sklearn")
    result = subprocess.run([sys.executable, *command], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    for line in ("eager chainrule", "compiled chainrule", "PyTorch (f32, 1 thread)", "eager steps", "× PyTorch"):
        assert line in result.stdout
