"""`Value`: a scalar node that remembers its parents and its local derivative toward each."""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

from autograd import grad_mode, graph, ops


def as_float(x: object) -> float:
    """Return ``x`` as a float if it is a real number, else raise ``TypeError`` naming its type."""
    if type(x) is float:
        return x
    if isinstance(x, numbers.Real):
        try:
            return float(x)
        except OverflowError:
            raise OverflowError(f"{type(x).__name__} {x!r:.40} is too large for a float") from None
    raise TypeError(f"expected a real number or a Value, got {type(x).__name__}: {x!r:.80}")


def as_value(x: object) -> Value:
    """The one coercion point: a ``Value`` passes through, a real number becomes a :class:`Constant`."""
    if isinstance(x, Value):
        return x
    return Constant(as_float(x))


class Value:
    """A scalar in a computation graph.

    Attributes:
        data: the forward value, a float.
        grad: ∂root/∂self after ``root.backward()``; starts at ``0.0``.
        label: a name for display (may be empty).
        op: the name of the op that made this node in :data:`autograd.ops.OPS` (``""`` for a leaf).
        params: the op's number parameters, as data (the exponent of ``x ** 2`` is ``(2.0,)``).
        parents: the nodes this one was computed from, duplicates kept (``a * a`` has ``(a, a)``).
        local_grads: ∂self/∂parent for each parent, computed in the forward pass.
        requires_grad: ``False`` for a :class:`Constant`, whose gradient stays 0.

    Example:
        >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
        >>> L = (a * b + 10).tanh()
        >>> L.backward()
        >>> round(a.grad, 6), round(b.grad, 6)
        (-1.252358, 0.834905)
    """

    __slots__ = ("data", "grad", "label", "op", "params", "parents", "local_grads")

    requires_grad = True

    def __init__(self, data: float, label: str = "") -> None:
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}")
        self.data = as_float(data)
        self.grad = 0.0
        self.label = label
        self.op = ""
        self.params: tuple[float, ...] = ()
        self.parents: tuple[Value, ...] = ()
        self.local_grads: tuple[float, ...] = ()

    def __repr__(self) -> str:
        name = f"label={self.label!r}, " if self.label else ""
        return f"{type(self).__name__}({name}data={self.data!r}, grad={self.grad!r})"

    def _repr_html_(self) -> str:
        """A notebook shows a Value as a small table: label, data, grad and the op that made it."""
        from html import escape

        from autograd.numbers import format_number

        inputs = len(self.parents)
        made = f"{ops.display(self)}, {inputs} input{'s' if inputs != 1 else ''}" if self.parents else "leaf"
        kind = "constant" if not self.requires_grad else made
        cells = [("label", self.label or "—"), ("data", format_number(self.data, 6))]
        cells += [("grad", format_number(self.grad, 6)), ("op", kind)]
        head = "".join(f"<th>{escape(k)}</th>" for k, _ in cells)
        body = "".join(f"<td>{escape(v)}</td>" for _, v in cells)
        return f"<table><tr>{head}</tr><tr>{body}</tr></table>"

    # --- primitives: the rule comes from the op table, these only wire the node ---

    def __add__(self, other: Value | float) -> Value:
        other = as_value(other)
        return make_node("+", (self, other), *ops.add(self.data, other.data))

    def __mul__(self, other: Value | float) -> Value:
        other = as_value(other)
        return make_node("*", (self, other), *ops.mul(self.data, other.data))

    def __pow__(self, exponent: Value | float) -> Value:
        """``x ** n`` for a number or constant n (op ``**n``), ``x ** y`` for a Value y (op ``**``)."""
        if isinstance(exponent, Value) and exponent.requires_grad:
            return make_node("**", (self, exponent), *ops.power_value(self.data, exponent.data))
        n = exponent.data if isinstance(exponent, Value) else as_float(exponent)
        return make_node("**n", (self,), *ops.power(self.data, n), (n,))

    def exp(self) -> Value:
        """e^x; d/dx e^x = e^x."""
        return make_node("exp", (self,), *ops.exp(self.data))

    def log(self) -> Value:
        """Natural log; d/dx log x = 1/x. Raises ``ValueError`` for x <= 0."""
        return make_node("log", (self,), *ops.log(self.data))

    def tanh(self) -> Value:
        """tanh(x); d/dx tanh x = 1 - tanh(x)^2."""
        return make_node("tanh", (self,), *ops.tanh(self.data))

    def sigmoid(self) -> Value:
        """Logistic σ(x) = 1 / (1 + e^-x); d/dx σ = σ (1 - σ)."""
        return make_node("sigmoid", (self,), *ops.sigmoid(self.data))

    def relu(self) -> Value:
        """max(0, x); its derivative is 1 for x > 0 and 0 for x <= 0 (0 at x = 0, as PyTorch)."""
        return make_node("relu", (self,), *ops.relu(self.data))

    def sin(self) -> Value:
        """sin(x); d/dx sin x = cos x."""
        return make_node("sin", (self,), *ops.sin(self.data))

    def cos(self) -> Value:
        """cos(x); d/dx cos x = -sin x."""
        return make_node("cos", (self,), *ops.cos(self.data))

    def __abs__(self) -> Value:
        """|x|; its derivative is sign(x), 0 at x = 0 (as PyTorch)."""
        return make_node("abs", (self,), *ops.absolute(self.data))

    # --- built from the primitives ---

    def __neg__(self) -> Value:
        return self * -1.0

    def __pos__(self) -> Value:
        return self

    def __sub__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            return self + (-other)
        return self + Constant(-as_float(other))  # the same graph as + (-c), built in one step

    def __truediv__(self, other: Value | float) -> Value:
        divisor = other.data if isinstance(other, Value) else as_float(other)
        if divisor == 0.0:
            raise ZeroDivisionError(f"division by zero: {self.data!r} / {divisor!r}")
        if isinstance(other, Value):
            return self * other**-1
        return self * Constant(1.0 / divisor)  # as * c**-1 would fold to, built in one step

    def __radd__(self, other: float) -> Value:
        return as_value(other) + self

    def __rmul__(self, other: float) -> Value:
        return as_value(other) * self

    def __rsub__(self, other: float) -> Value:
        return as_value(other) - self

    def __rtruediv__(self, other: float) -> Value:
        return as_value(other) / self

    def __rpow__(self, base: float) -> Value:
        return as_value(base) ** self

    # --- gradients ---

    def backward(self) -> None:
        """Back-propagate from this node: seed it with 1, then apply the chain rule.

        Leaves *accumulate* (``+=``) across calls, as in PyTorch: call :meth:`zero_grad`
        (or an optimiser's) between passes. Nodes with parents hold this pass's gradient.
        """
        graph.backward(self)

    def zero_grad(self) -> None:
        """Set the gradient of this node and of every node it depends on to 0."""
        graph.zero_grad(self)


