"""Neurons, layers and multi-layer perceptrons, in the lecture's notation.

Layer k computes the pre-activation ``a_k = b_k + W_k h_{k-1}`` and the activation
``h_k = g(a_k)``; the network's output is ``ŷ = O(a_L)``. Each ``a_k[j]`` is one graph node
(the engine's n-ary ``linear`` op), so the graph has exactly the lecture's quantities as
nodes; ``fused=False`` builds it from binary ``+`` and ``*`` nodes instead, to show every
multiplication. Gradients come out of the graph: nothing here knows a derivative.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import autograd
from autograd import Value, as_value
from autograd.checks import whole_number
from nn.functional import activation as activation_named
from nn.functional import output_function, seed_value
from nn.module import Module, SummaryRow

Inputs = Sequence[Value | float]


def init_bound(activation: str, nin: int, nout: int) -> float:
    """Half-width of the uniform initialisation: He for ReLU, Xavier (Glorot) otherwise."""
    if activation == "relu":
        return math.sqrt(6.0 / nin)
    return math.sqrt(6.0 / (nin + nout))


def _check_size(name: str, n: object) -> int:
    """A size as an ``int``: any whole number >= 1 (numpy's integers too; not bool, not 2.0)."""
    return whole_number(name, n)


class Neuron(Module):
    """One unit: ``g(b + Σ_i w_i x_i)``.

    Args:
        nin: number of inputs.
        activation: ``tanh``, ``sigmoid``, ``relu`` or ``linear``.
        fused: one ``linear`` node for the pre-activation (default), or binary ``+``/``*`` nodes.
        rng: the random generator for the weights (a fresh one if not given).
        bound: weights are drawn from U(-bound, bound); defaults to Xavier with one output.
    """

    def __init__(
        self,
        nin: int,
        activation: str = "tanh",
        *,
        fused: bool = True,
        rng: random.Random | None = None,
        bound: float | None = None,
    ) -> None:
        self.nin = _check_size("nin", nin)
        self.activation = activation
        self.g = activation_named(activation)
        self.fused = fused
        rng = rng or random.Random()
        bound = init_bound(activation, self.nin, 1) if bound is None else bound
        self.w = [Value(rng.uniform(-bound, bound), label=f"w[{i}]") for i in range(self.nin)]
        self.b = Value(0.0, label="b")

    def own_parameters(self) -> list[tuple[str, Value]]:
        return [(f"w.{i}", w) for i, w in enumerate(self.w)] + [("b", self.b)]

    def shape(self) -> tuple[int, int]:
        return self.nin, 1

    def config(self) -> dict[str, Any]:
        return {"nin": self.nin, "activation": self.activation, "fused": self.fused}

    def preactivate(self, xs: Sequence[Value]) -> Value:
        """``a = b + Σ_i w_i x_i``, as one node or as binary ones."""
        if self.fused:
            return autograd.linear(self.w, xs, self.b)
        a = self.b
        for w, x in zip(self.w, xs):
            a = a + w * x
        return a

    def __call__(self, xs: Inputs) -> Value:
        return self.g(self.preactivate(_inputs(xs, self.nin)))


class Layer(Module):
    """``nout`` neurons that share their inputs: ``h = g(b + W x)``.

    Args:
        nin, nout: number of inputs and of units.
        activation: ``tanh``, ``sigmoid``, ``relu`` or ``linear``.
        fused: see :class:`Neuron`.
        rng: the random generator for the weights.
        index: the layer's number k, used in labels (``W2[3,0]``, ``a2[3]``, ``h2[3]``).
        init: the activation the initial weights are scaled for (default: ``activation``).
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "tanh",
        *,
        fused: bool = True,
        rng: random.Random | None = None,
        index: int | None = None,
        init: str | None = None,
    ) -> None:
        self.nin, self.nout = _check_size("nin", nin), _check_size("nout", nout)
        self.activation = activation
        self.g = activation_named(activation)
        bound = init_bound(init or activation, self.nin, self.nout)
        rng = rng or random.Random()
        self.neurons = [Neuron(self.nin, activation, fused=fused, rng=rng, bound=bound) for _ in range(self.nout)]
        k = "" if index is None else str(index)
        for j, neuron in enumerate(self.neurons):
            for i, w in enumerate(neuron.w):
                w.label = f"W{k}[{j},{i}]"
            neuron.b.label = f"b{k}[{j}]"
        self._a_labels = [f"a{k}[{j}]" for j in range(self.nout)]
        self._h_labels = [f"h{k}[{j}]" for j in range(self.nout)]

    def children(self) -> list[tuple[str, Module]]:
        return [(f"neurons.{j}", n) for j, n in enumerate(self.neurons)]

    def config(self) -> dict[str, Any]:
        return {
            "nin": self.nin,
            "nout": self.nout,
            "activation": self.activation,
            "fused": self.neurons[0].fused,
        }

    def shape(self) -> tuple[int, int]:
        return self.nin, self.nout

    def summary(self) -> list[SummaryRow]:
        """One row: the layer (its neurons are not worth a row each)."""
        return [self.summary_row("")]

    def __repr__(self) -> str:
        return f"Layer({self.nin} -> {self.nout}, {self.activation})"

    def forward(self, xs: Inputs) -> tuple[list[Value], list[Value]]:
        """The pre-activations ``a`` and activations ``h = g(a)`` of every unit."""
        xs = _inputs(xs, self.nin)
        a = [neuron.preactivate(xs) for neuron in self.neurons]
        for node, label in zip(a, self._a_labels):
            node.label = label
        if self.activation == "linear":
            return a, a
        h = [self.g(node) for node in a]
        for node, label in zip(h, self._h_labels):
            node.label = label
        return a, h

    def __call__(self, xs: Inputs) -> list[Value]:
        return self.forward(xs)[1]


@dataclass
class Trace:
    """Every layer's quantities from one forward pass, in the lecture's notation.

    Attributes:
        a: ``a[k-1]`` is layer k's pre-activations a_k (k = 1..L).
        h: ``h[k]`` is h_k: ``h[0]`` the input x, ``h[-1]`` the output ŷ = O(a_L).
    """

    a: list[list[Value]]
    h: list[list[Value]]

    @property
    def output(self) -> list[Value]:
        return self.h[-1]


class MLP(Module):
    """A multi-layer perceptron: hidden layers with activation g, then an output function O.

    Args:
        nin: number of inputs.
        sizes: units per layer, the last being the outputs (``[16, 16, 1]``).
        activation: hidden activation g: ``tanh``, ``sigmoid``, ``relu`` or ``linear``.
        output: output function O on the last pre-activations: ``linear``, ``sigmoid``, ``softmax``.
        fused: see :class:`Neuron`.
        seed: seeds the weights (its own generator: the global ``random`` state is untouched).

    Example:
        >>> model = MLP(2, [4, 1], activation="tanh", seed=0)
        >>> [y] = model([0.5, -1.0])
    """

    def __init__(
        self,
        nin: int,
        sizes: Sequence[int],
        activation: str = "tanh",
        output: str = "linear",
        *,
        fused: bool = True,
        seed: int | None = None,
    ) -> None:
        self.nin = _check_size("nin", nin)
        if not _is_sequence(sizes):
            raise TypeError(f"sizes must be a list of layer sizes, e.g. [16, 1], got {type(sizes).__name__}")
        sizes = list(sizes)
        if not sizes:
            raise ValueError("sizes must name at least one layer, e.g. [16, 1]")
        self.sizes = [_check_size("every size", n) for n in sizes]
        activation_named(activation)  # fail early on a bad name
        self.activation, self.output, self.fused = activation, output, fused
        self.O = output_function(output)
        rng = random.Random(seed_value(seed))
        fan_in = [self.nin] + self.sizes[:-1]
        self.layers = [
            Layer(n_in, n_out, activation, fused=fused, rng=rng, index=k)
            for k, (n_in, n_out) in enumerate(zip(fan_in[:-1], self.sizes[:-1]), start=1)
        ]
        last = len(self.sizes)
        self.layers.append(Layer(fan_in[-1], self.sizes[-1], "linear", fused=fused, rng=rng, index=last, init=output))
        self._x_labels = [f"x[{i}]" for i in range(self.nin)]
        self._y_labels = [f"ŷ[{j}]" for j in range(self.sizes[-1])]

    def children(self) -> list[tuple[str, Module]]:
        return [(f"layers.{k}", layer) for k, layer in enumerate(self.layers)]

    def config(self) -> dict[str, Any]:
        return {
            "nin": self.nin,
            "sizes": self.sizes,
            "activation": self.activation,
            "output": self.output,
            "fused": self.fused,
        }

    def shape(self) -> tuple[int, int]:
        return self.nin, self.sizes[-1]

    def summary(self) -> list[SummaryRow]:
        """One row per layer; the last shows the output function O applied to its pre-activations."""
        rows = super().summary()
        if self.output != "linear":
            rows[-1] = rows[-1]._replace(activation=f"linear, then {self.output}")
        return rows

    def forward_trace(self, x: Inputs) -> Trace:
        """A forward pass that keeps every ``a_k`` and ``h_k`` (see :class:`Trace`)."""
        trace = Trace(a=[], h=[_inputs(x, self.nin, self._x_labels)])
        h = trace.h[0]
        for layer in self.layers:
            a, h = layer.forward(h)
            trace.a.append(a)
            trace.h.append(h)
        if self.output != "linear":
            trace.h[-1] = self.O(trace.a[-1])
            for node, label in zip(trace.h[-1], self._y_labels):
                node.label = label
        return trace

    def __call__(self, x: Inputs) -> list[Value]:
        """ŷ = f(x): always a list of Values, one per output."""
        return self.forward_trace(x).output


def _is_sequence(xs: object) -> bool:
    """A list, a tuple, any other ordered ``Sequence`` but text, or a 1-D array (numpy's)."""
    if isinstance(xs, Sequence):
        return not isinstance(xs, (str, bytes, bytearray))
    return getattr(xs, "ndim", None) == 1 and hasattr(xs, "__len__")


def _inputs(xs: Inputs, n: int, labels: Sequence[str] | None = None) -> list[Value]:
    """Check the type and length, and make a leaf of each plain number, once, to be shared by all units.

    Only ordered inputs are taken: a dict would give its keys and a set an arbitrary order.
    """
    if type(xs) is not list and type(xs) is not tuple and not _is_sequence(xs):  # once per call, not per number
        ndim = getattr(xs, "ndim", None)
        shape = type(xs).__name__ if ndim is None else f"a {ndim}-D array"
        raise TypeError(
            f"inputs must be a sequence of {n} numbers or Values (a list, a tuple or a 1-D array), got {shape}"
        )
    if len(xs) != n:
        raise ValueError(f"expected {n} inputs, got {len(xs)}")
    # isinstance, not type(x) is Value: subclasses (and autograd's constants) pass through as they are
    if labels is None:
        return [x if isinstance(x, Value) else as_value(x) for x in xs]
    return [x if isinstance(x, Value) else Value(x, label) for x, label in zip(xs, labels)]
