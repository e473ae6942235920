"""Optimisers with PyTorch's update rules, so hyper-parameters and intuitions carry over.

A step is all or nothing. Before it changes anything, it checks that every gradient and every
parameter is finite, and that no updated value (nor the optimiser's own state: momentum buffers,
Adam's moments) overflows. If one is not, the step raises ``FloatingPointError`` naming the
parameter (its label, such as ``'W2[3,0]'``, and its position in ``params``), and no parameter
and no state has changed. A diverged run stops at the first bad step instead of silently
filling the model with NaN. ``FloatingPointError`` is also what ``autograd.detect_anomaly()``
raises, so one ``except FloatingPointError`` catches a diverging run wherever it shows.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence

from autograd import Value
from autograd.checks import non_negative, positive

ANOMALY = "`with autograd.detect_anomaly():` finds the first op that made a NaN or inf"


class Optimizer:
    """Holds the parameters and a public learning rate ``lr`` that schedules change.

    Raises:
        TypeError: if a parameter is not a ``Value``.
        ValueError: if there are no parameters, one is listed twice, one is a constant, or
            the learning rate is negative or not finite.
    """

    def __init__(self, params: Iterable[Value], lr: float) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError("the optimiser got no parameters")
        seen: dict[int, int] = {}
        for i, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(f"params[{i}] must be a Value, got {type(p).__name__}")
            if not getattr(p, "requires_grad", True):
                raise ValueError(f"params[{i}] is a constant (requires_grad is False); it cannot be trained")
            if id(p) in seen:  # it would be stepped twice per step
                raise ValueError(f"params[{i}] is params[{seen[id(p)]}] again; list each parameter once")
            seen[id(p)] = i
        self.lr = _setting("learning rate", lr)

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (gradients accumulate across backward passes)."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Update every parameter once from its gradient, or none of them.

        Raises:
            FloatingPointError: if a gradient or a parameter is NaN or ±inf, or the update
                overflows; the message names the parameter, and nothing has changed.
            TypeError: if a gradient or a parameter is not a number (``p.grad = None``);
                the message names the parameter, and nothing has changed.
        """
        raise NotImplementedError

    def _name(self, i: int) -> str:
        """How messages name ``params[i]``: its label (if it has one) and its position."""
        label = self.params[i].label
        return f"{label!r} (params[{i}])" if label else f"params[{i}]"

    def _checked_gradients(self) -> list[float]:
        """Every gradient, after checking that gradients and parameters are all finite."""
        grads = [p.grad for p in self.params]
        self._refuse_non_finite("the gradient of", grads, f"the loss probably diverged: try a smaller lr; {ANOMALY}")
        self._refuse_non_finite("", [p.data for p in self.params], "it was not finite before this step")
        return grads

    def _refuse_non_finite(self, what: str, values: Sequence[float], hint: str) -> None:
        """Raise FloatingPointError naming the first non-finite value (``what`` the name's prefix).

        A value that is not a number at all (None, a str, an array) is a TypeError naming it.
        """
        try:
            if all(math.isfinite(x) for x in values):
                return
        except TypeError:
            self._refuse_non_number(what, values)
        bad = [i for i, x in enumerate(values) if not math.isfinite(x)]
        first = bad[0]
        others = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        subject = f"{what} {self._name(first)}" if what else f"parameter {self._name(first)}"
        raise FloatingPointError(
            f"{type(self).__name__}.step: {subject} is {values[first]!r}{others}; no parameter was changed ({hint})"
        )

    def _refuse_non_number(self, what: str, values: Sequence[object]) -> None:
        """Raise TypeError naming the first value that is not a real number."""
        for i, x in enumerate(values):
            try:
                math.isfinite(x)  # type: ignore[arg-type]
            except TypeError:
                subject = f"{what} {self._name(i)}" if what else f"the data of parameter {self._name(i)}"
                fix = " (call loss.backward() after opt.zero_grad(), or set it to a number)" if what else ""
                raise TypeError(
                    f"{type(self).__name__}.step: {subject} is {x!r:.60} ({type(x).__name__}), not a number;"
                    f" no parameter was changed{fix}"
                ) from None

    def _commit(self, data: list[float]) -> None:
        """Refuse an update that overflows, else set every parameter."""
        self._refuse_non_finite("the update of", data, f"it overflows with lr = {self.lr!r}")
        for p, x in zip(self.params, data):
            p.data = x


