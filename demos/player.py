"""The HTML player: one self-contained file that steps through a backward pass.

Every frame is an inline SVG of the graph after one chain-rule step, with the step's node,
parent and edge highlighted and the gradients filled in so far; a little plain JavaScript
switches frames (Prev / Next / Play, ← →, a slider). No network, no CDN: it opens from disk.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from autograd import Value, backward_steps, draw
from demos.narrate import Namer, equation, running_total

MAX_FRAMES = 400
MAX_NODES = 200


def frames(root: Value, fmt: str = ".4f") -> list[dict]:
    """One frame for the seed, then one per chain-rule step, in ``backward()``'s order."""
    name = Namer(root)
    if len(name.order) > MAX_NODES:
        raise ValueError(f"the graph has {len(name.order)} nodes; a player is legible up to {MAX_NODES}")
    root.zero_grad()
    root.grad = 1.0  # the seed, shown before the first step (backward_steps seeds it again)
    seed = f"Seed: ∂L/∂L = 1 at the output {name(root)}"
    shots = [_frame(root, fmt, [root], [], equation=seed, total="", node=name.ids[root], parent="")]
    for count, step in enumerate(backward_steps(root), start=1):
        if count > MAX_FRAMES:
            raise ValueError(f"more than {MAX_FRAMES} chain-rule steps: too many for a player")
        shots.append(
            _frame(
                root,
                fmt,
                [step.node, step.parent],
                [(step.node, step.index)],
                equation=equation(step, name, fmt),
                total=running_total(step, name, fmt),
                node=name.ids[step.node],
                parent=name.ids[step.parent],
            )
        )
    return shots


def _frame(root: Value, fmt: str, nodes: list, edges: list, **text: str) -> dict:
    """The graph as it is now, with ``nodes`` and ``edges`` highlighted, plus the frame's text."""
    drawing = draw(root, number_format=fmt, highlight_nodes=nodes, highlight_edges=edges, edge_labels="local")
    return {"svg": drawing.svg(), **text}


def write_player(root: Value, path: str | Path, title: str = "Backpropagation, step by step") -> Path:
    """Write the player for ``root``'s graph to ``path`` and return the path."""
    data = json.dumps(frames(root), ensure_ascii=False).replace("</", "<\\/")
    page = TEMPLATE.replace("{{TITLE}}", html.escape(title)).replace("{{FRAMES}}", data)
    path = Path(path)
    path.write_text(page, encoding="utf-8")
    return path


TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{TITLE}}</title>
<style>
  body { font-family: Helvetica, Arial, sans-serif; margin: 1.5em; color: #222; }
  #controls { display: flex; gap: .5em; align-items: center; margin: .8em 0; }
  button { font-size: 1em; padding: .3em .9em; }
  #slider { flex: 1; max-width: 30em; }
  #equation { font-size: 1.25em; font-family: "DejaVu Sans Mono", Menlo, monospace; min-height: 1.5em; }
  #total { color: #555; font-family: "DejaVu Sans Mono", Menlo, monospace; min-height: 1.3em; }
  #graph svg { max-width: 100%; height: auto; }
</style>
</head>
<body>
<h1>{{TITLE}}</h1>
<p>Each step applies the chain rule along one edge: the parent's gradient grows by the
edge's local derivative times the gradient arriving from above. Keys: &larr; &rarr;.</p>
<div id="controls">
  <button id="prev" type="button">&larr; Prev</button>
  <button id="play" type="button">Play</button>
  <button id="next" type="button">Next &rarr;</button>
  <input id="slider" type="range" min="0" value="0" aria-label="step">
  <span id="counter"></span>
</div>
<div id="equation"></div>
<div id="total"></div>
<div id="graph"></div>
<script>
"use strict";
const frames = {{FRAMES}};
let current = 0;
let timer = null;
const $ = (id) => document.getElementById(id);
const slider = $("slider");
slider.max = String(frames.length - 1);

function show(i) {
  current = Math.max(0, Math.min(frames.length - 1, i));
  const frame = frames[current];
  $("graph").innerHTML = frame.svg;
  $("graph").dataset.node = frame.node;
  $("graph").dataset.parent = frame.parent;
  $("equation").textContent = frame.equation;
  $("total").textContent = frame.total;
  $("counter").textContent = "step " + current + " of " + (frames.length - 1);
  slider.value = String(current);
  if (current === frames.length - 1) { stop(); }
}
function stop() {
  if (timer !== null) { clearInterval(timer); timer = null; }
  $("play").textContent = "Play";
}
function play() {
  if (timer !== null) { stop(); return; }
  if (current === frames.length - 1) { show(0); }
  $("play").textContent = "Pause";
  timer = setInterval(() => show(current + 1), 1200);
}
$("prev").addEventListener("click", () => { stop(); show(current - 1); });
$("next").addEventListener("click", () => { stop(); show(current + 1); });
$("play").addEventListener("click", play);
slider.addEventListener("input", () => { stop(); show(Number(slider.value)); });
document.addEventListener("keydown", (event) => {
  if (event.target === slider) { return; }  // the slider moves itself with the arrow keys
  if (event.key === "ArrowRight") { stop(); show(current + 1); }
  if (event.key === "ArrowLeft") { stop(); show(current - 1); }
});
show(0);
</script>
</body>
</html>
"""
