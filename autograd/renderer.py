"""Finding a Graphviz program and running it: DOT text in, SVG or PNG bytes out.

The order: the program named by ``$CHAINRULE_DOT``; the system's ``dot`` on ``PATH``; the
``graphviz-pure`` program that ``pip install chainrule`` brings along (a self-contained
Graphviz port), found through its installed files so that it works in a virtualenv that
is not activated. The ``graphviz`` Python package cannot do this part: it always runs a
program called ``dot``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

ENV_VAR = "CHAINRULE_DOT"
FORMATS = ("svg", "png")
TIMEOUT_SECONDS = 120


class RendererNotFoundError(RuntimeError):
    """No Graphviz program could be found."""


class RenderError(RuntimeError):
    """The Graphviz program failed."""


def find_renderer() -> Path:
    """The Graphviz program to use (see the module docstring for the order)."""
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        path = Path(explicit).expanduser()
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise RendererNotFoundError(f"{ENV_VAR}={explicit!r} is not an executable file")
        return path
    system = shutil.which("dot")
    if system:
        return Path(system)
    embedded = _graphviz_pure()
    if embedded:
        return embedded
    raise RendererNotFoundError(
        "no Graphviz program found to draw with: `pip install graphviz-pure` (a dependency of "
        f"chainrule), or install Graphviz (`apt-get install graphviz`), or set {ENV_VAR} to a dot program"
    )


def _graphviz_pure() -> Path | None:
    names = {"graphviz-pure", "graphviz-pure.exe"}
    try:
        dist = metadata.distribution("graphviz-pure")
        candidates = [Path(str(dist.locate_file(f))) for f in dist.files or [] if f.name in names]
    except metadata.PackageNotFoundError:
        candidates = []
    candidates += [Path(sys.executable).parent / name for name in names]
    on_path = shutil.which("graphviz-pure")
    candidates += [Path(on_path)] if on_path else []
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return path.resolve()
    return None


def check_dpi(dpi: object) -> float:
    """``dpi`` if it is a sensible PNG resolution, else ``ValueError``."""
    if isinstance(dpi, bool) or not isinstance(dpi, (int, float)) or not 10 <= dpi <= 1200:
        raise ValueError(f"dpi must be a number between 10 and 1200, got {dpi!r}")
    return float(dpi)


def render(source: str, fmt: str = "svg", dpi: float | None = None) -> bytes:
    """Lay out DOT ``source`` and return the picture in ``fmt`` (``svg`` or ``png``).

    SVG comes back compacted (see :func:`compact_svg`). ``dpi`` sets a PNG's resolution
    (Graphviz's default is 96); it does not change an SVG, which scales without loss.

    Raises:
        RenderError: the program exited non-zero (its stderr is in the message), even if
            it printed a picture; or it printed nothing.
        RendererNotFoundError: no program was found.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {fmt!r}")
    arguments = [f"-T{fmt}"]
    if dpi is not None and fmt == "png":
        arguments.append(f"-Gdpi={check_dpi(dpi):g}")
    program = find_renderer()
    try:
        result = subprocess.run(
            [str(program), *arguments],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        raise RenderError(f"{program} took more than {TIMEOUT_SECONDS} s to lay out the graph") from None
    stderr = result.stderr.decode("utf-8", "replace").strip()
    if result.returncode != 0:
        raise RenderError(f"{program} exited with status {result.returncode}: {stderr or '(no message)'}")
    if not result.stdout:
        raise RenderError(f"{program} wrote no {fmt}: {stderr or '(no message)'}")
    if fmt == "svg":
        return compact_svg(result.stdout.decode("utf-8")).encode("utf-8")
    return result.stdout


_COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)
_GEOMETRY = re.compile(r'\b(points|d|x|y|cx|cy|rx|ry|width|height|viewBox|transform|font-size|stroke-width)="([^"]*)"')
_DECIMAL = re.compile(r"-?\d+\.\d+")
_TOOLTIP = re.compile(r'(<g id="a_[^"]*")><a xlink:title="([^"]*)">\n(.*?)</a>\n</g>', re.DOTALL)
_FONT = re.compile(r' (font-family="[^"]*" font-size="[^"]*")')
_GRAPH = '<g id="graph0" class="graph"'
_GRAPH_TITLE = re.compile(r'(<g id="graph0" class="graph"[^>]*>\n)<title>[^<]*</title>\n')
LARGE_SVG = 1_000_000  # bytes; beyond this, coordinates are whole points


def _rounded(places: int) -> Callable[[re.Match[str]], str]:
    def rounded(match: re.Match[str]) -> str:
        text = f"{float(match.group()):.{places}f}"
        text = text.rstrip("0").rstrip(".") if "." in text else text
        return "0" if text == "-0" else text

    return rounded


def compact_svg(svg: str) -> str:
    """Graphviz's SVG without what a drawing does not need, drawn the same.

    Comments go; coordinates keep one decimal (a tenth of a point), or none in a large
    drawing; the font every text shares is said once, on the graph's group; ``&#45;`` is
    written ``-``; a tooltip becomes a ``<title>`` (what browsers show on hover) instead of a
    link wrapper. A group's first ``<title>`` stays the DOT node's name, by which pages find it;
    the graph's own (its DOT name, which a browser would show over the background) goes.
    """
    svg = _COMMENT.sub("", svg).replace("&#45;", "-")
    tenths, rounded = _rounded(1), _rounded(0 if len(svg) > LARGE_SVG else 1)
    svg = _GEOMETRY.sub(
        lambda m: f'{m.group(1)}="{_DECIMAL.sub(tenths if m.group(1) == "font-size" else rounded, m.group(2))}"', svg
    )
    fonts = Counter(_FONT.findall(svg))
    if fonts and _GRAPH in svg:
        common = fonts.most_common(1)[0][0]
        svg = svg.replace(" " + common, "").replace(_GRAPH, f"{_GRAPH} {common}", 1)
    svg = _GRAPH_TITLE.sub(r"\1", svg, count=1)  # the DOT graph's name, shown on hovering the background
    return _TOOLTIP.sub(lambda m: f"{m.group(1)}>\n<title>{m.group(2)}</title>\n{m.group(3)}</g>", svg)
