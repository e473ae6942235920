"""The expression language and the `chainrule draw` command."""

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from autograd.expression import ExpressionError, build, parse_bindings


def chainrule(*args, cwd):
    program = shutil.which("chainrule", path=str(Path(sys.executable).parent))
    assert program, "the chainrule command is not installed: pip install -e ."
    return subprocess.run([program, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_draw_writes_a_valid_svg_with_gradients(tmp_path):
    result = chainrule("draw", "tanh(a*b + c)", "a=2", "b=-3", "c=10", "-o", "graph.svg", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = " ".join(ET.parse(tmp_path / "graph.svg").getroot().itertext())
    assert "grad -0.0040" in text and "tanh(a*b + c)" in text


def test_draw_options(tmp_path):
    result = chainrule("draw", "a*a", "a=3", "-o", "g.dot", "--no-grad", "--rankdir", "TB", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = (tmp_path / "g.dot").read_text()
    assert "rankdir=TB" in source and "grad" not in source
    assert source.count("n0 -> n1_op") == 2


@pytest.mark.parametrize(
    "expression",
    [
        "__import__('os').system('touch pwned')",
        "open('pwned', 'w')",
        "(lambda: a)()",
        "a.__class__",
        "[a][0]",
        "exec('1')",
        "eval('a')",
        "a if a else a",
        "f'{a}'",
        "(a := 2)",
        "a < 2",
        "tanh(x=a)",
    ],
)
def test_forbidden_constructs_are_refused_without_running_anything(tmp_path, expression):
    result = chainrule("draw", expression, "a=2", "-o", "graph.svg", cwd=tmp_path)
    assert result.returncode == 2
    assert "^" in result.stderr and "chainrule:" in result.stderr
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "graph.svg").exists()


def test_a_name_used_twice_is_one_leaf_with_two_edges():
    root, leaves = build("x * x + x", {"x": 3.0})
    root.backward()
    assert leaves["x"].grad == pytest.approx(2 * 3.0 + 1)
    assert root.parents[0].label == "x * x" and root.label == "x * x + x"


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("q + 1", "unknown name 'q'"),
        ("tanh + 1", "a function"),
        ("log(a - 5)", "log"),
        ("a / (a - 2)", "division by zero"),
        ("a // 2", "FloorDiv"),
        ("a +", "syntax error"),
        ("'text'", "only numbers"),
    ],
)
def test_bad_expressions_name_the_problem(expression, message):
    with pytest.raises(ExpressionError, match=message):
        build(expression, {"a": 2.0})


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (["a"], "name=number"),
        (["a=x"], "number"),
        (["1a=2"], "name=number"),
        (["tanh=1"], "function"),
        (["a=nan"], "finite"),
    ],
)
def test_bad_bindings(pairs, message):
    with pytest.raises(ExpressionError, match=message):
        parse_bindings(pairs)


