"""Gradients as functions, and gradients of gradients: ``grad``, ``hessian``, ``hvp``.

``root.backward()`` writes ∂root/∂x into every ``x.grad`` as a float. :func:`grad` instead
*returns* the gradients with respect to the inputs you name, and leaves ``.grad`` alone.
With ``create_graph=True`` it builds them as a graph: the backward pass itself becomes
forward nodes. Each edge's ``local × upstream`` is a ``*`` node, each node used twice
becomes a ``+`` of its two contributions, and each local derivative is the op table's
``Value`` form of it (tanh's is ``1 - out*out``, built on the tanh node itself). That graph
can be differentiated again, drawn and stepped like any other.

>>> from autograd import Value, grad
>>> x, y = Value(2.0, label="x"), Value(3.0, label="y")
>>> f = x * x * y                       # f = x²y
>>> dfdx, = grad(f, [x], create_graph=True)
>>> dfdx.data                           # ∂f/∂x = 2xy
12.0
>>> d2fdx2, d2fdxdy = grad(dfdx, [x, y])  # ∂²f/∂x² = 2y, ∂²f/∂y∂x = 2x (a mixed partial)
>>> d2fdx2.data, d2fdxdy.data
(6.0, 4.0)

Differences from ``torch.autograd.grad`` (everything else follows it):

- ``retain_graph`` is accepted and ignored: chainrule never frees a graph, so every graph
  can be differentiated any number of times.
- The gradients are ``Value``s; without ``create_graph`` they are constants (no parents,
  ``requires_grad`` False), like the plain tensors PyTorch returns.
- Argument errors (an unused input, an input that is a constant) are ``ValueError`` where
  PyTorch raises ``RuntimeError``.
- An output that does not require grad (a constant, or a gradient that came out constant,
  such as ∂(x + y)/∂x) is an error, as in PyTorch, unless ``allow_unused=True``: then none
  of the inputs is used, and each gets ``None`` (or 0 with ``materialize_grads=True``).
  :func:`hessian` and :func:`hvp` rely on that for functions whose gradient is constant.
- There is no ``is_grads_batched`` and no ``only_inputs``.

As in PyTorch, ``create_graph=True`` records the gradient's graph even inside ``no_grad()``,
and a gradient may be a node shared with another input's (∂(x + y)/∂x and ∂(x + y)/∂y are
the same constant 1), so label a gradient only if you made it alone. Both paths keep the
numeric contract as ``backward()`` does: a relu or abs that is flat blocks even an infinite
upstream, and ``detect_anomaly()`` names the op at the first non-finite contribution.
relu and abs have second derivative 0 everywhere, their kinks included (PyTorch's choice).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal, overload

from autograd import grad_mode, graph, ops
from autograd.graph import topological_order
from autograd.value import Constant, Value, as_float

Number = Value | float
Values = Value | Sequence[Value]


@overload
def grad(
    outputs: Values,
    inputs: Values,
    grad_outputs: Sequence[Number] | None = None,
    *,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: Literal[False] | None = None,
    materialize_grads: bool = False,
) -> tuple[Value, ...]: ...


@overload
def grad(
    outputs: Values,
    inputs: Values,
    grad_outputs: Sequence[Number] | None = None,
    *,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool | None = None,
    materialize_grads: Literal[True],
) -> tuple[Value, ...]: ...


@overload
def grad(
    outputs: Values,
    inputs: Values,
    grad_outputs: Sequence[Number] | None = None,
    *,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool | None = None,
    materialize_grads: bool = False,
) -> tuple[Value | None, ...]: ...


def grad(
    outputs: Values,
    inputs: Values,
    grad_outputs: Sequence[Number] | None = None,
    *,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool | None = None,
    materialize_grads: bool = False,
) -> tuple[Value | None, ...]:
    """The gradients of ``outputs`` with respect to ``inputs``, returned, not stored in ``.grad``.

    Args:
        outputs: the value to differentiate, or several (their gradients are summed,
            each weighted by its entry of ``grad_outputs``).
        inputs: the values to differentiate with respect to: leaves or inner nodes.
        grad_outputs: a weight per output (default 1 each): the "upstream" gradient the
            backward pass starts from. Numbers or ``Value``s (with ``create_graph``, a
            ``Value`` weight is part of the gradient's graph).
        retain_graph: ignored (chainrule never frees a graph); accepted for PyTorch's sake.
        create_graph: build the gradients as a graph of ``Value``s, from each op's
            ``Value`` local derivatives, so that they can be differentiated again. Without
            it the stored float local derivatives are used, and no node with parents is made.
        allow_unused: an input the outputs do not depend on is a ``ValueError`` unless this
            is true; then its gradient is ``None``.
        materialize_grads: give unused inputs a gradient of 0 instead of ``None``
            (implies ``allow_unused``; passing ``allow_unused=False`` with it is an error).

    Returns:
        One gradient per input, in order, as ``Value``s: constants without
        ``create_graph``; with it, nodes of a graph built on the forward graph (a gradient
        that cannot depend on anything, such as ∂(2x)/∂x, is still a constant).

    Example:
        >>> from autograd import Value, grad
        >>> a, b = Value(2.0), Value(-3.0)
        >>> L = a * b + a
        >>> [g.data for g in grad(L, [a, b])]   # ∂L/∂a = b + 1, ∂L/∂b = a
        [-2.0, 2.0]
        >>> a.grad                               # untouched
        0.0
    """
    del retain_graph  # see the module docstring: nothing is ever freed
    if materialize_grads:
        if allow_unused is False:
            raise ValueError(
                "materialize_grads=True gives unused inputs 0: it cannot be combined with allow_unused=False"
            )
        allow_unused = True
    roots, seeds = _outputs(outputs, grad_outputs)
    wanted = _inputs(inputs)
    if not any(root.requires_grad for root in roots) and not allow_unused:
        raise ValueError(
            "the output does not require grad: it is a constant, so no input can change it"
            " (pass allow_unused=True to get None for every input, materialize_grads=True for 0)"
        )
    order = _order(roots)
    needed = _needed(order, set(wanted))
    if create_graph:
        with _grad_enabled():
            found: dict[Value, Value] | dict[Value, float] = _backward_values(order, needed, roots, seeds)
    else:
        found = _backward_floats(order, needed, roots, seeds)

    result: list[Value | None] = []
    for i, x in enumerate(wanted):
        if x in needed:
            g = found.get(x)
            result.append(Constant(0.0) if g is None else g if isinstance(g, Value) else Constant(g))
        elif allow_unused:
            result.append(Constant(0.0) if materialize_grads else None)
        else:
            raise ValueError(
                f"input {i} ({_name(x)}) was not used to compute the output; pass allow_unused=True"
                " if that is expected (its gradient is then None, or 0 with materialize_grads=True)"
            )
    return tuple(result)


def hessian(f: Value, inputs: Sequence[Value], *, create_graph: bool = False) -> list[list[Value]]:
    """The matrix of second derivatives ∂²f/∂x_i∂x_j, as a list of rows, for a few inputs.

    Row i is the gradient of ∂f/∂x_i, so it costs one backward pass per input on top of
    the first: fine for the handful of inputs a lesson has. For a product with a vector,
    :func:`hvp` needs no full matrix. Inputs ``f`` does not depend on get zeros.

    Args:
        f: the output, a graph already built from ``inputs``.
        inputs: the variables.
        create_graph: keep the second derivatives as graphs too (for third derivatives).

    Returns:
        ``H[i][j]`` = ∂²f/∂x_i∂x_j as ``Value``s (constants without ``create_graph``).

    Example:
        >>> from autograd import Value, hessian
        >>> x, y = Value(1.0), Value(2.0)
        >>> H = hessian(x * x * y, [x, y])
        >>> [[h.data for h in row] for row in H]
        [[4.0, 2.0], [2.0, 0.0]]
    """
    inputs = _inputs(inputs)
    first = grad(f, inputs, create_graph=True, materialize_grads=True)
    return [list(grad(g, inputs, create_graph=create_graph, materialize_grads=True)) for g in first]


def hvp(f: Value, inputs: Sequence[Value], v: Sequence[Number], *, create_graph: bool = False) -> tuple[Value, ...]:
    """The Hessian-vector product H·v, without building H.

    H·v is the gradient of ∇f·v = Σ_i (∂f/∂x_i) v_i, so it takes two backward passes
    whatever the number of inputs: one with ``create_graph`` for ∇f, one over that
    gradient's graph, weighted by ``v`` (``grad``'s ``grad_outputs``).

    Args:
        f: the output, a graph already built from ``inputs``.
        inputs: the variables x_1..x_n.
        v: the vector, one number (or ``Value``) per input.
        create_graph: keep the product as a graph.

    Returns:
        (H·v)_i for each input, as ``Value``s.

    Example:
        >>> from autograd import Value, hvp
        >>> x, y = Value(1.0), Value(2.0)
        >>> [g.data for g in hvp(x * x * y, [x, y], [1.0, 0.0])]   # H's first column
        [4.0, 2.0]
    """
    inputs = _inputs(inputs)
    if len(v) != len(inputs):
        raise ValueError(f"v has {len(v)} entries but there are {len(inputs)} inputs")
    first = grad(f, inputs, create_graph=True, materialize_grads=True)
    return grad(first, inputs, v, create_graph=create_graph, materialize_grads=True)


# --- the two backward passes ---


def _backward_floats(
    order: list[Value], needed: set[Value], roots: list[Value], seeds: list[Number]
) -> dict[Value, float]:
    """``backward()``'s pass on a side table: stored float local derivatives, no ``.grad`` touched."""
    adjoint: dict[Value, float] = {}
    checking = grad_mode.anomaly
    for root, seed in zip(roots, seeds):
        if root in needed:
            adjoint[root] = adjoint.get(root, 0.0) + _float(seed)
    for node in reversed(order):
        upstream = adjoint.get(node)
        if upstream is None or not node.parents:
            continue
        for edge, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
            if parent in needed:
                contribution = graph.contribution_of(node, local, upstream)  # backward()'s rule, kinks included
                if checking and not math.isfinite(contribution):
                    raise FloatingPointError(
                        f"detect_anomaly: grad() through {ops.display(node)} gave {contribution!r} for its parent "
                        f"{edge} (local derivative {local!r} × upstream {upstream!r})"
                    )
                adjoint[parent] = adjoint.get(parent, 0.0) + contribution
    return adjoint