class SGD(Optimizer):
    """Stochastic gradient descent, as ``torch.optim.SGD`` (plus an L1 term).

    With g = ∇L + weight_decay·θ + l1·sign(θ):
    ``buf = g`` on the first step, then ``buf = momentum·buf + (1 − dampening)·g``;
    the step direction is ``g + momentum·buf`` with Nesterov, else ``buf``;
    ``θ ← θ − lr · direction``. Without momentum it is plain θ ← θ − lr·g.

    Args:
        params: the parameters to update.
        lr: learning rate η.
        momentum: the momentum factor μ.
        dampening: damping of the gradient in the momentum buffer.
        nesterov: use Nesterov momentum (needs momentum > 0 and no dampening).
        weight_decay: L2 regularisation strength (adds weight_decay·θ to the gradient).
        l1: L1 regularisation strength (adds l1·sign(θ) to the gradient).

    Raises:
        ValueError: for a negative or non-finite setting, or Nesterov without momentum.

    :meth:`step` raises ``FloatingPointError`` on a non-finite gradient (see the module's doc).
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float,
        momentum: float = 0.0,
        dampening: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
        l1: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        self.momentum = _setting("momentum", momentum)
        self.dampening = _setting("dampening", dampening)
        self.weight_decay = _setting("weight_decay", weight_decay)
        self.l1 = _setting("l1", l1)
        if nesterov and (momentum <= 0.0 or dampening != 0.0):
            raise ValueError("Nesterov momentum needs momentum > 0 and dampening = 0")
        self.nesterov = nesterov
        self.buffers: list[float] | None = None

    def step(self) -> None:
        """Update every parameter once from its current gradient, or none of them.

        Raises:
            FloatingPointError: if a gradient or a parameter is NaN or ±inf, or the update
                overflows; the message names the parameter, and nothing has changed.
        """
        grads = self._checked_gradients()
        mu, params = self.momentum, self.params
        if self.weight_decay:
            grads = [g + self.weight_decay * p.data for g, p in zip(grads, params)]
        if self.l1:
            grads = [g + self.l1 * _sign(p.data) for g, p in zip(grads, params)]
        directions = grads
        buffers = self.buffers
        if mu:
            damp = 1.0 - self.dampening
            buffers = grads if buffers is None else [mu * b + damp * g for b, g in zip(buffers, grads)]
            directions = [g + mu * b for g, b in zip(grads, buffers)] if self.nesterov else buffers
            self._refuse_non_finite("the momentum buffer of", buffers, "it overflows")
        self._commit([p.data - self.lr * d for p, d in zip(params, directions)])
        self.buffers = buffers


class Adam(Optimizer):
    """Adam, as ``torch.optim.Adam`` (L2 ``weight_decay`` added to the gradient, not AdamW).

    ``m ← β1·m + (1 − β1)·g``, ``v ← β2·v + (1 − β2)·g²``,
    ``θ ← θ − lr · m̂ / (√v̂ + ε)`` with the bias corrections m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t).

    Raises:
        TypeError: if ``betas`` is not a pair of numbers, or a setting is not a number.
        ValueError: for betas outside [0, 1), a negative or non-finite lr or weight_decay, or
            an ``eps`` that is not > 0 and finite (with ``eps = 0`` a zero gradient divides 0 by 0).

    :meth:`step` raises ``FloatingPointError`` on a non-finite gradient, and when g² overflows
    (|g| above about 1e154), which would otherwise freeze the parameter silently.
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        self.betas = _betas(betas)
        self.eps = positive("eps", eps)  # 0 would divide 0 by 0 on a zero gradient
        self.weight_decay = _setting("weight_decay", weight_decay)
        self.t = 0
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    def step(self) -> None:
        """Update every parameter once from its current gradient, or none of them.

        Raises:
            FloatingPointError: if a gradient or a parameter is NaN or ±inf, or the update or
                a moment overflows; the message names the parameter, and nothing has changed.
        """
        grads = self._checked_gradients()
        b1, b2 = self.betas
        t = self.t + 1
        correction1, correction2 = 1.0 - b1**t, 1.0 - b2**t
        if self.weight_decay:
            grads = [g + self.weight_decay * p.data for g, p in zip(grads, self.params)]
        m = [b1 * m + (1.0 - b1) * g for m, g in zip(self.m, grads)]
        v = [b2 * v + (1.0 - b2) * g * g for v, g in zip(self.v, grads)]
        self._refuse_non_finite("the second moment v of", v, "the gradient squared overflows")
        lr, eps = self.lr, self.eps
        self._commit(
            [
                p.data - lr * (mi / correction1) / (math.sqrt(vi / correction2) + eps)
                for p, mi, vi in zip(self.params, m, v)
            ]
        )
        self.t, self.m, self.v = t, m, v


def _setting(name: str, value: float) -> float:
    """A hyper-parameter as a float that is finite and >= 0 (NaN fails ``>= 0`` too)."""
    return non_negative(name, value)


def _betas(betas: object) -> tuple[float, float]:
    """Adam's ``(beta1, beta2)``: a pair of numbers, each in [0, 1)."""
    ordered = isinstance(betas, Sequence) or getattr(betas, "ndim", None) == 1
    if isinstance(betas, (str, bytes)) or not ordered:
        raise TypeError(f"betas must be a pair of numbers (beta1, beta2), got {type(betas).__name__} {betas!r:.60}")
    pair = list(betas)  # type: ignore[call-overload]
    if len(pair) != 2:
        raise ValueError(f"betas must be a pair of numbers (beta1, beta2), got {len(pair)}: {betas!r:.60}")
    for name, beta in zip(("beta1", "beta2"), pair):
        if isinstance(beta, bool) or not isinstance(beta, numbers.Real):
            raise TypeError(f"betas must be numbers, got {name} = {beta!r:.60} ({type(beta).__name__})")
        if not 0.0 <= float(beta) < 1.0:  # NaN fails too
            raise ValueError(f"betas must be in [0, 1), got {name} = {beta!r} in {betas!r}")
    return float(pair[0]), float(pair[1])


def _sign(x: float) -> float:
    return (x > 0.0) - (x < 0.0)
