"""Words for a backward pass: a name for every node, one chain-rule step as an equation.

Shared by the terminal stepper (``python -m demos.step``) and the HTML player
(:mod:`autograd.player`), so both say exactly the same thing.

Numbers are written with :func:`autograd.numbers.format_number` (significant digits), and
an equation uses as many digits as it takes for the shown factors to multiply out to the
shown contribution: ``-3 × 0.001325 = -0.003975``, never ``2.0000 × 0.0013 = 0.0027``.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from autograd.dot import node_ids, product_text
from autograd.graph import Step, topological_order
from autograd.numbers import DIGITS, format_number
from autograd.ops import display
from autograd.value import Value

MAX_ROOT_LABEL = 20  # a longer root label is called L in equations (the stepper says what L is)
MAX_DIGITS = 17  # enough for any float to round-trip, so an equation always multiplies out
MAX_ANSWER = 200  # characters in a quiz answer: plenty for a product, and parsing stays cheap
_INFIX = {"+", "*"}
_SIMPLE = re.compile(r"[\w\[\],]+\Z")


def value_of(node: object) -> Value:
    """A step's node (typed as the graph walker's ``Node``) as the ``Value`` it is."""
    return cast(Value, node)


def require_value(root: object, who: str) -> Value:
    """``root`` itself when it is a :class:`Value`; else a ``TypeError`` saying what ``who`` got.

    A compiled function's result (a ``CompiledValue``) holds numbers but no graph to step
    through, so the message says to call the uncompiled function instead.
    """
    if isinstance(root, Value):
        return root
    from autograd.compile import CompiledValue  # deferred: only on the error path

    kind = type(root).__name__
    if isinstance(root, CompiledValue):
        raise TypeError(
            f"{who} needs a graph of Values, and a compiled function's result ({kind}) has none: "
            "call the uncompiled function to get a Value to step through"
        )
    raise TypeError(f"{who} takes a Value (the output node of a graph), got {kind}: {_clip(repr(root))}")


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Namer:
    """Names nodes as the drawing shows them: the label, else the op and the value.

    ``tanh(…)=0.9051`` is an unlabelled tanh node holding 0.9051, ``…*…=-6`` an unlabelled
    product, ``…*-1=1.4`` a product with the constant -1; a constant is its number.
    ``ids`` maps each node to its id in the drawing (``n0, n1, …`` in topological order),
    which the player uses to find it in the SVG.
    """

    def __init__(self, root: Value, digits: int = DIGITS) -> None:
        self.root = require_value(root, "Namer")
        self.digits = digits
        self.order = topological_order(root)
        self.ids: dict[Value, str] = node_ids(self.order)

    def __call__(self, node: Value) -> str:
        if node is self.root and (not node.label or len(node.label) > MAX_ROOT_LABEL):
            return self.output()
        return self.drawn(node)

    def drawn(self, node: Value) -> str:
        """The name the drawing shows, even for the root."""
        if node.label:
            return node.label
        value = format_number(node.data, self.digits)
        if not node.requires_grad and not node.parents:
            return value
        if not node.parents:
            return f"leaf={value}"
        op = display(node)
        if op in _INFIX:  # a constant operand is shown, as the drawing folds it into the op: …*-1
            operands = [self.drawn(p) if not p.requires_grad and not p.parents else "…" for p in node.parents]
            return f"{op.join(operands)}={value}"
        if op.startswith("**"):
            return f"…{op}={value}"
        return f"{op}(…)={value}"

    def output(self) -> str:
        """What the root is called after ∂ in ``∂L/∂x``: always ``L``."""
        return "L"

    def introduce(self) -> str:
        """``L = tanh(a*b + c)`` when the root's name is not ``L`` itself, else ``""``."""
        shown = self.drawn(self.root)
        return "" if shown == "L" else f"L = {shown}"

    def how(self, node: Value) -> str:
        """How a node was made, e.g. ``* of a, b`` or ``**2 of y - t``; ``""`` for a leaf."""
        if not node.parents:
            return ""
        return f"{display(node)} of {', '.join(self(p) for p in node.parents)}"


def symbol(name: str) -> str:
    """``name`` ready to follow ∂: compound names get parentheses, ``∂(a*b + c)``."""
    return name if _SIMPLE.match(name) else f"({name})"


def _shown(x: str) -> float:
    return float(x)


def _rounds_to(x: float, truth: float, digits: int) -> str | None:
    """``truth`` to ``digits`` significant digits, if ``x`` rounds to the same text; else None."""
    shown = format_number(truth, digits)
    return shown if format_number(x, digits) == shown else None


