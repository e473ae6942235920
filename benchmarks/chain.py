"""Cost per node of a very deep chain against a shallow one: the backward pass must scale linearly.

Builds ``x = x * 1.0000001`` N deep, back-propagates, frees it, and prints the time per
node for N = 10,000 and N = 1,000,000 and their ratio (target: at most 2x).

    python benchmarks/chain.py
"""

from __future__ import annotations

import gc
import time

from autograd import Value


def per_node_seconds(depth: int) -> dict[str, float]:
    gc.collect()
    t0 = time.perf_counter()
    x = leaf = Value(1.0)
    for _ in range(depth):
        x = x * 1.0000001
    t1 = time.perf_counter()
    x.backward()
    t2 = time.perf_counter()
    del x
    t3 = time.perf_counter()
    assert leaf.grad > 0
    return {"build": (t1 - t0) / depth, "backward": (t2 - t1) / depth, "free": (t3 - t2) / depth}


def main() -> None:
    shallow = min((per_node_seconds(10_000) for _ in range(5)), key=lambda r: sum(r.values()))
    deep = per_node_seconds(1_000_000)
    print(f"{'µs per node':14s}{'10,000 deep':>14s}{'1,000,000 deep':>16s}{'ratio':>8s}")
    for key in ("build", "backward", "free"):
        print(f"{key:14s}{shallow[key] * 1e6:14.3f}{deep[key] * 1e6:16.3f}{deep[key] / shallow[key]:7.2f}x")
    total = sum(deep.values()) / sum(shallow.values())
    print(f"{'all':14s}{sum(shallow.values()) * 1e6:14.3f}{sum(deep.values()) * 1e6:16.3f}{total:7.2f}x")


if __name__ == "__main__":
    main()
