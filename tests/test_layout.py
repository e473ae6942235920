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


LAYERS = [("autograd", {"autograd", "graphviz"}), ("nn", {"autograd", "nn"})]


@pytest.mark.parametrize(("package", "allowed"), LAYERS)
def test_packages_build_only_on_what_they_may(package, allowed):
    third_party = imported_top_level_modules(package) - set(sys.stdlib_module_names)
    assert third_party <= allowed, f"{package} imports {sorted(third_party - allowed)}"


def test_import_autograd_is_light():
    heavy = ("nn", "graphviz", "numpy", "matplotlib", "autograd.renderer", "subprocess")
    code = f"import sys, autograd; print(' '.join(m for m in {heavy!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == ""


def test_a_value_subclass_passes_the_coercion_point():
    from autograd import Value

    class Named(Value):
        pass

    x = Named(2.0)
    assert (Value(1.0) + x).parents[1] is x
