"""Stepping through backprop: the API, the words (autograd.narrate) and the terminal stepper."""

import re
import shlex
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from autograd import Value, backward_steps, topological_order
from autograd.cli import EXAMPLES
from autograd.expression import build, parse_bindings
from autograd.narrate import Namer, describe, earlier_passes_note, equation
from autograd.player import Player
from demos.step import main as step_main
from demos.step import step_through, tiny_model_loss

ROOT = Path(__file__).resolve().parent.parent
README = ("tanh(a*b + c)", {"a": 2.0, "b": -3.0, "c": 10.0})
SATURATED = ("tanh(5*x)", {"x": 2.0})


def run_step(*args, stdin=""):
    return subprocess.run(
        [sys.executable, "-m", "demos.step", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def lines_of(root, **options):
    lines = []
    step_through(root, wait=lambda: None, out=lines.append, **options)
    return "\n".join(lines)


# --- the engine's steps ---------------------------------------------------------------


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
    assert [s.edge for s in steps] == [0, 1]
    assert [s.contribution for s in steps] == pytest.approx([3.0, 3.0])
    assert steps[0].after == pytest.approx(steps[1].before)
    assert steps[1].after == pytest.approx(a.grad) == pytest.approx(6.0)


# --- numbers that add up (issue 9, item 3) -----------------------------------------------


def shown_tolerance(text: str, digits: int = 3) -> float:
    """Half a unit in the last shown digit (trailing zeros that %g drops count up to ``digits``)."""
    sign, figures, exponent = Decimal(text).as_tuple()
    missing = max(0, digits - len(figures))
    return 0.5 * 10.0 ** (exponent - missing)


def products_in(text: str) -> list[tuple[str, str, str]]:
    return re.findall(r"= (\S+) × (\S+) = (\S+?)(?:;|$|\s)", text, flags=re.MULTILINE)


def assert_products_add_up(text: str, expected: int) -> None:
    found = products_in(text)
    assert len(found) == expected, text
    for local, upstream, contribution in found:
        product = float(local) * float(upstream)
        assert abs(product - float(contribution)) <= shown_tolerance(contribution) * (1 + 1e-9), (
            f"{local} × {upstream} = {product!r} is shown as {contribution}"
        )


@pytest.mark.parametrize("example", [README, SATURATED], ids=["readme", "saturated-tanh"])
def test_the_shown_factors_multiply_out_to_the_shown_contribution(example):
    expression, bindings = example
    root, _ = build(expression, dict(bindings))
    truth = [(s.local, s.upstream, s.contribution) for s in backward_steps(root)]
    steps = len(truth)
    # the terminal stepper
    out = lines_of(build(expression, dict(bindings))[0])
    assert_products_add_up(out, steps)
    for shown, true in zip(products_in(out), truth):  # and each number is the true one, to 3 digits at least
        assert [float(x) for x in shown] == pytest.approx(true, rel=5e-3, abs=0)
    totals = re.findall(r"= \S+ × \S+ = (\S+)\n\s*∂L/∂.+?: (\S+) → (\S+)$", out, flags=re.MULTILINE)
    assert len(totals) == steps
    for contribution, before, after in totals:
        gap = abs(float(before) + float(contribution) - float(after))
        assert gap <= shown_tolerance(after) + shown_tolerance(before) + shown_tolerance(contribution)
    # the equations themselves, and the player's frames
    root, _ = build(expression, dict(bindings))
    name = Namer(root)
    assert_products_add_up("\n".join(equation(s, name) for s in backward_steps(root)), steps)
    frames = Player(build(expression, dict(bindings))[0]).data["steps"]
    assert_products_add_up("\n".join(f["eq"] for f in frames), steps)
    assert_products_add_up("\n".join(f["explain"] for f in frames), steps)


def test_the_parent_gradients_add_up_and_the_readme_numbers_are_the_ones_students_check():
    root, _ = build(*README)
    name = Namer(root)
    told = [describe(s, name) for s in backward_steps(root)]
    for t in told:
        gap = abs(float(t.before) + float(t.contribution) - float(t.after))
        assert gap <= shown_tolerance(t.after) + shown_tolerance(t.before) + shown_tolerance(t.contribution)
    assert told[3].equation() == "∂L/∂a += ∂(a*b)/∂a · ∂L/∂(a*b) = -3 × 0.001341 = -0.004023"
    assert told[3].total() == "∂L/∂a: 0 → -0.004023"


def test_digits_grow_only_where_rounded_factors_would_not_multiply_out():
    from autograd import Step, format_number

    a = Value(1.0, label="a")
    node = a * 2.0
    local, upstream = -1.0231285, 0.5
    step = Step(node, upstream, a, 0, local, local * upstream, 0.0, local * upstream)
    four = [format_number(x) for x in (local, upstream, local * upstream)]
    assert four == ["-1.023", "0.5", "-0.5116"]  # -1.023 × 0.5 is -0.5115: it does not multiply out
    told = describe(step, Namer(node))
    assert_products_add_up(told.equation(), 1)
    assert len(told.local) > len("-1.023")
    assert (
        describe(step._replace(local=-3.0, contribution=-1.5, after=-1.5), Namer(node)).product() == "-3 × 0.5 = -1.5"
    )


def test_every_example_steps_with_numbers_that_add_up():
    for example, _ in EXAMPLES:
        expression, *pairs = shlex.split(example)
        root, _ = build(expression, parse_bindings(pairs))
        steps = len(list(backward_steps(root)))
        root, _ = build(expression, parse_bindings(pairs))
        assert_products_add_up(lines_of(root), steps)


# --- names match the drawing (issue 9, item 5) ----------------------------------------------


def test_unlabelled_nodes_are_named_by_op_and_value_never_by_internal_id():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    root = (a * b + 10).tanh()
    out = lines_of(root)
    assert not re.search(r"\bn\d+\b", out)
    assert "…*…=-6" in out and "…+10=4" in out  # the constant shows, as in the drawing's op "+ 10"
    assert "L = tanh(…)=0.9993" in out  # the root: named L, and said what it is
    frames = Player((Value(2.0, label="a") * Value(-3.0, label="b") + 10).tanh()).data
    assert not re.search(r"\bn\d+\b", " ".join(f["eq"] + f["total"] for f in frames["steps"]))
    assert frames["intro"] == "L = tanh(…)=0.9993"


def test_names_in_the_readme_example_are_the_drawings_labels():
    root, _ = build(*README)
    name = Namer(root)
    assert [name(n) for n in name.order] == ["a", "b", "a*b", "c", "a*b + c", "tanh(a*b + c)"]
    assert name.introduce() == "L = tanh(a*b + c)"
    long_root, _ = build("-(t*log(p) + (1-t)*log(1-p))", {"t": 1.0, "p": 0.8})
    assert Namer(long_root)(long_root) == "L"  # a long label is called L in equations


def fan_out() -> Value:
    """y = x*x + x, the output labelled y (notebook 01's fan-out example)."""
    x = Value(3.0, label="x")
    xx = x * x
    xx.label = "x²"
    y = xx + x
    y.label = "y"
    return y


def test_the_local_derivative_never_shares_a_symbol_with_a_gradient():
    # Was: ∂L/∂d += ∂L/∂d · ∂L/∂L, which reads as "x += x · 1".
    roots = [readme_example_root(), tiny_model_loss(), fan_out(), build(*README)[0], build(*SATURATED)[0]]
    for root in roots:
        name = Namer(root)
        for step in backward_steps(root):
            told = describe(step, name)
            assert told.local_symbol not in (told.parent_symbol, told.upstream_symbol), told.equation()
    name = Namer(readme_example_root())
    first = describe(next(backward_steps(name.root)), name)
    assert first.equation() == "∂L/∂d += ∂tanh(d)/∂d · ∂L/∂L = 0.001341 × 1 = 0.001341"
    model = Namer(tiny_model_loss())
    assert describe(next(backward_steps(model.root)), model).question() == (
        "∂L/∂((ŷ - y)²) += ∂(½*(ŷ - y)²)/∂((ŷ - y)²) · ∂L/∂L ="
    )


def readme_example_root() -> Value:
    from demos.examples import readme_example

    return readme_example()


def test_the_output_keeps_its_own_short_name_in_the_stepper_the_player_and_the_check():
    from autograd.check import check_gradients
    from autograd.narrate import output_name

    y = fan_out()
    assert output_name(y) == "y" and Namer(y).introduce() == ""
    frames = Player(y).data
    assert frames["intro"] == "" and frames["seed"] == "Seed: ∂y/∂y = 1 at the output y"
    equations = [f["eq"] for f in frames["steps"]]
    assert equations[1] == "∂y/∂x += ∂(x² + x)/∂x · ∂y/∂y = 1 × 1 = 1"
    assert not any("∂L" in eq for eq in equations)
    out = lines_of(fan_out())
    assert "seed ∂y/∂y = 1" in out and "∂y/∂x = 7" in out and "∂L" not in out
    result = check_gradients(fan_out(), {"x": 4.0})
    assert "∂y/∂x" in str(result) and "∂L" not in str(result)
    # a long label is introduced and called L; so is a missing one; a taken L gives way
    assert output_name(build(*README)[0]) == "L"
    assert output_name((Value(2.0) * Value(3.0)).tanh()) == "L"
    clash = Value(1.0, label="L") * 2.0
    assert output_name(clash) == "root" and Namer(clash).introduce().startswith("root = ")


# --- constants (plan: stepping never steps into a constant) ---------------------------------


def test_constants_are_listed_as_constants_and_never_stepped_into():
    root, _ = build("(y - t)**2", {"y": 0.3, "t": 1.0})
    out = lines_of(root)
    assert "(a constant: no gradient flows into it)" in out
    steps = list(backward_steps(build("(y - t)**2", {"y": 0.3, "t": 1.0})[0]))
    assert all(s.parent.requires_grad for s in steps)
    assert out.count("\nstep ") == len(steps)
    assert "∂L/∂(-1)" not in out and "∂L/∂2" not in out
    finals = out.split("Final gradients of the leaves:")[1]
    assert re.findall(r"∂L/∂(\w+) =", finals) == ["y", "t"]


def test_the_player_leaves_constants_without_a_gradient():
    root, _ = build("0.5*(y - a)**2", {"y": 1.0, "a": 0.3})
    data = Player(root).data
    name = Namer(root)
    constants = {name.ids[n] for n in name.order if not n.requires_grad}
    assert constants and not constants & set(data["grads"])
    assert not constants & {s["parent"] for s in data["steps"]}


# --- accumulation made visible (issue 9, item 6) -------------------------------------------


def test_the_stepper_says_when_leaves_hold_gradient_from_an_earlier_pass():
    root, _ = build(*README)
    assert earlier_passes_note(root) == ""
    root.backward()
    assert earlier_passes_note(root) == (
        "a.grad, b.grad and c.grad include 1 earlier backward pass; call zero_grad() to start afresh"
    )
    out = lines_of(root)
    assert "Note: a.grad, b.grad and c.grad include 1 earlier backward pass; call zero_grad()" in out
    assert "∂L/∂a: -0.004023 → -0.008046" in out  # it adds to what is there, as backward() would
    assert "include 2 earlier backward passes" in earlier_passes_note(root)
    root.zero_grad()
    assert earlier_passes_note(root) == ""


def test_a_gradient_that_is_not_a_whole_number_of_passes_is_still_flagged():
    a = Value(2.0, label="a")
    root = a * a
    a.grad = 0.5
    assert (
        earlier_passes_note(root)
        == "a.grad already holds gradient from earlier backward passes; call zero_grad() to start afresh"
    )


def test_the_player_starts_where_backward_would_and_changes_nothing():
    root, leaves = build(*README)
    root.backward()
    before = {n: n.grad for n in topological_order(root)}
    data = Player(root).data
    assert {n: n.grad for n in topological_order(root)} == before  # the graph is untouched
    name = Namer(root)
    assert data["grads"][name.ids[leaves["a"]]] == "-0.004023"  # leaves keep the earlier pass
    assert data["grads"][name.ids[root.parents[0]]] == "0"  # inner nodes start afresh
    assert data["grads"][name.ids[root]] == "1"  # the seed
    assert data["note"].startswith("a.grad, b.grad and c.grad include 1 earlier backward pass")
    assert data["steps"][3]["total"] == "∂L/∂a: -0.004023 → -0.008046"


# --- the terminal stepper ------------------------------------------------------------------


def test_terminal_stepper_runs_straight_through_without_a_terminal():
    result = run_step("tanh(a*b + c)", "a=2", "b=-3", "c=10")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "a*b + c = 4" in out and out.count("\nstep ") == 5 and "step 5 of 5" in out
    assert "∂L/∂a: 0 → -0.004023" in out and "∂L/∂a = -0.004023" in out


def test_terminal_stepper_waits_for_enter_when_interactive():
    waits, lines = [], []
    root, _ = build("x*x", {"x": 3.0})
    count = step_through(root, wait=lambda: waits.append(1), out=lines.append)
    assert count == len(waits) == 2
    assert any("∂L/∂x: 3 → 6" in line for line in lines)


def test_terminal_stepper_model_mode_and_bad_expressions():
    result = run_step("--model", "--auto")
    assert result.returncode == 0, result.stderr
    loss = tiny_model_loss()
    loss.backward()
    w = next(n for n in topological_order(loss) if n.label == "W2[0,0]")
    assert f"∂L/∂W2[0,0] = {w.grad:.4g}" in result.stdout
    assert_products_add_up(result.stdout, result.stdout.count("\nstep "))
    refused = run_step("a.b", "a=1")
    assert refused.returncode == 2 and "attribute access" in refused.stderr


def test_an_expression_may_start_with_a_minus(capsys):
    assert step_main(["-log(p)", "p=0.5", "--auto"]) == 0
    out = capsys.readouterr().out
    assert "∂L/∂p = -2" in out
    assert step_main(["--auto", "--", "-log(p)", "p=0.5"]) == 0
    assert "∂L/∂p = -2" in capsys.readouterr().out
    result = run_step("-(t*log(p) + (1-t)*log(1-p))", "t=1", "p=0.8")
    assert result.returncode == 0, result.stderr
    assert "∂L/∂p = -1.25" in result.stdout


def test_the_issues_examples_step_cleanly_to_backwards_gradients():
    for example, _ in EXAMPLES:
        expression, *pairs = shlex.split(example)
        stepped, leaves = build(expression, parse_bindings(pairs))
        out = lines_of(stepped)
        plain, plain_leaves = build(expression, parse_bindings(pairs))
        plain.backward()
        for label, leaf in plain_leaves.items():
            assert f"∂L/∂{label} = " in out
            assert leaves[label].grad == leaf.grad
        assert "Traceback" not in out


# --- bad input: one clear line, never a traceback --------------------------------------------


def compiled_result():
    """What a compiled function returns from its second call on: numbers, no graph."""
    import autograd

    w = Value(0.5, label="w")
    f = autograd.compile(lambda xs: autograd.sum([w * x for x in xs]))
    f([1.0, 2.0])  # the first call traces
    return f([1.0, 2.0])


def run_without_stdin(*args):
    """The stepper with its standard input closed (``<&-``): ``sys.stdin`` is None."""
    return subprocess.run(
        ["sh", "-c", 'exec "$0" "$@" <&-', sys.executable, "-m", "demos.step", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_the_stepper_runs_straight_through_with_standard_input_closed():
    plain = run_without_stdin("tanh(a*b)", "a=1", "b=2")
    assert plain.returncode == 0, plain.stderr
    assert "Traceback" not in plain.stderr and "∂L/∂a = 0.1413" in plain.stdout
    quiz = run_without_stdin("tanh(a*b)", "a=1", "b=2", "--quiz")
    assert quiz.returncode == 0, quiz.stderr
    assert quiz.stderr.strip() == "demos.step: standard input is closed, so --quiz shows every step without asking"
    assert "your answer>" not in quiz.stdout and quiz.stdout.count("\nstep ") == 3
    assert "∂L/∂b = 0.07065" in quiz.stdout


def error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert err, "nothing on stderr"
    return err[-1]


@pytest.mark.parametrize("digits", ["10000000000", "18", "1", "-3", "2.5", "abc"])
def test_digits_out_of_range_are_refused_by_the_parser(digits, capsys):
    with pytest.raises(SystemExit) as exited:
        step_main(["a*b", "a=1", "b=2", "--auto", "--digits", digits])
    assert exited.value.code == 2
    assert "argument --digits:" in error_line(capsys)


def test_digits_at_the_limits_work(capsys):
    assert step_main(["a*b", "a=1.5", "b=2", "--auto", "--digits", "17"]) == 0
    assert step_main(["a*b", "a=1.5", "b=2", "--auto", "--digits", "2"]) == 0
    assert "∂L/∂a = 2" in capsys.readouterr().out


def test_an_html_page_that_cannot_be_written_is_one_line_and_status_1(tmp_path, capsys):
    missing = tmp_path / "no such folder" / "x.html"
    assert step_main(["a*b", "a=1", "b=2", "--html", str(missing)]) == 1
    assert error_line(capsys) == f"demos.step: cannot write {missing}: No such file or directory"
    assert step_main(["a*b", "a=1", "b=2", "--html", str(tmp_path)]) == 1
    assert error_line(capsys) == f"demos.step: cannot write {tmp_path}: Is a directory"


def test_a_graph_too_big_for_the_player_suggests_the_terminal_stepper(tmp_path, capsys):
    from autograd.player import MAX_NODES

    big = "+".join(["a*a"] * 300)  # a, 300 products and 299 sums
    out = tmp_path / "big.html"
    assert step_main([big, "a=1", "--html", str(out)]) == 2
    assert error_line(capsys) == (
        f"demos.step: the graph has 600 nodes, more than the player's limit of {MAX_NODES}; "
        "leave out --html to step through it in the terminal"
    )
    assert not out.exists()


def test_flags_that_would_be_ignored_are_refused(capsys):
    with pytest.raises(SystemExit) as exited:
        step_main(["a*b", "a=1", "b=2", "--html", ""])
    assert exited.value.code == 2 and "--html needs a file name" in error_line(capsys)
    with pytest.raises(SystemExit) as exited:
        step_main(["--model", "a+b", "a=1", "b=2", "--auto"])
    assert exited.value.code == 2 and "--model steps through its own network" in error_line(capsys)


def test_an_expression_that_is_not_utf8_is_refused():
    result = subprocess.run(
        [sys.executable, "-m", "demos.step", b"a\xff+1", "--auto"], capture_output=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr and b"is not valid text (UTF-8)" in result.stderr


def test_a_closed_output_pipe_ends_quietly():
    child = subprocess.Popen(
        [sys.executable, "-m", "demos.step", "--model", "--auto"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    child.stdout.close()  # like `| head -0`: every write fails with a broken pipe
    _, err = child.communicate(timeout=120)
    assert child.returncode == 1 and b"Traceback" not in err, err.decode()


@pytest.mark.parametrize("root", [3.0, None, "L"])
def test_stepping_a_non_value_is_a_type_error_naming_it(root):
    kind = type(root).__name__
    with pytest.raises(TypeError, match=rf"step_through\(\) takes a Value .*got {kind}"):
        lines_of(root)
    with pytest.raises(TypeError, match=rf"Namer takes a Value .*got {kind}"):
        Namer(root)
    with pytest.raises(TypeError, match=rf"earlier_passes_note\(\) takes a Value .*got {kind}"):
        earlier_passes_note(root)


def test_stepping_a_compiled_result_says_to_call_the_uncompiled_function():
    with pytest.raises(TypeError, match="CompiledValue.*call the uncompiled function"):
        lines_of(compiled_result())
