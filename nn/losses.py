"""Losses and penalties, each a `Value` built from engine ops (so its gradient comes from the graph)."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Sequence
from typing import Any

import autograd
from autograd import Value, as_value
from autograd.checks import whole_number
from autograd.compile import check_traced
from nn.functional import logsumexp

Numbers = Sequence[Value | float]


def _pairs(pred: Numbers, target: Numbers) -> list[tuple[Value, Value | float]]:
    pred, target = list(pred), list(target)
    if len(pred) != len(target):
        raise ValueError(f"predictions and targets differ in length: {len(pred)} and {len(target)}")
    if not pred:
        raise ValueError("a loss needs at least one prediction")
    return [(as_value(p), t) for p, t in zip(pred, target)]


def _reduce(terms: list[Value], reduction: str) -> Value:
    total = autograd.sum(terms)
    if reduction == "sum":
        return total
    if reduction == "mean":
        return total * (1.0 / len(terms))
    raise ValueError(f"reduction must be 'mean' or 'sum', got {reduction!r}")


def mse_loss(pred: Numbers, target: Numbers, reduction: str = "mean", half: bool = False) -> Value:
    """Squared error Σ_j (ŷ_j - y_j)², as a mean (default) or a sum, optionally with ½ in front.

    The lecture notes use both conventions: with ``half=True`` the output delta is
    ``(ŷ - y)``, without it ``2 (ŷ - y)``.
    """
    terms = [(p - t) ** 2 for p, t in _pairs(pred, target)]
    loss = _reduce(terms, reduction)
    return loss * 0.5 if half else loss


def cross_entropy(logits: Numbers, target: int | Numbers) -> Value:
    """−log softmax(logits)[ℓ] = logsumexp(a) − a_ℓ: cross-entropy on the logits, computed stably.

    Args:
        logits: the output pre-activations a_L (not probabilities).
        target: the true class ℓ as an index, or as a one-hot vector (more generally, class
            probabilities y summing to 1, giving −Σ_c y_c log ŷ_c = logsumexp(a) − Σ_c y_c a_c).

    Under ``autograd.compile`` the targets are data and must stay in the graph: pass them as
    one-hot vectors (``nn.one_hot(k, n)``). A class index that is a traced ``Value`` is refused,
    because indexing with it would freeze the index of the batch that was traced. Targets that
    are ``Value``s are checked like numbers; traced ones on every compiled call.
    """
    logits = [as_value(a) for a in logits]
    if not logits:
        raise ValueError("cross_entropy needs at least one logit")
    n = len(logits)
    if isinstance(target, Value):
        raise TypeError(
            "cross_entropy got a Value as the class index; pass the target as a one-hot vector "
            f"(nn.one_hot(k, {n})) so that it is data (under autograd.compile it would otherwise be frozen)"
        )
    if isinstance(target, (int, numbers.Integral)) and not isinstance(target, bool):  # int: for the type checker
        if not 0 <= target < n:
            raise ValueError(f"target must be a class index in 0..{n - 1}, got {target!r}")
        return logsumexp(logits) - logits[int(target)]
    if isinstance(target, (str, bytes)) or not isinstance(target, Sequence):
        raise ValueError(f"target must be a class index in 0..{n - 1} or a one-hot vector, got {target!r}")
    probs = list(target)
    if len(probs) != n:
        raise ValueError(f"a one-hot target needs {n} entries, one per logit, got {len(probs)}")
    if all(isinstance(y, Value) and not y.requires_grad or not isinstance(y, Value) for y in probs):
        _check_probabilities([y.data if isinstance(y, Value) else y for y in probs])
    else:  # traced data (or Values): every entry in the graph, so a compiled replay checks its own numbers
        values = [as_value(y) for y in probs]
        if not check_traced(values, _check_probability_rows):
            _check_probabilities([y.data for y in values])
        probs = list(values)
    # Σ_c y_c = 1, so −Σ_c y_c (a_c − logsumexp(a)) = logsumexp(a) − Σ_c y_c a_c
    return logsumexp(logits) - autograd.dot(probs, logits)


def _check_probabilities(probs: list[Any]) -> None:
    if not all(0.0 <= y <= 1.0 for y in probs) or abs(math.fsum(probs) - 1.0) > 1e-9:
        raise ValueError(f"target probabilities must be in [0, 1] and sum to 1, got {probs!r}")


def _check_probability_rows(rows: Any) -> None:
    """The same check on a compiled call's targets: a numpy array with a row per target."""
    if rows.min() >= 0.0 and rows.max() <= 1.0 and abs(rows.sum(axis=1) - 1.0).max() <= 1e-9:
        return  # the usual case, in three array reductions (a NaN fails them all)
    for row in rows.tolist():
        _check_probabilities(row)


