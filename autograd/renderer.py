"""Finding a Graphviz program and running it: DOT text in, SVG or PNG bytes out.

The order: the program named by ``$CHAINRULE_DOT``; the system's ``dot`` on ``PATH``; the
``graphviz-pure`` program that ``pip install chainrule`` brings along (a self-contained
Graphviz port), found through its installed files so that it works in a virtualenv that
is not activated. The ``graphviz`` Python package cannot do this part: it always runs a
program called ``dot``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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
        candidates = [Path(dist.locate_file(f)) for f in dist.files or [] if f.name in names]
    except metadata.PackageNotFoundError:
        candidates = []
    candidates += [Path(sys.executable).parent / name for name in names]
    on_path = shutil.which("graphviz-pure")
    candidates += [Path(on_path)] if on_path else []
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return path.resolve()
    return None


def render(source: str, fmt: str = "svg") -> bytes:
    """Lay out DOT ``source`` and return the picture in ``fmt`` (``svg`` or ``png``).

    Raises:
        RenderError: the program exited non-zero (its stderr is in the message), even if
            it printed a picture; or it printed nothing.
        RendererNotFoundError: no program was found.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {fmt!r}")
    program = find_renderer()
    try:
        result = subprocess.run(
            [str(program), f"-T{fmt}"],
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
    return result.stdout
