"""The shared decoration pass (``nnsvg.layout.decorate``) on a placement of plain boxes, with no
style behind it: what a chain style hands over is enough to draw its skips, merge marks and
frames, and the style's captions are asked for once, with the plan."""

from __future__ import annotations

import dataclasses

import pytest

from nnsvg.geometry import BBox
from nnsvg.graph import Connection, Graph, Group, Node
from nnsvg.layout import skips
from nnsvg.layout.decorate import Captioned, Placement, decorate
from nnsvg.scene import Group as SceneGroup
from nnsvg.scene import Rect, Scene
from nnsvg.theme import Theme

BOXES = [BBox(60.0 * i, 0.0, 60.0 * i + 30.0, 40.0) for i in range(4)]


def port(box: BBox) -> skips.Port:
    return skips.Port(box.x0, box.x1, lambda x: box.y0, box.x0, (box.y0, box.y1), box.x1, (box.y0, box.y1))


def scene_of(boxes: list[BBox]) -> Scene:
    scene = Scene("test", "#ffffff", 4.0)
    for i, b in enumerate(boxes):
        scene.groups.append(SceneGroup(f"layer-{i}", "layer", [Rect(b.x0, b.y0, b.width, b.height, "#eeeeee",
                                                                    "#000000", 1.0)]))
    return scene


def graph(connections: tuple[Connection, ...] = (), groups: tuple[Group, ...] = ()) -> Graph:
    chain = Graph.chain(len(BOXES))
    return Graph(chain.nodes, chain.connections + connections, groups)


def test_placement_is_a_frozen_description() -> None:
    placement = Placement(tuple(port(b) for b in BOXES), tuple(BOXES))
    with pytest.raises(dataclasses.FrozenInstanceError):
        placement.flip = True  # type: ignore[misc]
    assert placement.obstacles is None and not placement.flip


def test_skips_frames_and_legend_entries_from_a_placement_alone() -> None:
    scene = scene_of(BOXES)
    plans: list[skips.Plan] = []

    def caption(plan: skips.Plan) -> Captioned:
        plans.append(plan)
        return Captioned(tuple(BOXES))

    g = graph((Connection(0, 2, "add"), Connection(1, 3, "concat")), (Group(1, 2, "Block", 3),))
    decorate(scene, g, Placement(tuple(port(b) for b in BOXES), tuple(BOXES)), Theme(), caption)
    assert len(plans) == 1 and len(plans[0].arcs) == 2 and plans[0].walls  # asked once, with the legs
    ids = [group.id for group in scene.groups]
    assert ids[-2:] == ["blocks", "skips"]
    frames = scene.groups[-2]
    assert [f.id for f in frames.children if isinstance(f, SceneGroup)] == ["block-1-2"]
    texts = [t.text for t in frames.walk() if hasattr(t, "text")]
    assert texts == ["Block ×3"]
    assert {e.key for e in scene.legend} == {"connection.add", "connection.concat"}
    assert scene.notes == ["connections 0→2 and 1→3 interleave, so their arcs cross"]


def test_nothing_to_decorate_still_asks_for_the_captions() -> None:
    scene = scene_of(BOXES)
    asked: list[skips.Plan] = []

    def caption(plan: skips.Plan) -> Captioned:
        asked.append(plan)
        return Captioned(tuple(BOXES))

    decorate(scene, graph(), Placement(tuple(port(b) for b in BOXES), tuple(BOXES)), Theme(), caption)
    assert len(asked) == 1 and not asked[0].arcs and not asked[0].walls
    assert [group.id for group in scene.groups] == [f"layer-{i}" for i in range(len(BOXES))]


def test_a_clear_view_makes_a_straight_arrow() -> None:
    """With obstacles given (the style drew nothing between two layers), a connection between
    two layers that face each other clear is one straight arrow: no legs, no walls."""
    scene = scene_of(BOXES)
    placement = Placement(tuple(port(b) for b in BOXES), tuple(BOXES), skips.Obstacles())
    plans: list[skips.Plan] = []

    def caption(plan: skips.Plan) -> Captioned:
        plans.append(plan)
        return Captioned(tuple(BOXES))

    decorate(scene, graph((Connection(0, 2, "add"),)), placement, Theme(), caption)
    assert plans[0].arcs[0].straight is not None and not plans[0].walls
    assert scene.groups[-1].id == "skips"


def test_nodes_are_not_needed() -> None:
    """The pass reads the graph's connections and groups, never its nodes' content."""
    scene = scene_of(BOXES)
    nodes = tuple(Node(i) for i in range(len(BOXES)))
    bare = Graph(nodes, (*Graph.chain(len(BOXES)).connections, Connection(0, 3, "multiply")))
    decorate(scene, bare, Placement(tuple(port(b) for b in BOXES), tuple(BOXES)), Theme(),
             lambda plan: Captioned(tuple(BOXES)))
    assert {e.key for e in scene.legend} == {"connection.multiply"}
