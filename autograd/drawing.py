"""`draw()`: a graph (or anything that can describe itself in DOT) as a picture object."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from autograd.dot import to_dot
from autograd.value import Value


class Drawing:
    """A picture of a graph: DOT text that renders to SVG or PNG on demand.

    In Jupyter it shows inline as SVG. ``source`` is the DOT text; ``dpi`` the resolution
    of :meth:`png` (Graphviz's default, 96, when ``None``).
    """

    def __init__(self, source: str, dpi: float | None = None) -> None:
        if dpi is not None:
            from autograd.renderer import check_dpi  # deferred, as in _render

            check_dpi(dpi)
        self.source = source
        self.dpi = dpi
        self._svg: str | None = None

    def svg(self) -> str:
        """The picture as SVG text (rendered once, then kept)."""
        if self._svg is None:
            self._svg = _render(self.source, "svg").decode("utf-8")
        return self._svg

    def png(self, dpi: float | None = None) -> bytes:
        """The picture as PNG bytes, at ``dpi`` (or the drawing's own ``dpi``)."""
        return _render(self.source, "png", self.dpi if dpi is None else dpi)

    def save(self, path: str | Path, dpi: float | None = None) -> Path:
        """Write the picture; the extension picks the format: ``.svg``, ``.png``, or ``.dot``/``.gv``.

        ``dpi`` is a PNG's resolution: 192 makes a 1280-pixel-wide graph 2560 pixels wide. An
        SVG file is made :func:`scalable`: opened in a browser, a wide graph shrinks to the
        window instead of being cut off.
        """
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".svg":
            path.write_text(scalable(self.svg()), encoding="utf-8")
        elif suffix == ".png":
            path.write_bytes(self.png(dpi))
        elif suffix in (".dot", ".gv"):
            path.write_text(self.source, encoding="utf-8")
        else:
            raise ValueError(f"cannot tell the format from {path.name!r}: use .svg, .png, .dot or .gv")
        return path

    def to_graphviz(self) -> Any:
        """The same DOT as a ``graphviz.Source``, for those who know that library's API.

        Note that ``graphviz`` renders with a program called ``dot`` on ``PATH``; chainrule's
        own :meth:`svg` and :meth:`save` also work without one.
        """
        import graphviz  # deferred: only this method needs it

        return graphviz.Source(self.source)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"image/svg+xml": self.svg(), "text/plain": repr(self)}

    def __repr__(self) -> str:
        return f"<Drawing: {len(self.source.splitlines())} lines of DOT; .svg(), .save(path), .source>"


_SVG_TAG = re.compile(r"<svg\b[^>]*>")


def scalable(svg: str) -> str:
    """``svg`` made to shrink to its window (or page column) and never grow past its natural size.

    The root ``<svg>`` keeps its width, height (in points) and viewBox, and gets
    ``style="max-width: 100%; height: auto"``: a browser that opens the file shows a graph
    wider than the window scaled to fit, with its proportions, and a small graph as it is.
    Only files get this: :meth:`Drawing.svg` (what pages and notebooks embed, and size
    themselves) is unchanged.
    """
    found = _SVG_TAG.search(svg)
    if not found or " style=" in found.group():
        return svg
    tag = found.group()
    styled = (
        tag[:-1].rstrip("/").rstrip() + ' style="max-width: 100%; height: auto"' + ("/>" if tag.endswith("/>") else ">")
    )
    return svg[: found.start()] + styled + svg[found.end() :]


def _render(source: str, fmt: str, dpi: float | None = None) -> bytes:
    from autograd import renderer  # deferred: subprocess and importlib.metadata are not needed to import

    return renderer.render(source, fmt, dpi)


def draw(subject: Any, **options: Any) -> Drawing:
    """Draw a computation graph, or a network (anything with a ``to_dot(**options)`` method).

    Args:
        subject: a ``Value`` (its whole graph is drawn) or an object such as ``nn.MLP``
            that describes itself with ``to_dot``.
        **options: for a ``Value``, those of :func:`autograd.dot.to_dot`: ``show_grad``,
            ``digits``, ``number_format``, ``rankdir``, ``highlight_nodes``,
            ``highlight_edges``, ``edge_labels``, ``max_nodes``, ``layout``, ``note``,
            ``caption``, and for
            slides ``fontsize``, ``size`` (inches), ``theme`` (``"light"``/``"dark"``); for a
            network, those of :func:`nn.diagram.network_dot` (the same names, where they mean
            something for a network, plus ``legend``). Every subject also takes ``dpi``, the
            resolution of :meth:`Drawing.png` and of ``save("….png")``.

    Slides: with ``size`` and no ``rankdir``, a graph is drawn left to right unless that would
    shrink its text below 7.5 points on the page (10 pixels on a 1280-pixel slide) and top to
    bottom shrinks it less: a loss such as binary cross-entropy, a long chain, comes out top
    to bottom, readable, where left to right it was a strip with a 6-pixel font. A ``rankdir``
    you give is kept, with a ``UserWarning`` when its text would be that small. ``caption``
    writes a line over the picture (a legend). Saved as ``.svg``, a drawing shrinks to the
    browser window it is opened in (see :func:`scalable`); every node and edge says what it
    is on hover.

    Example:
        >>> from autograd import Value, draw
        >>> L = (Value(2.0, label="a") * Value(-3.0, label="b")).tanh()
        >>> draw(L).source.splitlines()[0]
        'digraph chainrule {'
    """
    dpi = options.pop("dpi", None)
    if isinstance(subject, Value):
        return Drawing(to_dot(subject, **options), dpi)
    for kind in type(subject).__mro__:
        if kind in DRAWERS:
            return Drawing(DRAWERS[kind](subject, **options), dpi)
    if callable(getattr(subject, "to_dot", None)):
        return Drawing(subject.to_dot(**options), dpi)
    raise TypeError(
        f"draw() takes a Value, a model whose package registered a drawer (import nn), or an object with a"
        f" to_dot() method; got {type(subject).__name__}"
    )


# How to draw things that are not graphs: nn registers its models here, so that models do not
# know how they are drawn and this module does not import nn.
DRAWERS: dict[type, Callable[..., str]] = {}


def register_drawer(kind: type, to_dot: Callable[..., str]) -> None:
    """Make ``draw(x)`` call ``to_dot(x, **options)`` for instances of ``kind`` (and its subclasses)."""
    DRAWERS[kind] = to_dot