def side_gradients(root: Value) -> dict[Value, float]:
    """The gradients one ``backward()`` from scratch would give, on a side table: no ``.grad`` is touched.

    Constants get 0, as ``backward()`` gives them.
    """
    order = topological_order(root)
    grads = _backward_floats(order, set(order), [root], [1.0])
    return {node: grads.get(node, 0.0) if node.requires_grad else 0.0 for node in order}


def _backward_values(
    order: list[Value], needed: set[Value], roots: list[Value], seeds: list[Number]
) -> dict[Value, Value]:
    """The same pass with ``Value``s: every product and sum becomes a node of the gradient's graph."""
    adjoint: dict[Value, Value] = {}
    for root, seed in zip(roots, seeds):
        if root in needed:
            _accumulate(adjoint, root, seed if isinstance(seed, Value) else Constant(seed))
    for node in reversed(order):
        upstream = adjoint.get(node)
        if upstream is None or not node.parents:
            continue
        if not any(parent in needed for parent in node.parents):
            continue
        op = ops.OPS[node.op]
        try:
            locals_ = op.grads(ops.VALUES, node, *node.parents, *node.params)
        except (ArithmeticError, ValueError) as error:
            inputs = ", ".join(repr(p.data) for p in node.parents)
            raise type(error)(
                f"grad(create_graph=True): the derivative of {op.display(node.params)} at ({inputs}) cannot be"
                f" built as a graph: {error}"
            ) from error
        for parent, local in zip(node.parents, locals_):
            if parent in needed:
                contribution = _times(local, upstream, op.piecewise)
                if contribution is not None:
                    _accumulate(adjoint, parent, contribution)
    return adjoint


