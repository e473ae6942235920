"""Switching graph recording off, for evaluation: ``with no_grad(): ...``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

# Read by the node factory on every op; a module global keeps that read cheap.
# Like the rest of the engine it is not thread-safe: use one graph per thread.
enabled = True


@contextmanager
def no_grad() -> Iterator[None]:
    """Inside this block ops compute values but record no parents.

    The nodes made inside are leaves (``op == ""``, no parents), so nothing is kept alive
    for a backward pass that will never come. Blocks nest; the previous mode returns on exit.

    Example:
        >>> from autograd import Value, no_grad
        >>> x = Value(3.0)
        >>> with no_grad():
        ...     y = x * x
        >>> y.data, y.parents
        (9.0, ())
    """
    global enabled
    previous, enabled = enabled, False
    try:
        yield
    finally:
        enabled = previous
