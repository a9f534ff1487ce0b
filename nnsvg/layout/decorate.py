"""The shared decoration pass of the chain styles (fcnn, lenet, alexnet): a style places and
draws its layers, then hands ``decorate`` a ``Placement`` — what it placed — and the pass adds
what every style draws the same way: the skip connections with their merge marks (⊕ ‖ ⊗),
the frames of the graph's blocks with their ×N, and their legend entries. One implementation
for every style: a fix to a skip, a frame or its label is made once.

``Placement`` (frozen) is the description a style hands over, per layer in layer order:

- ``ports``: where connections attach (``skips.Port``: the top a leg lands on, the sides a
  straight arrow leaves and enters);
- ``shapes``: its drawn shape alone (a frame stops half-way between these);
- ``obstacles``: what a straight arrow between two layers must see past (the layers and the
  lines drawn so far); ``None`` when the style draws arcs only;
- ``flip``: the network flows down the page, so the arcs are planned and routed with x and y
  swapped and the frame labels stand beside their frames.

The pass, in order:

1. plan the arcs over the ports (``skips.plan``: which connections, where their legs stand,
   which are straight); the plan's notes join the scene's;
2. the style's captions (``caption(plan)``: its own ``Captioner``), placed clear of the plan's
   legs and straight arrows; it returns ``Captioned``, each layer's box with its captions (its
   label anchors, what a frame encloses) and the labels that sit in the gaps between layers;
3. frames round the graph's groups (``frames.frames``) and the texts they cross moved clear
   (``frames.keep_clear``);
4. the arcs routed above everything drawn (``arcs.route``), their symbols and legend entries
   recorded (``arcs.recorded``).

The legend itself is laid out after the whole figure (``legend.place``, which
``renderers.render`` calls for every style).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..geometry import BBox
from ..graph import Graph
from ..scene import Scene
from ..theme import Theme
from . import arcs, frames, skips
from .skips import Obstacles, Plan, Port


@dataclass(frozen=True)
class Placement:
    """What a chain style placed, per layer in layer order (see the module's docstring)."""

    ports: tuple[Port, ...]
    shapes: tuple[BBox | None, ...]
    obstacles: Obstacles | None = None
    flip: bool = False


@dataclass(frozen=True)
class Captioned:
    """The style's captions as the frames see them: ``boxes[i]`` layer i with its captions;
    ``between``: (i, box) of a label in the gap after layer i (an op label)."""

    boxes: tuple[BBox | None, ...]
    between: tuple[tuple[int, BBox], ...] = ()


Captioner = Callable[[Plan], Captioned]


def decorate(scene: Scene, graph: Graph, placed: Placement, theme: Theme, caption: Captioner) -> None:
    """Add the skips, merge marks and frames of ``graph`` to ``scene``, around the style's own
    captions (``caption``, called once with the arcs' plan)."""
    planned = skips.plan(graph, placed.ports, theme, placed.obstacles)
    scene.notes.extend(planned.notes)
    if placed.flip:  # the landings on the page
        planned.landings = [(i, BBox(b.y0, b.x0, b.y1, b.x1)) for i, b in planned.landings]
    captioned = caption(planned)
    if graph.groups:
        framed = frames.frames(graph.groups, captioned.boxes, theme, captioned.between, beside=placed.flip,
                               plan=planned, shapes=placed.shapes,
                               obstacles=skips.scene_obstacles(scene, planned, placed.flip))
        frames.keep_clear(scene, framed, planned.wall_boxes(placed.flip))
        scene.groups.append(framed)
    if planned.arcs:
        seen = Obstacles()
        seen.add_items(scene.walk())
        routed = arcs.route(planned, placed.ports, seen.flipped() if placed.flip else seen, theme, placed.flip)
        scene.groups.append(arcs.recorded(scene, routed, theme))