def _times(local: Number, upstream: Value, piecewise: bool) -> Value | None:
    """``local * upstream`` as a node, or fewer nodes where a constant ``local`` allows.

    A constant 1 passes the upstream on unchanged. A kink op's constant 0 contributes
    nothing (``None``): it blocks even an infinite upstream, as the numeric contract says.
    Any other constant is multiplied in, so that 0 × inf stays NaN as in ``backward()``.
    The choice depends on the local derivative alone, never on the upstream's value, so
    the gradient graph has the same shape whatever the numbers (``autograd.compile``).
    """
    if isinstance(local, Value) and local.requires_grad:
        product = local * upstream
        if piecewise and product.data != product.data and local.data == 0.0:
            product.data = 0.0  # a flat kink (relu's step node at 0) blocks even an infinite upstream
        return product
    c = _float(local)
    if c == 1.0:
        return upstream
    if c == 0.0 and piecewise:
        return None
    return Constant(c) * upstream


def _accumulate(adjoint: dict[Value, Value], node: Value, contribution: Value) -> None:
    before = adjoint.get(node)
    adjoint[node] = contribution if before is None else before + contribution


# --- arguments and bookkeeping ---


def _outputs(outputs: Values, grad_outputs: Sequence[Number] | None) -> tuple[list[Value], list[Number]]:
    roots = _values(outputs, "outputs")
    if grad_outputs is None:
        return roots, [1.0] * len(roots)
    if isinstance(grad_outputs, (Value, int, float)) or not isinstance(grad_outputs, Sequence):
        raise TypeError(f"grad_outputs must be a sequence (one weight per output), got {type(grad_outputs).__name__}")
    if len(grad_outputs) != len(roots):
        raise ValueError(f"grad_outputs has {len(grad_outputs)} entries but there are {len(roots)} outputs")
    seeds = [g if isinstance(g, Value) else _float(g) for g in grad_outputs]
    return roots, seeds