@dataclass(frozen=True)
class StepText:
    """One chain-rule step in words and numbers, every number as a person sees it.

    Attributes:
        step: the step itself.
        node: the name of the node sending its gradient back.
        parent: the name of the parent receiving it.
        local, upstream, contribution: the three numbers of ``local × upstream = contribution``,
            written so that the first two visibly multiply out to the third.
        before, after: the parent's gradient before and after the ``+=``.
    """

    step: Step
    output: str
    node: str
    parent: str
    local: str
    upstream: str
    contribution: str
    before: str
    after: str

    @property
    def local_symbol(self) -> str:
        """``∂e/∂a``: the local derivative's name."""
        return f"∂{symbol(self.node)}/∂{symbol(self.parent)}"

    @property
    def upstream_symbol(self) -> str:
        """``∂L/∂e``: the upstream gradient's name."""
        return f"∂{self.output}/∂{symbol(self.node)}"

    @property
    def parent_symbol(self) -> str:
        """``∂L/∂a``: the gradient that grows."""
        return f"∂{self.output}/∂{symbol(self.parent)}"

    def equation(self) -> str:
        """``∂L/∂a += ∂e/∂a · ∂L/∂e = -3 × 0.001325 = -0.003975``."""
        return f"{self.question()} {self.product()}"

    def question(self) -> str:
        """The equation without its numbers: ``∂L/∂a += ∂e/∂a · ∂L/∂e =``."""
        return f"{self.parent_symbol} += {self.local_symbol} · {self.upstream_symbol} ="

    def product(self) -> str:
        """``-3 × 0.001325 = -0.003975``."""
        return f"{self.local} × {self.upstream} = {self.contribution}"

    def total(self) -> str:
        """How the parent's gradient changed: ``∂L/∂a: 0 → -0.003975``."""
        return f"{self.parent_symbol}: {self.before} → {self.after}"

    def explain(self) -> str:
        """The product with both factors named, for a quiz answer."""
        return f"local × upstream = {self.local_symbol} · {self.upstream_symbol} = {self.product()}; {self.total()}"


def describe(step: Step, name: Namer, digits: int | None = None) -> StepText:
    """Words and numbers for ``step``, with as many significant digits as it takes to add up.

    The local derivative, the upstream gradient and the contribution get ``digits``
    significant digits, or more when the shown factors would not multiply out to the shown
    contribution; the parent's gradient before and after likewise add up with the shown
    contribution.
    """
    digits = name.digits if digits is None else digits
    local, upstream, contribution = product_text(step.local, step.upstream, step.contribution, digits)
    before, after = _sum(step.before, _shown(contribution), step.after, digits)
    return StepText(
        step,
        name.output(),
        name(value_of(step.node)),
        name(value_of(step.parent)),
        local,
        upstream,
        contribution,
        before,
        after,
    )


def _sum(before: float, contribution: float, after: float, digits: int) -> tuple[str, str]:
    """The parent's gradient before and after, written so that before + contribution shows as after."""
    for d in range(digits, MAX_DIGITS + 1):
        shown_before = format_number(before, d)
        total = _shown(shown_before) + contribution
        for k in (d, d - 1) if d > 1 else (d,):
            shown = _rounds_to(total, after, k)
            if shown is not None:
                return shown_before, shown
    return format_number(before, digits), format_number(after, digits)


def equation(step: Step, name: Namer, digits: int | None = None) -> str:
    """One chain-rule step, e.g. ``∂L/∂a += ∂e/∂a · ∂L/∂e = -3 × 0.001325 = -0.003975``."""
    return describe(step, name, digits).equation()


def running_total(step: Step, name: Namer, digits: int | None = None) -> str:
    """How the parent's gradient changed, e.g. ``∂L/∂a: 0 → -0.003975``."""
    return describe(step, name, digits).total()


# --- accumulation -------------------------------------------------------------------------


def fresh_gradients(root: Value) -> dict[Value, float]:
    """The gradients one ``backward()`` from scratch would give, computed without touching any ``.grad``."""
    require_value(root, "fresh_gradients()")
    order = topological_order(root)
    grads: dict[Value, float] = {node: 0.0 for node in order}
    grads[root] = 1.0
    for node in reversed(order):
        upstream = grads[node]
        if upstream == 0.0:
            continue
        for parent, local in zip(node.parents, node.local_grads):
            if parent.requires_grad:
                grads[parent] += local * upstream
    return grads


