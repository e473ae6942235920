"""`Value`: a scalar node that remembers its parents and its local derivative toward each."""

from __future__ import annotations

import itertools
import numbers

from autograd import grad_mode, graph, ops

# A node's creation number. A node is always made after its parents, so sorting by this
# number is a topological order; it is also what makes that order deterministic.
_creation = itertools.count()


def as_float(x: object) -> float:
    """Return ``x`` as a float if it is a real number, else raise ``TypeError`` naming its type."""
    if type(x) is float:
        return x
    if isinstance(x, numbers.Real):
        return float(x)
    raise TypeError(f"expected a real number or a Value, got {type(x).__name__}: {x!r}")


def as_value(x: object) -> Value:
    """The one coercion point: a ``Value`` passes through, a real number becomes a leaf."""
    if isinstance(x, Value):
        return x
    return Value(as_float(x))


class Value:
    """A scalar in a computation graph.

    Attributes:
        data: the forward value, a float.
        grad: ∂root/∂self after ``root.backward()``; starts at ``0.0``.
        label: a name for display (may be empty).
        op: the name of the op that made this node (``""`` for a leaf).
        parents: the nodes this one was computed from, duplicates kept (``a * a`` has ``(a, a)``).
        local_grads: ∂self/∂parent for each parent, computed in the forward pass.

    Example:
        >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
        >>> L = (a * b + 10).tanh()
        >>> L.backward()
        >>> round(a.grad, 6), round(b.grad, 6)
        (-1.252358, 0.834905)
    """

    __slots__ = ("data", "grad", "label", "op", "parents", "local_grads", "_created")

    def __init__(self, data: float, label: str = "") -> None:
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, got {type(label).__name__}")
        self.data = as_float(data)
        self.grad = 0.0
        self.label = label
        self.op = ""
        self.parents: tuple[Value, ...] = ()
        self.local_grads: tuple[float, ...] = ()
        self._created = next(_creation)

    def __repr__(self) -> str:
        name = f"label={self.label!r}, " if self.label else ""
        return f"Value({name}data={self.data!r}, grad={self.grad!r})"

    # --- primitives: the rule comes from the op table, this only wires the node ---

    def __add__(self, other: Value | float) -> Value:
        other = as_value(other)
        return make_node("+", (self, other), *ops.add(self.data, other.data))

    def __mul__(self, other: Value | float) -> Value:
        other = as_value(other)
        return make_node("*", (self, other), *ops.mul(self.data, other.data))

    def __pow__(self, exponent: Value | float) -> Value:
        if type(exponent) is Value:
            return make_node("**", (self, exponent), *ops.power_value(self.data, exponent.data))
        n = as_float(exponent)
        return make_node(f"**{n:g}", (self,), *ops.power(self.data, n))

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

    def __abs__(self) -> Value:
        """|x|; its derivative is sign(x), 0 at x = 0 (as PyTorch)."""
        return make_node("abs", (self,), *ops.absolute(self.data))

    # --- built from the primitives ---

    def __neg__(self) -> Value:
        return self * -1.0

    def __sub__(self, other: Value | float) -> Value:
        return self + (-as_value(other))

    def __truediv__(self, other: Value | float) -> Value:
        other = as_value(other)
        if other.data == 0.0:
            raise ZeroDivisionError(f"division by zero: {self.data!r} / {other.data!r}")
        return self * other**-1

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


_new = object.__new__


def make_node(op: str, parents: tuple[Value, ...], data: float, local_grads: tuple[float, ...]) -> Value:
    """Make the result of an op; under ``no_grad()`` it becomes a leaf."""
    node = _new(Value)
    node.data = data
    node.grad = 0.0
    node.label = ""
    if grad_mode.enabled:
        node.op = op
        node.parents = parents
        node.local_grads = local_grads
    else:
        node.op = ""
        node.parents = ()
        node.local_grads = ()
    node._created = next(_creation)
    return node