def _inputs(inputs: Values) -> list[Value]:
    wanted = _values(inputs, "inputs")
    for i, x in enumerate(wanted):
        if not x.requires_grad:
            raise ValueError(f"input {i} ({_name(x)}) is a constant: it does not require grad")
    return wanted


def _values(xs: Values, what: str) -> list[Value]:
    if isinstance(xs, Value):
        return [xs]
    if isinstance(xs, (str, bytes)) or not isinstance(xs, Sequence):
        raise TypeError(f"{what} must be a Value or a sequence of Values, got {type(xs).__name__}")
    for i, x in enumerate(xs):
        if not isinstance(x, Value):
            raise TypeError(f"{what}[{i}] must be a Value, got {type(x).__name__}: {x!r}")
    return list(xs)


def _float(x: Number) -> float:
    return x.data if isinstance(x, Value) else as_float(x)


def _name(x: Value) -> str:
    return repr(x.label) if x.label else f"data {x.data!r}"


def _order(roots: list[Value]) -> list[Value]:
    """Every node the roots depend on, parents before children (one order for several roots)."""
    if len(roots) == 1:
        return topological_order(roots[0])
    seen: set[Value] = set()
    order: list[Value] = []
    for root in roots:
        for node in topological_order(root):
            if node not in seen:
                seen.add(node)
                order.append(node)
    return order


def _needed(order: list[Value], wanted: set[Value]) -> set[Value]:
    """The nodes on some path from a wanted input to the output: the only ones worth a gradient."""
    needed: set[Value] = set()
    for node in order:
        if node in wanted or (node.requires_grad and any(parent in needed for parent in node.parents)):
            needed.add(node)
    return needed


_grad_enabled = grad_mode.enable_grad  # record the gradient's graph even inside no_grad(), as PyTorch