@pytest.mark.parametrize(
    ("args", "root"),
    [
        (["-log(p)", "p=0.8"], 0.2231435513142097),
        (["--", "-log(p)", "p=0.8"], 0.2231435513142097),
        (["-(t*log(p) + (1-t)*log(1-p))", "t=1", "p=0.8"], 0.2231435513142097),
        (["(y - t)**2", "y=0.3", "t=1"], 0.49),
    ],
)
def test_expressions_may_start_with_a_minus(args, root, tmp_path):
    result = chainrule("draw", "-o", "g.dot", *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    operands = [a for a in args if a != "--"]
    built, _ = build(operands[0], parse_bindings(operands[1:]))
    assert built.data == pytest.approx(root)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("x" + " + x" * 30_000, "characters long"),
        ("(" * 300 + "x" + ")" * 300, "nest"),
        ("-" * 50_000 + "x", "characters long"),
        ("9" * 400 + " * x", "too large for a float"),
        ("1e999 * x", "too large for a float"),
        ("exp(exp(exp(x)))", "overflows"),
    ],
)
def test_absurd_expressions_get_a_clear_error_not_a_traceback(expression, message, tmp_path):
    result = chainrule("draw", expression, "x=3", "-o", "g.dot", cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_sum_of_hundreds_of_terms_builds_and_differentiates():
    root, leaves = build(" + ".join(f"x{i % 7}" for i in range(600)), {f"x{i}": float(i) for i in range(7)})
    root.backward()
    assert leaves["x0"].grad == pytest.approx(86.0)  # 600 terms cycle through 7 names: x0 appears 86 times


def test_numbers_in_an_expression_are_constants_and_exponents_are_numbers():
    from autograd import backward_steps, topological_order

    root, leaves = build("(y - t)**2", {"y": 0.3, "t": 1.0})
    assert root.op == "**n" and root.params == (2.0,)  # a number exponent, whatever the base's sign
    root.backward()
    assert leaves["y"].grad == pytest.approx(-1.4) and leaves["t"].grad == pytest.approx(1.4)
    constants = [n for n in topological_order(root) if not n.requires_grad]
    assert constants and all(n.grad == 0.0 for n in constants)  # the -1 of subtraction carries nothing
    assert all(step.parent.requires_grad for step in backward_steps(root))
    half, _ = build("0.5*(y - a)**2", {"y": 1.0, "a": 0.3})
    assert half.data == pytest.approx(0.245)


def test_the_help_lists_every_function_of_the_op_table(tmp_path):
    from autograd import OPS

    result = chainrule("draw", "--help", cwd=tmp_path)
    for name, op in OPS.items():
        if op.is_function:
            assert name in result.stdout
    assert "(y - t)**2" in result.stdout and "-log(exp(a)" in result.stdout


def test_slide_options_reach_the_picture(tmp_path):
    result = chainrule(
        "draw", "(y - t)**2", "y=0.3", "t=1", "-o", "slide.png", "--size", "13.33,7.5", "--dpi", "192",
        "--theme", "dark", "--fontsize", "16", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    png = (tmp_path / "slide.png").read_bytes()
    width = int.from_bytes(png[16:20], "big")
    assert png[:4] == b"\x89PNG" and abs(width - 13.33 * 192) <= 2  # fitted to 13.33 inches at 192 dpi
    dot = chainrule(
        "draw", "(y - t)**2", "y=0.3", "t=1", "-o", "g.dot", "--theme", "dark", "--digits", "6", cwd=tmp_path
    )
    assert dot.returncode == 0 and "-1.4" in (tmp_path / "g.dot").read_text()
    bad = chainrule("draw", "x", "x=1", "--size", "wide", "-o", "g.svg", cwd=tmp_path)
    assert bad.returncode != 0 and "size must be" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["-log(p)", "p=0.5", "--out", "g.dot"],  # an abbreviated long option
        ["-log(p)", "p=0.5", "-og.dot"],  # a short option with its value attached
        ["-o", "g.dot", "--", "-log(p)", "p=0.5"],
    ],
)
def test_options_are_told_from_expressions_that_start_with_a_minus(args, tmp_path):
    result = chainrule("draw", *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "g.dot").exists()


def test_command_line_mistakes_get_a_message_for_the_command_line(tmp_path):
    big = chainrule("draw", "+".join(["x"] * 2500), "x=1", "-o", "g.dot", cwd=tmp_path)
    assert big.returncode == 2 and "--max-nodes N" in big.stderr and "draw(" not in big.stderr
    assert (
        chainrule("draw", "+".join(["x"] * 2500), "x=1", "-o", "g.dot", "--max-nodes", "3000", cwd=tmp_path).returncode
        == 0
    )
    after = chainrule("draw", "--", "-log(p)", "p=0.5", "-o", "g.svg", cwd=tmp_path)
    assert after.returncode == 2 and "options go before" in after.stderr
    for args, message in [
        (["", "x=1"], "the expression is empty"),
        (["x", "x=1", "x=2"], "x is bound twice"),
        (["x", "x=1", "y=2"], "bound but not used in the expression: y"),
    ]:
        result = chainrule("draw", *args, "-o", "g.dot", cwd=tmp_path)
        assert result.returncode == 2 and message in result.stderr, (args, result.stderr)
    assert chainrule("draw", "λ*2", "λ=1", "-o", "g.dot", cwd=tmp_path).returncode == 0


def test_the_nodes_that_minus_and_divide_add_are_named_after_their_parent():
    from autograd import topological_order

    root, _ = build("(y - t)**2 + 1/(a + b)", {"y": 0.3, "t": 1.0, "a": 1.0, "b": 2.0})
    labels = [n.label for n in topological_order(root) if n.parents]
    assert "-t" in labels and "1/(a + b)" in labels
    assert all(labels), f"an inner node has no name: {labels}"
