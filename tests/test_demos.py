"""Every demo runs, and every lecture demo's hand formulas agree with the graph."""

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import demos.lecture
from demos.lecture.agreement import Agreement, Claim

ROOT = Path(__file__).resolve().parent.parent
LECTURE = sorted(m.name for m in pkgutil.iter_modules(demos.lecture.__path__) if m.name.startswith("s"))


def test_there_is_a_demo_for_every_section_of_the_notes():
    sections = {name[1] for name in LECTURE}
    assert sections == set("1234567")


@pytest.mark.parametrize("name", LECTURE)
def test_lecture_demo_agrees_with_the_graph(name, tmp_path):
    module = importlib.import_module(f"demos.lecture.{name}")
    lines = []
    kwargs = {"out": tmp_path} if "out" in module.run.__code__.co_varnames else {}
    results = module.run(show=lines.append, **kwargs)
    agreements = [r for r in results if isinstance(r, Agreement)]
    assert agreements, "a lecture demo must compare at least one formula with the graph"
    failing = [r.line() for r in results if not r.holds]
    assert not failing, "\n".join(failing)
    assert all(isinstance(r, (Agreement, Claim)) for r in results)
    assert any("agrees" in line for line in lines)


def test_training_demo_plots_its_loss_curves(tmp_path):
    from demos.lecture import s6_training

    s6_training.run(show=lambda _: None, out=tmp_path)
    assert (tmp_path / "loss_curves.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("name", LECTURE[:2])
def test_lecture_demos_run_as_scripts(name):
    result = subprocess.run([sys.executable, "-m", f"demos.lecture.{name}"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "checks hold" in result.stdout


def test_quickstart():
    result = subprocess.run([sys.executable, "-m", "demos.quickstart"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "dL/da -0.004023" in result.stdout


@pytest.mark.slow
def test_tour_writes_everything_it_promises(tmp_path):
    import xml.etree.ElementTree as ET

    result = subprocess.run(
        [sys.executable, "-m", "demos.tour", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for name in ("graph.svg", "backprop.html", "network.svg", "moons.png"):
        assert str(tmp_path / name) in result.stdout
    ET.parse(tmp_path / "graph.svg")
    ET.parse(tmp_path / "network.svg")
    assert "training accuracy 100%" in result.stdout
    assert (tmp_path / "moons.png").read_bytes()[:4] == b"\x89PNG"
