"""How every surface writes a number: significant digits, so shown products multiply out.

Fixed decimals turn 0.001325 into 0.0013 and make ``2.0000 × 0.0013 = 0.0027`` look wrong;
significant digits keep the same relative precision at every scale.
"""

from __future__ import annotations

import math

DIGITS = 4


def format_number(x: float, digits: int = DIGITS) -> str:
    """``x`` to ``digits`` significant digits: ``0.001325``, ``-3``, ``1.5e+06``, ``nan``, ``inf``.

    Args:
        x: the number.
        digits: significant digits (at least 1).
    """
    if digits < 1:
        raise ValueError(f"digits must be at least 1, got {digits!r}")
    if not math.isfinite(x):
        return str(x)
    text = f"{x:.{digits}g}"
    return "0" if text == "-0" else text
