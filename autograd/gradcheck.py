"""Checking ``backward()`` against central finite differences."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from autograd.grad_mode import no_grad
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

    Returns:
        The largest absolute difference found.

    Raises:
        GradcheckError: naming the first input that disagrees and both numbers.
    """
    inputs = list(inputs)
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"inputs[{i}] must be a Value, got {type(x).__name__}")
    out = f(*inputs)
    out.zero_grad()
    for x in inputs:
        x.grad = 0.0  # an input f does not use is in no graph; its gradient is 0
    out.backward()
    worst = 0.0
    for i, x in enumerate(inputs):
        numeric = _central_difference(f, inputs, x, eps)
        error = abs(x.grad - numeric)
        if not error <= atol + rtol * abs(numeric):  # `not <=` also catches NaN
            name = repr(x.label) if x.label else f"inputs[{i}]"
            raise GradcheckError(
                f"gradient of input {name} disagrees: backward() gives {x.grad!r}, "
                f"central differences give {numeric!r} (difference {error:.3g})"
            )
        worst = max(worst, error)
    return worst


def _central_difference(f: Callable[..., Value], inputs: list[Value], x: Value, eps: float) -> float:
    saved = x.data
    try:
        with no_grad():
            x.data = saved + eps
            up = f(*inputs).data
            x.data = saved - eps
            down = f(*inputs).data
    finally:
        x.data = saved
    return (up - down) / (2 * eps)
