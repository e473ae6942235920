"""Words for a backward pass: a name for every node, and one chain-rule step as an equation.

Shared by the terminal stepper and the HTML player, so both say exactly the same thing.
"""

from __future__ import annotations

import re

from autograd import Step, Value, topological_order


class Namer:
    """Names nodes by label, else by their id in the drawing (``n3``) and op."""

    def __init__(self, root: Value) -> None:
        self.order = topological_order(root)
        self.ids = {node: f"n{i}" for i, node in enumerate(self.order)}

    def __call__(self, node: Value) -> str:
        if node.label:
            return node.label
        return f"{self.ids[node]}({node.op})" if node.op else f"{self.ids[node]}"


def symbol(name: str) -> str:
    """``name`` ready to follow ∂: compound names get parentheses, ``∂(a*b + c)``."""
    return name if re.fullmatch(r"[\w\[\],]+", name) else f"({name})"


def equation(step: Step, name: Namer, fmt: str = ".4f") -> str:
    """One chain-rule step, e.g. ``∂L/∂a += ∂e/∂a · ∂L/∂e = -3.0000 × 0.0013 = -0.0040``."""
    n, p = symbol(name(step.node)), symbol(name(step.parent))
    numbers = f"{step.local:{fmt}} × {step.upstream:{fmt}} = {step.contribution:{fmt}}"
    return f"∂L/∂{p} += ∂{n}/∂{p} · ∂L/∂{n} = {numbers}"


def running_total(step: Step, name: Namer, fmt: str = ".4f") -> str:
    """How the parent's gradient changed, e.g. ``∂L/∂a: 0.0000 → -0.0040``."""
    return f"∂L/∂{symbol(name(step.parent))}: {step.before:{fmt}} → {step.after:{fmt}}"
