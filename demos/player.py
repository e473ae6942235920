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


def frames(root: Value, fmt: str = ".4f") -> list[dict]:
    """One frame for the seed, then one per chain-rule step, in ``backward()``'s order."""
    name = Namer(root)
    if len(name.order) > 200:
        raise ValueError(f"the graph has {len(name.order)} nodes; a player is legible up to 200")
    root.zero_grad()
    root.grad = 1.0
    shots = [_frame(root, f"Seed: ∂L/∂L = 1 at the output {name(root)}", "", root, None, fmt)]
    for i, step in enumerate(backward_steps(root), start=1):
        if i >= MAX_FRAMES:
            raise ValueError(f"more than {MAX_FRAMES} chain-rule steps: too many for a player")
        shots.append(
            _frame(root, equation(step, name, fmt), running_total(step, name, fmt), step.node, step, fmt)
        )
        shots[-1]["node"], shots[-1]["parent"] = name.ids[step.node], name.ids[step.parent]
    shots[0]["node"], shots[0]["parent"] = name.ids[root], ""
    return shots


def _frame(root: Value, text: str, total: str, node: Value, step, fmt: str) -> dict:
    nodes = [node] if step is None else [node, step.parent]
    edges = [] if step is None else [(step.node, step.index)]
    drawing = draw(root, number_format=fmt, highlight_nodes=nodes, highlight_edges=edges, edge_labels="local")
    return {"svg": drawing.svg(), "equation": text, "total": total}


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
