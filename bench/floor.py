"""The floor: a plain Python writer of the full FCNN 784-512-256-10 (every node drawn), with no
library at all. Same nodes, edges and labels as `nnsvg fcnn 784 512 256 10 --max-nodes 0`, the
same coordinate formatting (two decimals, zeros stripped), one path per layer pair, and the
straightforward way of writing it: format both end points of every edge.

    python bench/floor.py out.svg
"""

import sys

SIZES = [784, 512, 256, 10]
DIAMETER, SPACING, GAP = 20.0, 160.0, 20.0


def fmt(value):
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def main(path):
    pitch = DIAMETER + GAP
    layers = []
    for i, n in enumerate(SIZES):
        x = i * (SPACING + DIAMETER)
        layers.append([(x, (j - (n - 1) / 2) * pitch) for j in range(n)])
    top = min(y for layer in layers for _, y in layer) - DIAMETER / 2 - 10
    bottom = max(y for layer in layers for _, y in layer) + DIAMETER / 2 + 40
    left, right = -70.0, layers[-1][0][0] + 70
    out = ['<?xml version="1.0" encoding="utf-8"?>\n',
           f'<svg xmlns="http://www.w3.org/2000/svg" width="{fmt(right - left)}px" '
           f'height="{fmt(bottom - top)}px" viewBox="{fmt(left)} {fmt(top)} {fmt(right - left)} '
           f'{fmt(bottom - top)}">\n',
           f'<rect fill="#ffffff" x="{fmt(left)}" y="{fmt(top)}" width="{fmt(right - left)}" '
           f'height="{fmt(bottom - top)}" />\n']
    for k, (a, b) in enumerate(zip(layers, layers[1:])):  # noqa: RUF007 - the floor uses no imports
        d = "".join(f"M{fmt(x1)},{fmt(y1)}L{fmt(x2)},{fmt(y2)}" for x1, y1 in a for x2, y2 in b)
        out.append(f'<g class="edges" id="edges-{k}-{k + 1}"><path d="{d}" fill="none" '
                   'stroke="#505050" stroke-width="0.5" /></g>\n')
    for i, layer in enumerate(layers):
        out.append(f'<g id="layer-{i}">')
        out.extend(f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="10" fill="#ffffff" stroke="#333333" '
                   'stroke-width="1" />\n' for x, y in layer)
        role = "Input" if i == 0 else "Output" if i == len(SIZES) - 1 else "Hidden"
        out.append(f'<text x="{fmt(layer[0][0])}" y="{fmt(bottom - 20)}" font-family="DejaVu Sans" '
                   f'font-size="12" text-anchor="middle">{role} Layer ∈ ℝ{SIZES[i]}</text></g>\n')
    out.append("</svg>\n")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
