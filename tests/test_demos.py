"""Every demo runs, and every lecture demo's hand formulas agree with the graph.

The lecture demos' checks must be able to fail: the tests at the end break the engine or
the optimiser on purpose (a wrong local derivative, a wrong forward value, Nesterov ignored)
and expect every demo that depends on it to report a failure.
"""

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import demos.lecture
import nn
from autograd import Value
from demos.lecture.agreement import Agreement, Claim, Report, Slip

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
    assert all(isinstance(r, (Agreement, Slip, Claim)) for r in results)
    assert any("agrees" in line for line in lines)


def run_quietly(name: str, tmp_path: Path) -> tuple[list, list[str]]:
    module = importlib.import_module(f"demos.lecture.{name}")
    lines: list[str] = []
    kwargs = {"out": tmp_path} if "out" in module.run.__code__.co_varnames else {}
    return module.run(show=lines.append, **kwargs), lines


def test_every_slip_in_the_notes_is_caught(tmp_path):
    results, lines = run_quietly("s7_slips", tmp_path)
    slips = [r for r in results if isinstance(r, Slip)]
    by_letter = {letter: [s for s in slips if s.what.startswith(f"({letter})")] for letter in "abcde"}
    for letter, rows in by_letter.items():
        assert rows, f"slip ({letter}) is not shown"
        assert all(s.corrected_agrees for s in rows), letter
        assert any(not s.slide_agrees for s in rows), f"the graph never catches slip ({letter})"
    # (d): the slide's ŷ_ℓ agrees with the graph only for i = ℓ, and disagrees for every other unit
    d = by_letter["d"]
    assert [s.slide_agrees for s in d] == [s.slide_should_agree for s in d]
    assert any(s.slide_should_agree for s in d) and sum(not s.slide_should_agree for s in d) >= 4
    # (e): all three typos: the two-path rule, ∂e/∂S_j, and the layer index of the weights
    assert {s.what.split(",")[0] for s in by_letter["e"]} >= {
        "(e) left side",
        "(e) right side",
        "(e) ∂e/∂S_0^(2)",
        "(e) S_0^(2)",
        "(e) ∂e/∂W_00^(1)",
    }
    # each slip prints the slide's formula and the corrected one
    for formula in (
        "slide:     ∂C/∂W^(2) = h · (o ⊙ (1 − o) ⊙ (o − y))ᵀ",
        "slide:     ∂L/∂a_j = ½ (y_j − a_j)",
        "slide:     ∂L/∂w_ij = [(y_j − a_j) σ'(z_j)] a_i^(l−1)",
        "slide:     ∂L/∂a_{L,i} = −(1(ℓ = i) − ŷ_ℓ)",
        "slide:     ∂ŷ_ℓ/∂a_i = ŷ_ℓ 1(i = ℓ) − softmax(a)_ℓ · softmax(a)_ℓ",
        "slide:     ∂z/∂z = ∂z/∂x ∂x/∂s + ∂y/∂z ∂y/∂s",
        "slide:     ∂e/∂S_j = x_i δ_j",
        "slide:     S_j^(l) = W_0j^(l) + Σ_k W_kj^(l−1) x_k^(l−1)",
    ):
        assert any(line.strip().startswith(formula) for line in lines), formula
    assert any("corrected agrees, slide off" in line for line in lines)


def test_the_statements_after_the_slips_are_shown(tmp_path):
    s3, _ = run_quietly("s3_local_derivatives", tmp_path)
    s5, _ = run_quietly("s5_delta", tmp_path)
    whats = {r.what for r in s3 + s5 if isinstance(r, Agreement)}
    assert "δ^(L) = 2(x^(L) − y) θ'(s^(L))" in whats  # squared error with a tanh output θ
    jacobian = {w for w in whats if w.startswith("∂ŷ_") and "/∂a_" in w}
    assert len(jacobian) == 9  # the softmax Jacobian, every entry, as its own step
    assert "δ_1^(3) = −2(y − f)(g^L)'(Z_1^(3))" in whats  # the simplest interesting case, no ½
    assert "∂L/∂w_21^(1) = δ_2^(2) · a_1^(1)" in whats


