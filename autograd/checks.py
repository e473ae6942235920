"""Argument checks shared by every public function: a TypeError or ValueError that names the argument.

One copy for the engine, the drawings, the player and ``nn`` (which re-exports them), so the
same argument is accepted or refused alike everywhere (numpy integers count as whole numbers).
"""

from __future__ import annotations

import math
import numbers


def whole_number(name: str, value: object, minimum: int = 1, maximum: int | None = None) -> int:
    """``value`` as an ``int``, if it is a whole number from ``minimum`` to ``maximum`` (if given).

    Any ``numbers.Integral`` counts, numpy's integers (``np.int64(3)``) included; ``bool`` does
    not, and neither does a float such as ``2.0``. The messages name the argument.

    Raises:
        TypeError: if ``value`` is not a number at all (a str, None, a list, a bool).
        ValueError: if it is a number but not a whole one, or it is out of range.
    """
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        n = int(value)
        if n >= minimum and (maximum is None or n <= maximum):
            return n
    if maximum is not None:
        wanted = f"a whole number from {minimum} to {maximum}"
    else:
        wanted = "a positive whole number" if minimum == 1 else f"a whole number >= {minimum}"
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        raise TypeError(f"{name} must be {wanted}, got {type(value).__name__} {value!r:.60}")
    raise ValueError(f"{name} must be {wanted}, got {value!r}")


def non_negative(name: str, value: object) -> float:
    """``value`` as a float that is finite and >= 0 (a hyper-parameter, a noise level ...).

    Raises:
        TypeError: if ``value`` is not a real number (a str, None, a bool, a complex).
        ValueError: if it is negative, NaN or infinite.
    """
    x = _real(name, value)
    if not (x >= 0.0 and math.isfinite(x)):  # NaN fails >= 0 too
        raise ValueError(f"{name} must be >= 0 and finite, got {value!r:.60}")
    return x


def positive(name: str, value: object) -> float:
    """``value`` as a float that is finite and > 0 (a decay factor, Adam's eps).

    Raises:
        TypeError: if ``value`` is not a real number.
        ValueError: if it is 0, negative, NaN or infinite.
    """
    x = _real(name, value)
    if not (x > 0.0 and math.isfinite(x)):
        raise ValueError(f"{name} must be > 0 and finite, got {value!r:.60}")
    return x


def _real(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    try:
        return float(value)
    except OverflowError:  # an int beyond ±1.8e308
        return math.inf


def flag(name: str, value: object) -> bool:
    """``value`` if it is ``True`` or ``False``, else a ``TypeError`` naming the argument."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__}: {value!r:.60}")
    return value
