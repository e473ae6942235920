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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from autograd.dot import node_ids, product_text
from autograd.graph import Step, topological_order
from autograd.higher import side_gradients
from autograd.numbers import DIGITS, format_number
from autograd.ops import OPS, Namespace, display
from autograd.value import Value

MAX_ROOT_LABEL = 20  # a longer root label is called L in equations (the stepper says what L is)
MAX_OUTPUT_NAME = 12  # a root label this short, and a plain name (y, loss), is what follows ∂ in ∂y/∂x
MAX_DIGITS = 17  # enough for any float to round-trip, so an equation always multiplies out
MAX_ANSWER = 200  # characters in a quiz answer: plenty for a product, and parsing stays cheap
MAX_EXPONENT = 10  # a quiz answer may square (1 - 0.9993^2), not compute 3**99
_INFIX = {"+", "*"}
_SIMPLE = re.compile(r"[\w\[\],]+\Z")
_CALL = re.compile(r"[A-Za-z_]\w*\(")
_NUMBER = re.compile(r"-?[\d.]+(e[+-]?\d+)?\Z")


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


def output_name(root: Value, order: Sequence[Value] | None = None) -> str:
    """What the output is called after ∂, as in ``∂y/∂x``: the one name every surface uses.

    The stepper, the player and :func:`autograd.check.check_gradients` all call it this: the
    root's own label when that is a short plain name (``y``, ``loss``, ``L``), else ``L`` (or
    ``root``, when another node of the graph is labelled ``L``). A longer label, such as
    ``tanh(a*b + c)`` from an expression, is introduced instead: ``L = tanh(a*b + c)``.
    """
    order = topological_order(root) if order is None else order
    taken = {node.label for node in order if node is not root and node.label}
    label = root.label
    if label and len(label) <= MAX_OUTPUT_NAME and _SIMPLE.match(label) and label not in taken:
        return label
    return next((name for name in ("L", "root", "output") if name not in taken), "L")


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
        self.out = output_name(self.root, self.order)

    def __call__(self, node: Value) -> str:
        if node is self.root and (not node.label or len(node.label) > MAX_ROOT_LABEL):
            return self.output()
        return self.drawn(node)

    def formula(self, node: Value) -> str:
        """``node`` written as its op applied to its parents' names: ``tanh(d)``, ``e + c``, ``½*(ŷ - y)²``.

        The root's local derivative is written with it, ``∂tanh(d)/∂d``, so that it never
        shares a symbol with the gradient ``∂L/∂d`` it feeds.
        """
        names = [self(p) for p in node.parents]
        op = display(node)
        if node.op == "+" and len(names) == 2:
            return f"{_operand(names[0])} + {_operand(names[1])}"
        if node.op == "*" and len(names) == 2:
            return f"{_operand(names[0])}*{_operand(names[1])}"
        if node.op == "**n" and len(names) == 1:
            return f"{_operand(names[0])}{op}"
        if node.op == "**" and len(names) == 2:
            return f"{_operand(names[0])}**{_operand(names[1])}"
        return f"{op}({', '.join(names)})"

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
        """What the root is called after ∂, as in ``∂L/∂x`` or ``∂y/∂x``: see :func:`output_name`."""
        return self.out

    def introduce(self) -> str:
        """``L = tanh(a*b + c)`` when the root's drawn name is not its output name, else ``""``."""
        shown = self.drawn(self.root)
        return "" if shown == self.out else f"{self.out} = {shown}"

    def how(self, node: Value) -> str:
        """How a node was made, e.g. ``* of a, b`` or ``**2 of y - t``; ``""`` for a leaf."""
        if not node.parents:
            return ""
        return f"{display(node)} of {', '.join(self(p) for p in node.parents)}"


def symbol(name: str) -> str:
    """``name`` ready to follow ∂: compound names get parentheses, ``∂(a*b + c)``; a call does not, ``∂tanh(d)``."""
    return name if _SIMPLE.match(name) or _is_call(name) else f"({name})"


def _is_call(name: str) -> bool:
    """``tanh(d)``, ``tanh(a*b + c)``: a function name whose parentheses close at the very end."""
    found = _CALL.match(name)
    if not found:
        return False
    depth = 0
    for i, char in enumerate(name[found.end() - 1 :], found.end() - 1):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return i == len(name) - 1
    return False


