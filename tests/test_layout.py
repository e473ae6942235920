"""The house rules that keep the code base small: layering, and a light `import autograd`."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_top_level_modules(package):
    names = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names.add(node.module.split(".")[0])
    return names


# numpy is imported lazily, by `autograd.compile` and the numpy namespace of the op table only.
LAYERS = [("autograd", {"autograd", "graphviz", "numpy"}), ("nn", {"autograd", "nn"})]


@pytest.mark.parametrize(("package", "allowed"), LAYERS)
def test_packages_build_only_on_what_they_may(package, allowed):
    third_party = imported_top_level_modules(package) - set(sys.stdlib_module_names)
    assert third_party <= allowed, f"{package} imports {sorted(third_party - allowed)}"


def test_import_autograd_is_light():
    heavy = ("nn", "graphviz", "numpy", "matplotlib", "autograd.renderer", "subprocess")
    code = f"import sys, autograd; print(' '.join(m for m in {heavy!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == ""


def _subclass():
    from autograd import Value

    class Named(Value):
        __slots__ = ()

    return Named


ENTRY_POINTS = {
    "+": lambda v, x: v + x,
    "radd": lambda v, x: 1.0 + x,
    "*": lambda v, x: v * x,
    "-": lambda v, x: v - x,
    "/": lambda v, x: v / x,
    "** by a subclass": lambda v, x: (v + 2.0) ** x,
    "** of a subclass": lambda v, x: x**2,
    "rpow": lambda v, x: 2.0**x,
    "tanh": lambda v, x: x.tanh(),
    "sum": lambda v, x: __import__("autograd").sum([v, x]),
    "dot": lambda v, x: __import__("autograd").dot([v], [x]),
    "linear": lambda v, x: __import__("autograd").linear([v], [x], x),
    "apply": lambda v, x: __import__("autograd").apply("sin", [x]),
    "MLP": lambda v, x: __import__("nn").MLP(1, [1], seed=0)([x])[0],
    "Layer": lambda v, x: __import__("nn").Layer(1, 2)([x])[0],
    "gradcheck": lambda v, x: __import__("autograd").gradcheck(lambda t: t * t, [x]) and x,
}


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_a_value_subclass_works_at_every_entry_point(entry):
    from autograd import Value, topological_order

    x = _subclass()(2.0, label="x")
    out = ENTRY_POINTS[entry](Value(1.0), x)
    assert any(node is x for node in topological_order(out)), f"{entry} lost the subclass instance"
    out.backward()
    assert x.grad != 0.0 or entry == "gradcheck"


@pytest.mark.parametrize("model_file", ["nn/layers.py", "nn/module.py", "nn/optim.py"])
def test_models_do_not_know_how_they_are_drawn(model_file):
    """Drawing code reads models (nn/diagram.py registers with autograd.draw), never the other way round."""
    tree = ast.parse((ROOT / model_file).read_text())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module} | {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    assert not imported & {"nn.diagram", "autograd.drawing", "autograd.dot", "autograd.player"}
    assert "to_dot" not in (ROOT / model_file).read_text()


def test_draw_finds_a_model_through_the_registry():
    import nn
    from autograd import draw

    assert "layer 1" in draw(nn.MLP(2, [3, 1], seed=0)).source
    assert "h[0]" in draw(nn.Layer(2, 3)).source or "h1[0]" in draw(nn.Layer(2, 3)).source
