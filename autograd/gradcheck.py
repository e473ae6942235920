"""Checking ``backward()`` against central finite differences."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from autograd.checks import non_negative, positive
from autograd.grad_mode import no_grad
from autograd.graph import topological_order
from autograd.value import Value


class GradcheckError(AssertionError):
    """``backward()`` and finite differences disagree for an input."""


def gradcheck(
    f: Callable[..., Value],
    inputs: Sequence[Value],
    eps: float = 1e-6,
    atol: float = 1e-6,
    rtol: float = 1e-5,
) -> float:
    """Compare the graph's gradient of ``f(*inputs)`` with central differences.

    For each input x, the numerical derivative is ``(f(x + eps) - f(x - eps)) / (2 eps)``.

    Args:
        f: builds a scalar ``Value`` from the inputs.
        inputs: the leaves to differentiate with respect to.
        eps: the finite-difference step.
        atol, rtol: an input passes when ``|analytic - numeric| <= atol + rtol * |numeric|``.

    Every gradient in the graph (the other leaves' included) is as it was afterwards.

    Returns:
        The largest absolute difference found.

    Raises:
        GradcheckError: naming the first input that disagrees and both numbers.
        ValueError, ZeroDivisionError: when a probe ``x ± eps`` leaves ``f``'s domain; the
            message says which input gradcheck was probing, and where.
    """
    eps, atol, rtol = positive("eps", eps), non_negative("atol", atol), non_negative("rtol", rtol)
    inputs = list(inputs)
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"inputs[{i}] must be a Value, got {type(x).__name__}")
    out = f(*inputs)
    if not isinstance(out, Value):
        raise TypeError(f"f must return a Value, got {type(out).__name__}: {out!r:.60}")
    nodes = {id(n): n for n in [*topological_order(out), *inputs]}.values()
    saved = [(n, n.grad) for n in nodes]
    try:
        for n in nodes:
            n.grad = 0.0  # an input f does not use is in no graph; its gradient is 0
        out.backward()
        analytic = [x.grad for x in inputs]
    finally:
        for n, grad in saved:
            n.grad = grad
    worst = 0.0
    for i, (x, grad) in enumerate(zip(inputs, analytic)):
        name = repr(x.label) if x.label else f"inputs[{i}]"
        numeric = _central_difference(f, inputs, x, eps, name)
        error = abs(grad - numeric)
        if not error <= atol + rtol * abs(numeric):  # `not <=` also catches NaN
            raise GradcheckError(
                f"gradient of input {name} disagrees: backward() gives {grad!r}, "
                f"central differences give {numeric!r} (difference {error:.3g})"
            )
        worst = max(worst, error)
    return worst


def _central_difference(f: Callable[..., Value], inputs: list[Value], x: Value, eps: float, name: str) -> float:
    saved = x.data
    try:
        with no_grad():
            values = []
            for probe in (saved + eps, saved - eps):
                x.data = probe
                try:
                    values.append(f(*inputs).data)
                except (ValueError, ZeroDivisionError) as error:
                    raise type(error)(
                        f"gradcheck was probing input {name} at {saved!r} ± {eps!r} (here {probe!r}), "
                        f"which left f's domain: {error}; choose a smaller eps or a point further from the edge"
                    ) from error
    finally:
        x.data = saved
    return (values[0] - values[1]) / (2 * eps)
