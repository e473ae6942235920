"""How long drawing takes: DOT text to SVG for a set of graph shapes, with each Graphviz program.

Every graph up to ``max_nodes`` must render in a few seconds. The shapes are the ones that
used to hang network simplex (issue 9): a wide fan-out, the 100-term sum ``x + x + … + x``,
an MLP loss over 20 samples, a deep chain, and a random DAG near the node limit.

    python benchmarks/render.py                          # every program found
    python benchmarks/render.py --edge-labels            # the same with labelled edges
    python benchmarks/render.py --unbounded --timeout 60 # also dot without limits, as before

Prints, per shape: values and edges in the graph, the layout chosen (Graphviz's ``dot`` with
bounded network simplex, or chainrule's ``fast`` layered layout drawn by Graphviz), the SVG's
size, and seconds per program (``graphviz-pure``, and the system ``dot`` when there is one).
A render that takes longer than ``--timeout`` prints as ``>N s``.

Recorded on the 2-core development machine, shared with other jobs (graphviz-pure 0.2.2,
Debian's dot 2.43; ``to_dot`` is the Python side, the program columns the rendering):

    shape                          values  edges layout  to_dot  graphviz-pure  system dot   before: pure    dot
    wide fan-out (300)                902   1200   fast  0.04 s         0.14 s      0.07 s         0.15 s  0.20 s
    100-term sum x+…+x                100    198    dot  0.00 s         0.26 s      1.08 s          >30 s   >30 s
    MLP 2-16-16-1 loss, 20 samples   1740  13542   fast  0.25 s         0.67 s      0.44 s        16.05 s   >30 s
    deep chain (380 tanh)            1901   1900   fast  0.06 s         0.20 s      0.11 s         0.17 s  0.29 s
    random DAG near the limit        1900   3770   fast  1.07 s         0.56 s      0.41 s          >30 s   >30 s

With ``--edge-labels`` every shape stays under 1.5 s per step (the MLP's SVG is 9.6 MB then).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import time
from collections.abc import Callable

import autograd
import nn
from autograd import Value, renderer, topological_order
from autograd.dot import MAX_NODES, to_dot


def wide_fan_out(n: int = 300) -> Value:
    """One input feeding ``n`` units: ``Σ tanh(x · k/n)``."""
    x = Value(0.5, label="x")
    return autograd.sum([(x * (k / n)).tanh() for k in range(1, n + 1)])


def hundred_term_sum(n: int = 100) -> Value:
    """``x + x + … + x``: a chain of binary ``+`` nodes all fed by the same leaf."""
    x = Value(1.0, label="x")
    total = x
    for _ in range(n - 1):
        total = total + x
    return total


def mlp_loss(samples: int = 20) -> Value:
    """Mean squared error of a 2-16-16-1 MLP over ``samples`` moons (issue 9: 25-52 s, 8 MB)."""
    model = nn.MLP(2, [16, 16, 1], seed=0)
    X, y = nn.make_moons(samples, noise=0.1, seed=0)
    return nn.mse_loss([model(x)[0] for x in X], [float(t) for t in y])


def deep_chain(depth: int = 380) -> Value:
    """``x = tanh(0.9 x + 0.1)`` ``depth`` times."""
    x = Value(0.3, label="x")
    for _ in range(depth):
        x = (x * 0.9 + 0.1).tanh()
    return x


def random_dag(values: int = 1900, seed: int = 0) -> Value:
    """Random ``+``, ``*`` and ``tanh`` over earlier nodes (one input recent, one anywhere), and
    every node nothing uses summed at the end: ``values`` nodes, all of them drawn."""
    rng = random.Random(seed)
    nodes = [Value(rng.uniform(-1, 1), label=f"x{i}") for i in range(20)]
    used: set[Value] = set()
    while len(nodes) < values - 1:
        a, b = rng.choice(nodes[-60:]), rng.choice(nodes)
        kind = rng.random()
        node = a + b if kind < 0.4 else a * b if kind < 0.8 else a.tanh()
        used.update(node.parents)
        nodes.append(node)
    return autograd.sum([node for node in nodes if node not in used])


WIDTH = 25  # characters per program column

SHAPES: dict[str, Callable[[], Value]] = {
    "wide fan-out (300)": wide_fan_out,
    "100-term sum x+…+x": hundred_term_sum,
    "MLP 2-16-16-1 loss, 20 samples": mlp_loss,
    "deep chain (380 tanh)": deep_chain,
    "random DAG near the limit": random_dag,
}


def programs() -> dict[str, str]:
    found = {}
    pure = renderer._graphviz_pure()
    if pure:
        found["graphviz-pure"] = str(pure)
    system = shutil.which("dot")
    if system:
        found["system dot"] = system
    return found


def time_render(program: str, source: str, timeout: float) -> tuple[float | None, int]:
    """Seconds to render ``source`` to SVG and the SVG's size; ``None`` after ``timeout``."""
    t0 = time.perf_counter()
    try:
        result = subprocess.run([program, "-Tsvg"], input=source.encode(), capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, 0
    seconds = time.perf_counter() - t0
    if result.returncode != 0:
        raise RuntimeError(f"{program} failed: {result.stderr.decode(errors='replace')[:300]}")
    return seconds, len(renderer.compact_svg(result.stdout.decode()).encode())


def unbounded(root: Value, **options: object) -> str:
    """The DOT as drawing wrote it before issue 9: Graphviz's dot layout, no iteration limits."""
    source = to_dot(root, layout="dot", **options)  # type: ignore[arg-type]
    return re.sub(r"^\s*nslimit=[^\n]*\n", "", source, flags=re.M)


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--timeout", type=float, default=60.0, help="give up on a render after this many seconds")
    args.add_argument("--unbounded", action="store_true", help="also time dot without limits (as before)")
    args.add_argument("--edge-labels", action="store_true", help="draw with edge labels (harder for dot)")
    options = args.parse_args()
    found = programs()
    columns = list(found) + ([f"{name} unbounded" for name in found] if options.unbounded else [])
    print(
        f"{'shape':30s}{'values':>7s}{'edges':>7s}{'layout':>7s}{'to_dot':>8s}{'SVG kB':>8s}"
        + "".join(f"{c:>{WIDTH}s}" for c in columns)
    )
    for title, build in SHAPES.items():
        root = build()
        root.backward()
        order = topological_order(root)
        edges = sum(len(node.parents) for node in order)
        drawing = {"max_nodes": max(MAX_NODES, len(order)), "edge_labels": options.edge_labels}
        t0 = time.perf_counter()
        sources = [to_dot(root, **drawing)] * len(found)  # type: ignore[arg-type]
        python = time.perf_counter() - t0
        if options.unbounded:
            sources += [unbounded(root, **drawing)] * len(found)
        cells, svg_size = [], 0
        for source, program in zip(sources, list(found.values()) * 2):
            seconds, size = time_render(program, source, options.timeout)
            svg_size = svg_size or size
            cells.append(f">{options.timeout:.0f} s" if seconds is None else f"{seconds:.2f} s")
        layout = "fast" if "layout=nop2" in sources[0] else "dot"
        print(
            f"{title:30s}{len(order):7d}{edges:7d}{layout:>7s}{python:6.2f} s{svg_size / 1e3:8.1f}"
            + "".join(f"{c:>{WIDTH}s}" for c in cells),
            flush=True,
        )


if __name__ == "__main__":
    main()
