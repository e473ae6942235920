"""Modes the node factory reads on every op: recording the graph, and checking for anomalies."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

# Module globals keep the per-op read cheap: the factory tests `plain` alone on its fast path.
# Like the rest of the engine they are not thread-safe: use one graph per thread.
enabled = True
anomaly = False
plain = True


def _update() -> None:
    global plain
    plain = enabled and not anomaly


@contextmanager
def _switched(mode: str, on: bool) -> Iterator[None]:
    """Set the module global ``mode`` for the block; the previous setting returns on exit (blocks nest)."""
    previous = globals()[mode]
    globals()[mode] = on
    _update()
    try:
        yield
    finally:
        globals()[mode] = previous
        _update()


def no_grad() -> AbstractContextManager[None]:
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
    return _switched("enabled", False)


def enable_grad() -> AbstractContextManager[None]:
    """Record the graph again inside a ``no_grad()`` block (as ``torch.enable_grad``)."""
    return _switched("enabled", True)


def detect_anomaly() -> AbstractContextManager[None]:
    """Inside this block the first non-finite number raises ``FloatingPointError``.

    Outside it the engine follows IEEE as PyTorch does (``exp(1000)`` is ``inf``). Inside it,
    an op whose value is ``inf`` or ``nan`` raises, naming the op and its inputs, and so does
    a backward step whose contribution is not finite, naming the node and the parent.

    Example:
        >>> from autograd import Value, detect_anomaly
        >>> with detect_anomaly():
        ...     Value(1000.0).exp()
        Traceback (most recent call last):
        FloatingPointError: detect_anomaly: exp(1000.0) gave inf, the first non-finite value
    """
    return _switched("anomaly", True)