def _operand(name: str) -> str:
    """``name`` as an operand of ``+`` or ``*``: parentheses when it holds an operator of its own."""
    if _NUMBER.match(name):
        return name
    depth = 0
    for char in name:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and char in " +-*/=":
            return f"({name})"
    return name


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
        output: what the root is called after ∂ (:func:`output_name`).
        node: the name of the node sending its gradient back (the output's name at the root).
        parent: the name of the parent receiving it.
        local, upstream, contribution: the three numbers of ``local × upstream = contribution``,
            written so that the first two visibly multiply out to the third.
        before, after: the parent's gradient before and after the ``+=``.
        of: what the local derivative is of: the node's name, or at the root its formula
            (``tanh(d)``), so that ``∂tanh(d)/∂d`` never reads as the gradient ``∂L/∂d``.
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
    of: str = ""

    @property
    def local_symbol(self) -> str:
        """``∂e/∂a``: the local derivative's name; at the root ``∂tanh(d)/∂d``, never ``∂L/∂d``."""
        return f"∂{symbol(self.of or self.node)}/∂{symbol(self.parent)}"

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
    node = value_of(step.node)
    at_root = node is name.root
    return StepText(
        step,
        name.output(),
        name.output() if at_root else name(node),
        name(value_of(step.parent)),
        local,
        upstream,
        contribution,
        before,
        after,
        name.formula(node) if at_root else name(node),
    )


def product_texts(factors: Sequence[float], product: float, digits: int = DIGITS) -> tuple[list[str], str]:
    """Factors and their product as text that visibly multiplies out: :func:`autograd.dot.product_text`'s
    rule (the smallest ``d >= digits`` for which the shown factors' product rounds to the shown
    product, at ``d`` or ``d - 1`` digits) for any number of factors.

    Example:
        >>> product_texts([1.2461, -0.4], -0.49844)
        (['1.2461', '-0.4'], '-0.4984')
    """
    if len(factors) == 2:
        local, upstream, shown = product_text(factors[0], factors[1], product, digits)
        return [local, upstream], shown
    for d in range(digits, MAX_DIGITS + 1):
        texts = [format_number(f, d) for f in factors]
        worked = math.prod(_shown(t) for t in texts)
        for k in (d, d - 1) if d > 1 else (d,):
            shown = format_number(product, k)
            if format_number(worked, k) == shown:
                return texts, shown
    return [format_number(f, digits) for f in factors], format_number(product, digits)


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
    return side_gradients(root)


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

    ``×``, ``·``, the minus sign ``−`` and powers (``0.9993^2``, ``0.9993**2``, ``0.9993²``;
    exponents up to :data:`MAX_EXPONENT`) are accepted; nothing is ever evaluated. Anything
    that cannot be read as such (including an answer over :data:`MAX_ANSWER` characters,
    or one too deeply nested to parse) is an :class:`AnswerError`.
    """
    if not isinstance(text, str):
        raise TypeError(f"an answer is text, got {type(text).__name__}")
    stripped = text.strip()
    if len(stripped) > MAX_ANSWER:
        raise AnswerError(f"could not read the answer: it is {len(stripped)} characters long (at most {MAX_ANSWER})")
    cleaned = (
        stripped.replace("×", "*").replace("·", "*").replace("−", "-").replace("²", "^2").replace("³", "^3")
    ).replace("^", "**")
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
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):  # 0.9993**2, 0.9993^2, 0.9993²
            base, exponent = value(node.left), value(node.right)
            if abs(exponent) > MAX_EXPONENT:
                raise AnswerError(f"not a number: {shown} (exponents up to {MAX_EXPONENT})")
            try:
                result = base**exponent
            except ZeroDivisionError:
                raise AnswerError("division by zero") from None
            if isinstance(result, complex):
                raise AnswerError(f"not a number: {shown} (a negative number to a fractional power)")
            return float(result)
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


# --- marking a quiz answer ---------------------------------------------------------------
#
# A learner works a step out from the numbers on screen, which are rounded: with the graph
# showing L = 0.9993, tanh's local 1 - L² comes out as 0.0014, not 0.001341. An answer counts
# when it is what the shown inputs allow, to the half-unit in the last shown digit of each,
# carried through the local derivative and the product; a wrong sign never counts.

SIGN_FLIPPED = "the sign is flipped"


def half_of(what: str) -> str:
    """The slip of a missing factor of 2, in the words ``check_gradients`` and the quizzes share."""
    return f"half {what}: a factor of 2 missing?"


def twice(what: str) -> str:
    """The slip of an extra factor of 2, in the words ``check_gradients`` and the quizzes share."""
    return f"twice {what}: an extra factor of 2 (or a ½ dropped)?"


Interval = tuple[float, float]
SWAMPED = 0.25  # rounding that moves an answer by more than this fraction of it swamps it


def half_unit(x: float, digits: int) -> float:
    """Half a unit in the last of ``digits`` significant digits of ``x`` as shown; 0 if the text is exact.

    ``0.9993`` for 0.99932929 is 0.00005 either way; ``4`` for 4.0 is exact, so 0.
    """
    if not math.isfinite(x):
        return 0.0
    shown = float(format_number(x, digits))
    if shown == x:
        return 0.0
    if shown == 0.0:
        return abs(x)
    return 0.5 * 10.0 ** (math.floor(math.log10(abs(shown))) - digits + 1)


def _float_namespace() -> Namespace:
    """The ops' generic ``grads`` on plain floats (the float rules, so domain errors raise)."""

    def value(name: str) -> Callable[..., float]:
        return lambda *xs: OPS[name].rule(*xs)[0]

    def times_log(out: float, x: float) -> float:
        return out * math.log(x) if x > 0 else (0.0 if x == 0 else math.nan)

    def dot(ws: Sequence[float], xs: Sequence[float]) -> float:
        return math.fsum(w * x for w, x in zip(ws, xs))

    return Namespace(
        pow=value("**n"),
        pow_value=value("**"),
        exp=value("exp"),
        log=value("log"),
        tanh=value("tanh"),
        sin=value("sin"),
        cos=value("cos"),
        abs=value("abs"),
        relu=value("relu"),
        sigmoid=value("sigmoid"),
        step=value("step"),
        sign=value("sign"),
        times_log=times_log,
        sum=math.fsum,
        dot=dot,
        linear=lambda ws, xs, b: b + dot(ws, xs),
        logsumexp=lambda xs: OPS["logsumexp"].rule(*xs)[0],
    )


_FLOATS: list[Namespace] = []


def _floats() -> Namespace:
    if not _FLOATS:
        _FLOATS.append(_float_namespace())
    return _FLOATS[0]


def _local_spread(step: Step, shown: int) -> tuple[Interval, list[tuple[int, float]], float]:
    """The local derivatives the shown (rounded) inputs allow, how much each input moves it,
    and the local worked from the shown inputs as they stand.

    The inputs are the node's value and its parents' (the generic ``grads`` may use either,
    as ``1 - L²`` does for tanh). Each index in the list is 0 for the node, ``i + 1`` for
    parent ``i``; its number is how far the local moves across that input's rounding.
    """
    node = value_of(step.node)
    op = OPS.get(node.op)
    true = step.local
    if op is None or not math.isfinite(true):
        return (true, true), [], true
    inputs = [node.data, *(p.data for p in node.parents)]

    def local(values: list[float]) -> float | None:
        try:
            result = float(op.grads(_floats(), values[0], *values[1:], *node.params)[step.edge])
        except (ArithmeticError, ValueError, TypeError, IndexError):
            return None
        return result if math.isfinite(result) else None

    seen = [float(format_number(x, shown)) if math.isfinite(x) else x for x in inputs]
    base = local(seen)
    if base is None:
        return (true, true), [], true
    moves: list[tuple[int, float]] = []
    for i, x in enumerate(inputs):
        h = half_unit(x, shown)
        if h == 0.0:
            continue
        move = 0.0
        for sign in (-1.0, 1.0):
            nudged = list(seen)
            nudged[i] += sign * h
            moved = local(nudged)
            if moved is not None:
                move = max(move, abs(moved - base))
        if move > 0.0:
            moves.append((i, move))
    spread = math.fsum(m for _, m in moves)
    return (min(base - spread, true), max(base + spread, true)), moves, base


def _around(x: float, shown: int) -> Interval:
    """``x`` as read off the screen: its shown value give or take half a unit, and ``x`` itself."""
    seen, h = float(format_number(x, shown)), half_unit(x, shown)
    return min(seen - h, x), max(seen + h, x)


def _times(a: Interval, b: Interval) -> Interval:
    corners = [x * y for x in a for y in b]
    return min(corners), max(corners)


def _accepted(reach: Interval, truth: float, digits: int) -> Interval | None:
    """The answers that count for ``truth``: what the rounding reaches, give or take the
    answer's own rounding, on ``truth``'s side of zero."""
    if not math.isfinite(truth):
        return None
    tol = tolerance(truth, digits) * (1 + 1e-9)
    lo, hi = min(reach[0], truth) - tol, max(reach[1], truth) + tol
    if truth > 0:
        lo = max(lo, 0.0)
    elif truth < 0:
        hi = min(hi, 0.0)
    return lo, hi


def within(x: float, interval: Interval | None) -> bool:
    return interval is not None and interval[0] <= x <= interval[1]


@dataclass(frozen=True)
class Marking:
    """How a quiz marks one step's answer; the terminal quiz and the player share it.

    Attributes:
        contribution: the answers that count as the contribution (``None`` when it is not
            finite: then only the exact value counts).
        after: the answers that count as the parent's new gradient.
        slips: ``(low, high, what went wrong)`` for recognisable wrong answers: a flipped
            sign, the local derivative or the upstream gradient alone, a factor of 2.
        more: the local derivative's inputs to more digits (``L = 0.99933``) when the shown
            ones are too rounded to give the answer to 3 digits; else ``""``.
    """

    contribution: Interval | None
    after: Interval | None
    slips: tuple[tuple[float, float, str], ...]
    more: str

    def mark(self, answer: float, truth: float, after: float, digits: int = DIGITS) -> tuple[str, str]:
        """``(kind, slip)``: kind is ``right`` (to 3 digits), ``rounded`` (as the shown numbers
        allow), ``after`` / ``after rounded`` (the parent's new gradient) or ``wrong``; ``slip``
        says what went wrong, when it can be told."""
        if is_right(answer, truth, digits):
            return "right", ""
        if within(answer, self.contribution):
            return "rounded", ""
        if is_right(answer, after, digits):
            return "after", ""
        if within(answer, self.after):
            return "after rounded", ""
        return "wrong", next((text for lo, hi, text in self.slips if lo <= answer <= hi), "")

    def data(self) -> dict[str, Any]:
        """The marking as JSON-ready data for the player's script."""

        def finite(interval: Interval | None) -> list[float] | None:
            return list(interval) if interval and all(map(math.isfinite, interval)) else None

        return {
            "accept": [finite(self.contribution), finite(self.after)],
            "slips": [[lo, hi, text] for lo, hi, text in self.slips if math.isfinite(lo) and math.isfinite(hi)],
        }


def marking(step: Step, told: StepText, name: Namer, digits: int = DIGITS, shown: int = DIGITS) -> Marking:
    """What counts as an answer for ``step``, given that the graph shows numbers to ``shown`` digits.

    Args:
        step: the step asked about.
        told: its words (:func:`describe`), for the slips' wording.
        name: names the inputs in :attr:`Marking.more`.
        digits: significant digits of the answers (an answer right to ``digits - 1`` counts).
        shown: significant digits of the numbers the learner reads (node values, gradients).
    """
    c, after = step.contribution, step.after
    local, moves, seen = _local_spread(step, shown)
    upstream = _around(step.upstream, shown)
    reach = _times(local, upstream)
    if reach[1] - reach[0] > SWAMPED * abs(c):
        # The rounding swamps the number (tanh(10) shows as 1): the shown inputs allow only
        # what they give as they stand (1 - 1² = 0), not anything up to their rounding.
        worked = seen * float(format_number(step.upstream, shown))
        reach = (min(worked, c), max(worked, c))
    accept_c = _accepted(reach, c, digits)
    before = _around(step.before, shown)
    accept_after = _accepted((reach[0] + before[0], reach[1] + before[1]), after, digits)
    slips: list[tuple[float, float, str]] = []
    if accept_c is not None and c != 0.0:
        slips.append((-accept_c[1], -accept_c[0], SIGN_FLIPPED))
        if abs(step.upstream) != 1.0 and math.isfinite(step.local):
            tol = tolerance(step.local, digits)
            slips.append(
                (
                    local[0] - tol,
                    local[1] + tol,
                    f"that is the local derivative {told.local_symbol} alone: multiply it by the upstream "
                    f"{told.upstream_symbol}",
                )
            )
        if abs(step.local) != 1.0 and math.isfinite(step.upstream):
            tol = tolerance(step.upstream, digits)
            slips.append(
                (
                    upstream[0] - tol,
                    upstream[1] + tol,
                    f"that is the upstream {told.upstream_symbol} alone: multiply it by the local derivative "
                    f"{told.local_symbol}",
                )
            )
        lo, hi = sorted((accept_c[0] / 2, accept_c[1] / 2))
        slips.append((lo, hi, half_of("the contribution")))
        lo, hi = sorted((accept_c[0] * 2, accept_c[1] * 2))
        slips.append((lo, hi, twice("the contribution")))
    more = ""
    if accept_c is not None and reach[1] - reach[0] > 2 * tolerance(c, digits) and moves:
        more = _more_digits(step, name, digits, shown, moves)
    return Marking(accept_c, accept_after, tuple(slips), more)


def _more_digits(step: Step, name: Namer, digits: int, shown: int, moves: list[tuple[int, float]]) -> str:
    """The inputs whose rounding matters, to as many digits as the answer needs: ``L = 0.99933``."""
    node = value_of(step.node)
    inputs = [node, *node.parents]
    target = 2 * tolerance(step.contribution, digits)
    more = shown
    for more in range(shown + 1, MAX_DIGITS + 1):
        local, _, _ = _local_spread(step, more)
        reach = _times(local, _around(step.upstream, shown))
        if reach[1] - reach[0] <= target:
            break
    named = []
    for i, _ in moves:
        who = inputs[i]
        label = name.output() if who is name.root else name(who)
        named.append(f"{label} = {format_number(who.data, more)}")
    return ", ".join(named)