class Constant(Value):
    """A number in a graph that carries no gradient: the ``-1`` of ``a - b``, a mean's ``1/N``.

    Numbers mixed into a graph become constants; ``constant(x)`` makes one by hand. Its
    ``grad`` is always 0, stepping never visits it, and pictures show it as a plain number.
    """

    __slots__ = ()

    requires_grad = False

    @property
    def grad(self) -> float:
        return 0.0

    @grad.setter
    def grad(self, value: float) -> None:
        pass  # a constant receives no gradient


def constant(x: float, label: str = "") -> Constant:
    """A :class:`Constant` holding ``x``."""
    return Constant(x, label)


_new = object.__new__


def make_node(
    op: str,
    parents: tuple[Value, ...],
    data: float,
    local_grads: tuple[float, ...],
    params: tuple[float, ...] = (),
) -> Value:
    """The result of an op: a node that records its parents and local derivatives.

    Under ``no_grad()`` it is a leaf; when every parent is a constant it is a constant;
    under ``detect_anomaly()`` a non-finite value raises.
    """
    if not grad_mode.plain and not _records(op, parents, data, params):
        return Value(data)
    for parent in parents:
        if parent.requires_grad:
            break
    else:
        return Constant(data)
    node = _new(Value)
    node.data = data
    node.grad = 0.0
    node.label = ""
    node.op = op
    node.params = params
    node.parents = parents
    node.local_grads = local_grads
    return node


def _records(op: str, parents: tuple[Value, ...], data: float, params: tuple[float, ...]) -> bool:
    """Off the fast path: check for anomalies, and say whether the graph is being recorded."""
    if grad_mode.anomaly and not math.isfinite(data):
        inputs = ", ".join(repr(p.data) for p in parents)
        shown = ops.OPS[op].display(params)
        raise FloatingPointError(f"detect_anomaly: {shown}({inputs}) gave {data!r}, the first non-finite value")
    return grad_mode.enabled


def apply(op: str | ops.Op, parents: Sequence[Value | float], params: Sequence[float] = ()) -> Value:
    """Apply a primitive from the op table to ``parents``: the one generic entry point.

    Args:
        op: an op's name in :data:`autograd.ops.OPS` (or the op itself).
        parents: its inputs; numbers become constants.
        params: its number parameters (the exponent of ``**n``).

    Example:
        >>> apply("tanh", [Value(0.5)]).data == Value(0.5).tanh().data
        True
    """
    if isinstance(op, ops.Op):
        entry = op
    elif op in ops.OPS:
        entry = ops.OPS[op]
    else:
        raise ValueError(f"unknown op {op!r}; the op table has {', '.join(ops.OPS)}")
    nodes = tuple(as_value(p) for p in parents)
    numbers_ = tuple(as_float(p) for p in params)
    if not entry.accepts(len(nodes)):
        raise TypeError(f"{entry.name} takes {entry.arity_text()}, got {len(nodes)}")
    if len(entry.params) != len(numbers_):
        raise TypeError(f"{entry.name} takes {len(entry.params)} number parameter(s), got {len(numbers_)}")
    data, local = entry.rule(*(p.data for p in nodes), *numbers_)
    return make_node(entry.name, nodes, data, local, numbers_)
