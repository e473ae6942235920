"""Stepping through backprop: the API, the terminal stepper, and the HTML player in a real browser."""

import subprocess
import sys
from pathlib import Path

import pytest

from autograd import Value, backward_steps, topological_order
from autograd.expression import build
from demos.narrate import Namer, equation
from demos.step import tiny_model_loss

ROOT = Path(__file__).resolve().parent.parent


def test_exhausting_the_steps_gives_the_same_gradients_as_backward():
    def graph():
        a, b = Value(0.7, label="a"), Value(-1.3, label="b")
        h = (a * b + a).tanh()
        return h * h + b.exp() * a

    stepped, plain = graph(), graph()
    steps = list(backward_steps(stepped))
    plain.backward()
    assert [n.grad for n in topological_order(stepped)] == [n.grad for n in topological_order(plain)]
    assert len(steps) == sum(len(n.parents) for n in topological_order(stepped))


def test_a_node_used_twice_gets_two_contributions_that_add_up():
    a = Value(3.0, label="a")
    b = a * a
    steps = [s for s in backward_steps(b) if s.parent is a]
    assert [s.index for s in steps] == [0, 1]
    assert [s.contribution for s in steps] == pytest.approx([3.0, 3.0])
    assert steps[0].after == pytest.approx(steps[1].before)
    assert steps[1].after == pytest.approx(a.grad) == pytest.approx(6.0)


def test_steps_come_in_backward_order_with_consistent_numbers():
    root, leaves = build("tanh(a*b + c)", {"a": 2.0, "b": -3.0, "c": 10.0})
    steps = list(backward_steps(root))
    assert [s.node.op for s in steps] == ["tanh", "+", "+", "*", "*"]
    for s in steps:
        assert s.contribution == pytest.approx(s.local * s.upstream)
        assert s.after == pytest.approx(s.before + s.contribution)
    assert equation(steps[3], Namer(root)) == ("∂L/∂a += ∂(a*b)/∂a · ∂L/∂(a*b) = -3.0000 × 0.0013 = -0.0040")


def run_step(*args, stdin=""):
    return subprocess.run(
        [sys.executable, "-m", "demos.step", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_terminal_stepper_runs_straight_through_without_a_terminal():
    result = run_step("tanh(a*b + c)", "a=2", "b=-3", "c=10")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "a*b + c = +4.0000" in out and out.count("\nstep ") == 5
    assert "∂L/∂a: 0.0000 → -0.0040" in out and "∂L/∂a = -0.004023" in out


def test_terminal_stepper_waits_for_enter_when_interactive():
    from demos.step import step_through

    waits, lines = [], []
    root, _ = build("x*x", {"x": 3.0})
    count = step_through(root, wait=lambda: waits.append(1), out=lines.append)
    assert count == len(waits) == 2
    assert any("∂L/∂x: 3.0000 → 6.0000" in line for line in lines)


def test_terminal_stepper_model_mode_and_bad_expressions():
    result = run_step("--model", "--auto")
    assert result.returncode == 0, result.stderr
    loss = tiny_model_loss()
    loss.backward()
    w = next(n for n in topological_order(loss) if n.label == "W2[0,0]")
    assert f"∂L/∂W2[0,0] = {w.grad:+.6f}" in result.stdout
    refused = run_step("a.b", "a=1")
    assert refused.returncode == 2 and "attribute access" in refused.stderr


@pytest.mark.slow
def test_html_player_in_a_real_browser(browser, tmp_path):
    page_file = tmp_path / "backprop.html"
    result = run_step("tanh(a*b + c)", "a=2", "b=-3", "c=10", "--html", str(page_file))
    assert result.returncode == 0, result.stderr
    assert "http" not in page_file.read_text().replace("http://www.w3.org", "")  # nothing fetched from anywhere

    root, _ = build("tanh(a*b + c)", {"a": 2.0, "b": -3.0, "c": 10.0})
    name = Namer(root)
    steps = list(backward_steps(root))

    page = browser.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_file.as_uri())

    def highlighted():
        coloured = "gs => gs.filter(g => g.querySelector('[stroke=\"#d62728\"]'))"
        titles = page.eval_on_selector_all(
            "#graph g.node", coloured + ".map(g => g.querySelector('title').textContent)"
        )
        return set(titles)

    assert page.inner_text("#equation").startswith("Seed")
    for n in (1, 2, 3, 4):
        page.click("#next")
        step = steps[n - 1]
        assert page.inner_text("#equation") == equation(step, name)
        assert {name.ids[step.node], name.ids[step.parent]} <= highlighted()
        assert page.get_attribute("#graph", "data-node") == name.ids[step.node]
    assert "grad -0.0040" in page.inner_text("#graph")  # a's gradient, filled in at step 4
    page.click("#prev")
    assert page.inner_text("#equation") == equation(steps[2], name)
    assert "grad -0.0040" not in page.inner_text("#graph")
    page.keyboard.press("ArrowRight")
    assert page.inner_text("#equation") == equation(steps[3], name)
    page.fill("#slider", "1")
    page.dispatch_event("#slider", "input")
    assert page.inner_text("#equation") == equation(steps[0], name)
    page.click("#play")
    page.wait_for_function("document.getElementById('counter').textContent === 'step 5 of 5'", timeout=20_000)
    assert page.inner_text("#equation") == equation(steps[4], name)
    assert errors == []