def earlier_passes_note(root: Value, name: Namer | None = None) -> str:
    """A sentence when ``root``'s leaves already hold gradient from earlier passes, else ``""``.

    Leaves accumulate across ``backward()`` calls (as in PyTorch), so a second pass adds to
    the first. When a leaf's gradient is a whole number of fresh passes, the note counts
    them: ``a.grad includes 1 earlier backward pass; call zero_grad() to start afresh``.
    """
    require_value(root, "earlier_passes_note()")
    name = name or Namer(root)
    fresh = fresh_gradients(root)
    held = [node for node in name.order if not node.parents and node.requires_grad and node.grad != 0.0]
    if not held:
        return ""
    counts: list[int | None] = []
    for node in held:
        one = fresh.get(node, 0.0)
        ratio = node.grad / one if one != 0.0 else math.nan
        k = round(ratio) if math.isfinite(ratio) else 0
        counts.append(k if k >= 1 and math.isclose(ratio, k, rel_tol=1e-9) else None)
    grads = _join([f"{name(node)}.grad" for node in held])
    verb = "includes" if len(held) == 1 else "include"
    if len(set(counts)) == 1 and counts[0] is not None:
        k = counts[0]
        what = f"{k} earlier backward pass{'' if k == 1 else 'es'}"
    else:
        what = "gradient from earlier backward passes"
        verb = "already holds" if len(held) == 1 else "already hold"
    return f"{grads} {verb} {what}; call zero_grad() to start afresh"


def _join(items: Sequence[str], limit: int = 4) -> str:
    if len(items) > limit:
        return f"{', '.join(items[:limit])} and {len(items) - limit} more"
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} and {items[-1]}"


# --- quiz answers ------------------------------------------------------------------------


class AnswerError(ValueError):
    """The learner's answer is not a number or a simple product."""


_ALLOWED_BINARY = {ast.Add: float.__add__, ast.Sub: float.__sub__, ast.Mult: float.__mul__, ast.Div: float.__truediv__}


def read_answer(text: str) -> float:
    """The learner's answer: a number, or arithmetic on numbers such as ``-3 * 0.001325``.

    ``×``, ``·`` and the minus sign ``−`` are accepted; nothing is ever evaluated. Anything
    that cannot be read as such (including an answer over :data:`MAX_ANSWER` characters,
    or one too deeply nested to parse) is an :class:`AnswerError`.
    """
    if not isinstance(text, str):
        raise TypeError(f"an answer is text, got {type(text).__name__}")
    stripped = text.strip()
    if len(stripped) > MAX_ANSWER:
        raise AnswerError(f"could not read the answer: it is {len(stripped)} characters long (at most {MAX_ANSWER})")
    cleaned = stripped.replace("×", "*").replace("·", "*").replace("−", "-").replace("^", "**")
    if not cleaned:
        raise AnswerError("type a number")
    shown = _clip(repr(stripped))
    try:
        tree = ast.parse(cleaned, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        # ValueError: null bytes, or text that is not valid Unicode (lone surrogates)
        raise AnswerError(f"not a number: {shown}") from None

    def value(node: ast.AST) -> float:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return float(node.value)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = value(node.operand)
            return -inner if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp) and type(node.op) in _ALLOWED_BINARY:
            try:
                return _ALLOWED_BINARY[type(node.op)](value(node.left), value(node.right))
            except ZeroDivisionError:
                raise AnswerError("division by zero") from None
        raise AnswerError(f"not a number: {shown} (use digits and + - * /)")

    try:
        return value(tree.body)
    except (RecursionError, OverflowError):
        raise AnswerError(f"could not read the answer {shown} as a number") from None


def tolerance(truth: float, digits: int = DIGITS) -> float:
    """How far an answer may be from ``truth``: one unit in its ``digits - 1``-th significant digit.

    With 4 digits shown, an answer right to 3 significant digits counts: for -0.003975,
    anything within 0.00001 (so -0.00397 and -0.00398, not -0.004).
    """
    if truth == 0.0 or not math.isfinite(truth):
        return 0.0
    return float(10.0 ** (math.floor(math.log10(abs(truth))) - (digits - 2)))


def is_right(answer: float, truth: float, digits: int = DIGITS) -> bool:
    """``answer`` agrees with ``truth`` to the precision the stepper shows."""
    if math.isnan(truth):
        return math.isnan(answer)
    if math.isinf(truth):
        return answer == truth
    return abs(answer - truth) <= tolerance(truth, digits) * (1 + 1e-9)