def binary_cross_entropy(pred: Numbers, target: Numbers, reduction: str = "mean") -> Value:
    """−[y log p + (1 − y) log(1 − p)] for probabilities p in (0, 1) and targets y in [0, 1].

    Targets are checked, numbers and ``Value``s alike (under ``autograd.compile`` on every call).
    """
    pairs = _pairs(pred, target)
    _check_data([y for _, y in pairs], _check_target, _check_target_rows)
    return _reduce([-(y * p.log() + (1 - y) * (1 - p).log()) for p, y in pairs], reduction)


def hinge_loss(scores: Numbers, labels: Numbers, reduction: str = "mean") -> Value:
    """The SVM max-margin loss Σ max(0, 1 − y·s) for labels y in {−1, +1}, as in micrograd's demo.

    Labels are checked, numbers and ``Value``s alike; under ``autograd.compile`` (where they
    are traced data) on every call, not only the traced one.
    """
    pairs = _pairs(scores, labels)
    _check_data([y for _, y in pairs], _check_label, _check_label_rows)
    return _reduce([autograd.linear([-y], [s], 1.0).relu() for s, y in pairs], reduction)  # 1 − y·s as one node


def _check_data(ys: list[Any], check_one: Callable[[Any], None], check_rows: Callable[[Any], None]) -> None:
    """Check a loss's targets or labels: numbers at once, traced ``Value``s on every compiled call."""
    traced = []
    for y in ys:
        if isinstance(y, Value) and y.requires_grad:
            traced.append(y)
        else:
            check_one(y.data if isinstance(y, Value) else y)
    if traced and not check_traced(traced, check_rows):
        for y in traced:
            check_one(y.data)


def _rows(ok: Callable[[Any], bool], check_one: Callable[[Any], None]) -> Callable[[Any], None]:
    """A compiled call's check: ``ok`` on the whole numpy array, ``check_one`` to name a wrong entry."""

    def check(rows: Any) -> None:
        if not ok(rows):
            for row in rows.tolist():
                for y in row:
                    check_one(y)

    return check


def _check_target(y: Any) -> None:
    if not 0.0 <= y <= 1.0:  # `not` also refuses NaN
        raise ValueError(f"binary cross-entropy targets must be in [0, 1], got {y!r}")


def _check_label(y: Any) -> None:
    if y not in (-1, 1):
        raise ValueError(f"hinge loss labels must be -1 or +1, got {y!r}")


# Made once, so that a compiled replay checks all of a call's targets in one array operation.
_check_target_rows = _rows(lambda rows: bool(((rows >= 0.0) & (rows <= 1.0)).all()), _check_target)
_check_label_rows = _rows(lambda rows: bool((abs(rows) == 1.0).all()), _check_label)


def l1_penalty(params: Sequence[Value]) -> Value:
    """Σ |p| over the parameters (L1 regularisation). No parameters is a ``ValueError``."""
    return autograd.sum([abs(p) for p in _penalised(params, "l1_penalty")])


def l2_penalty(params: Sequence[Value]) -> Value:
    """Σ p² over the parameters (L2 regularisation), as one dot-product node. No parameters is a ``ValueError``."""
    params = _penalised(params, "l2_penalty")
    return autograd.dot(params, params)


def _penalised(params: Sequence[Value], who: str) -> list[Value]:
    params = list(params)
    if not params:  # most likely an exhausted generator: model.parameters() is a list, but iter() is not
        raise ValueError(f"{who} needs at least one parameter, got none")
    return params


def one_hot(k: int, n: int) -> list[float]:
    """e(k): a list of n zeros with a 1 at index k (numpy integers are fine)."""
    n = whole_number("n", n)
    k = whole_number("class index", k, minimum=0)
    if not k < n:
        raise ValueError(f"class index must be in 0..{n - 1}, got {k!r}")
    return [1.0 if i == k else 0.0 for i in range(n)]