def test_the_weak_checks_a_reader_found_are_fixed(tmp_path):
    s1, s1_lines = run_quietly("s1_forward", tmp_path)
    assert any("ŷ[0] = O(a3[0]) = a3[0]" in line for line in s1_lines)
    assert not any(line.strip().startswith("h3") for line in s1_lines)

    _, thin_lines = run_quietly("s5_thin", tmp_path)
    for name in ("∂L/∂ŷ", "∂ŷ/∂a_3", "∂a_3/∂h_2", "∂h_2/∂a_2", "∂a_1/∂w_1", "∂ŷ/∂a_10", "∂a_10/∂h_9"):
        assert any(f"× {name} " in line for line in thin_lines), name

    from demos.lecture import s6_training

    r = Report(show=lambda _: None)
    s6_training.regularisation(r)
    l2 = [a for a in r.results if isinstance(a, Agreement) and "λ Σ w²)/∂w" in a.what]
    l1 = [a for a in r.results if isinstance(a, Agreement) and "λ Σ |w|)/∂w" in a.what]
    assert len(l1) == len(l2) >= 2
    assert all(abs(a.notes - b.notes) > 1e-6 for a, b in zip(l2, l1)), "L1 and L2 print the same number"


def broken_sgd_step(lr_factor: float = 1.0, nesterov: bool | None = None):
    """nn.SGD.step, but with a wrong learning rate or with Nesterov switched."""
    step = nn.SGD.step

    def wrong(self):
        lr, flag = self.lr, self.nesterov
        self.lr *= lr_factor
        if nesterov is not None:
            self.nesterov = nesterov
        try:
            step(self)
        finally:
            self.lr, self.nesterov = lr, flag

    return wrong


@pytest.mark.parametrize(
    "breakage, part, fails",
    [
        ({"lr_factor": 1.001}, "gradient_descent", "θ_1 = θ_0 − η ∇θ_0"),
        ({"lr_factor": 1.001}, "regularisation", "θ_1 = θ_0 − η ∇(L + λ Σ w²)"),
        ({"lr_factor": 1.001}, "momentum_rules", "momentum, step 1"),
        ({"nesterov": False}, "momentum_rules", "Nesterov, step 1: θ_1 + μ v_1"),
        ({"nesterov": False}, "momentum_rules", "Nesterov, step 2: PyTorch's θ_2"),
    ],
)
def test_the_update_rules_are_checked_against_the_optimiser_not_against_themselves(monkeypatch, breakage, part, fails):
    from demos.lecture import s6_training

    monkeypatch.setattr(nn.SGD, "step", broken_sgd_step(**breakage))
    r = Report(show=lambda _: None)
    run = getattr(s6_training, part)
    run(r, max_iterations=3) if part == "gradient_descent" else run(r)
    failing = {res.what for res in r.results if not res.holds}
    assert any(what.startswith(fails) for what in failing), failing


def wrong_derivative(f):
    """f with the same forward value and a local derivative off by 0.01."""
    return lambda x: f(x) + (x - x.data) * 0.01


def wrong_value(f):
    """f with a forward value off by 1e-9 and the right derivative."""
    return lambda x: f(x) + 1e-9


@pytest.mark.parametrize(
    "name, breakage",
    [
        ("s1_forward", wrong_value),
        ("s2_losses", wrong_value),
        ("s3_local_derivatives", wrong_derivative),
        ("s4_paths", wrong_derivative),
        ("s5_delta", wrong_derivative),
        ("s5_thin", wrong_derivative),
        ("s7_slips", wrong_derivative),
    ],
)
def test_a_broken_engine_makes_the_lecture_demo_fail(monkeypatch, tmp_path, name, breakage):
    for op in ("tanh", "sigmoid", "exp"):
        broken = breakage(getattr(Value, op))
        monkeypatch.setattr(Value, op, broken)
        if op in nn.functional.ACTIVATIONS:
            monkeypatch.setitem(nn.functional.ACTIVATIONS, op, broken)
    results, _ = run_quietly(name, tmp_path)
    assert any(not r.holds for r in results), f"{name} did not notice a broken engine"


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
    promised = ["graph.svg", "backprop.html", "quiz.html", "gradient_graph.svg", "network.svg", "moons.png"]
    for name in [*promised, "playground.html"]:
        assert str(tmp_path / name) in result.stdout
        assert name in (ROOT / "demos" / "tour.py").read_text().split('"""')[1]  # the docstring lists it
    for name in ("graph.svg", "network.svg", "gradient_graph.svg"):
        ET.parse(tmp_path / name)
    assert "training accuracy 100%" in result.stdout
    assert "b      -0.0027  0.002682   WRONG" in result.stdout and "the sign is flipped" in result.stdout
    assert "the same gradients" in result.stdout
    assert (tmp_path / "moons.png").read_bytes()[:4] == b"\x89PNG"
