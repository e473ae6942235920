"""An MLP drawn as a network: inputs, one circle per neuron, one arrow per weight.

The scalar graph of even a small network has thousands of nodes; this picture has one
node per unit. Arrow colour is the weight's sign (blue +, red −), thickness its size.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from autograd.dot import check_size, quoted

if TYPE_CHECKING:
    from nn.layers import Layer

MAX_UNITS = 500
WEIGHT_LABELS_UP_TO = 40  # more labelled arrows than this are unreadable


def network_dot(
    nin: int,
    layers: list[Layer],
    output: str,
    *,
    rankdir: str = "LR",
    number_format: str = ".2f",
    weight_labels: bool | None = None,
    max_nodes: int = MAX_UNITS,
) -> str:
    """The DOT text of a stack of layers as a network diagram.

    Args:
        nin: the number of inputs.
        layers: the layers, first to last.
        output: the name shown for the last layer's function (an MLP's output function).
        rankdir: ``LR`` or ``TB``.
        number_format: format spec for weights and biases.
        weight_labels: write each weight on its arrow; by default only for small networks.
        max_nodes: refuse networks with more units than this.
    """
    units = nin + sum(layer.nout for layer in layers)
    check_size(units, max_nodes, hint="draw(model, max_nodes=N)")
    n_weights = sum(len(n.w) for layer in layers for n in layer.neurons)
    if weight_labels is None:
        weight_labels = n_weights <= WEIGHT_LABELS_UP_TO
    biggest = max((abs(w.data) for layer in layers for n in layer.neurons for w in n.w), default=1.0) or 1.0

    lines = [
        "digraph network {",
        f"  rankdir={rankdir};",
        '  splines=line; ranksep=1.4; nodesep=0.15; fontname="Helvetica";',
        '  node [shape=circle, fontname="Helvetica", fontsize=11, width=0.6, fixedsize=false];',
        '  edge [fontname="Helvetica", fontsize=9, arrowsize=0.5];',
        '  subgraph cluster_in { label="input"; color="#bbbbbb";',
    ]
    lines += [f"    x{i} [label={quoted(f'x[{i}]')}];" for i in range(nin)]
    lines.append("  }")
    previous = [f"x{i}" for i in range(nin)]
    last = len(layers)
    for k, layer in enumerate(layers, start=1):
        g = output if k == last else layer.activation
        lines.append(f'  subgraph cluster_{k} {{ label={quoted(f"layer {k}: {g}")}; color="#bbbbbb";')
        ids = [f"u{k}_{j}" for j in range(layer.nout)]
        for j, (uid, neuron) in enumerate(zip(ids, layer.neurons)):
            name = f"ŷ[{j}]" if k == last else f"h{k}[{j}]"
            text = name + "\n" + f"b={format(neuron.b.data, number_format)}"
            lines.append(f"    {uid} [label={quoted(text)}];")
        lines.append("  }")
        for uid, neuron in zip(ids, layer.neurons):
            for src, w in zip(previous, neuron.w):
                colour = "#1f77b4" if w.data >= 0 else "#d62728"
                width = 0.4 + 2.6 * abs(w.data) / biggest
                label = f", label={quoted(format(w.data, number_format))}" if weight_labels else ""
                lines.append(f'  {src} -> {uid} [color="{colour}", penwidth={width:.2f}{label}];')
        previous = ids
    lines.append("}")
    return "\n".join(lines) + "\n"
