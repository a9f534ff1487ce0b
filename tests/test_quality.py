"""The figure-quality check on small hand-built scenes: each kind of problem is caught on a
broken scene and not reported once the scene is fixed."""

from __future__ import annotations

from nnsvg import quality
from nnsvg.geometry import BBox, text_box
from nnsvg.layout import hits
from nnsvg.scene import (
    Circle,
    CubicTo,
    CurvedStars,
    Dots,
    Fan,
    Group,
    Image,
    LineTo,
    MoveTo,
    Path,
    Polygon,
    Polylines,
    Primitive,
    Rect,
    Scene,
    Stars,
    Text,
)

FAMILY = "DejaVu Sans"
SIZE = 12.0


def text(s: str, x: float, y: float, anchor: str = "start", host: Primitive | None = None,
         size: float = SIZE) -> Text:
    return Text(x, y, s, size, FAMILY, "#000", anchor, text_box(s, x, y, size, FAMILY, anchor), "caption", host)


def line(a: tuple[float, float], b: tuple[float, float], width: float = 1.0) -> Path:
    return Path((MoveTo(*a), LineTo(*b)), BBox.around([a, b]), stroke="#000", stroke_width=width)


def scene(*groups: list[Primitive] | Group, flow: str = "x") -> Scene:
    out = Scene("test", "#fff", 10.0, flow=flow)
    for k, g in enumerate(groups):
        out.groups.append(g if isinstance(g, Group) else Group(f"g-{k}", None, list(g)))
    return out


def kinds(s: Scene) -> list[str]:
    return [p.kind for p in quality.check(s)]


# --- text on shape -------------------------------------------------------------------------

def test_a_line_through_a_caption_is_reported_and_a_caption_beside_it_is_not() -> None:
    # "Caption" from x = 0, baseline y = 0: its ink spans about y -8.8 .. -1
    edge = line((-50.0, -4.0), (200.0, -4.0))
    problems = quality.check(scene([edge], [text("Caption", 0.0, 0.0)]))
    assert [p.kind for p in problems] == ["text-on-shape"]
    assert "'Caption'" in str(problems[0]) and "path" in str(problems[0]) and "\n" not in str(problems[0])
    assert kinds(scene([edge], [text("Caption", 0.0, 30.0)])) == []


def test_ink_tolerance_a_hair_below_the_baseline_is_not_a_hit() -> None:
    # no descenders: the ink ends at the baseline; a line 0.5 px under it only touches the line box
    below = line((-50.0, 0.5), (200.0, 0.5), width=0.5)
    assert kinds(scene([below], [text("Hidden", 0.0, 0.0)])) == []
    # the same line through the lower part of the glyphs (2 px above the baseline) is a hit
    through = line((-50.0, -2.0), (200.0, -2.0), width=0.5)
    assert kinds(scene([through], [text("Hidden", 0.0, 0.0)])) == ["text-on-shape"]
    # a descender ("g") does reach 0.5 px under the baseline
    assert kinds(scene([below], [text("Hidden g", 0.0, 0.0)])) == ["text-on-shape"]
    # the generous line box reaches 2 px above the capitals; the ink does not
    above = line((-50.0, -SIZE * 0.73 - 0.5), (200.0, -SIZE * 0.73 - 0.5), width=0.5)
    assert kinds(scene([above], [text("Hidden", 0.0, 0.0)])) == []


def test_a_diagonal_whose_box_covers_the_label_but_whose_line_misses_it_is_not_a_hit() -> None:
    label = text("ab", 50.0, 50.0)  # ink about x 51..63, y 42..49
    ink = hits.ink_box(label)
    assert ink is not None
    miss = line((0.0, 30.0), (100.0, 130.0))  # passes under-left of the label; its box covers it
    assert miss.bbox().contains(ink)
    assert kinds(scene([miss], [label])) == []
    hit = line((0.0, 0.0), (100.0, 90.0))  # through the label
    assert kinds(scene([hit], [label])) == ["text-on-shape"]


def test_host_exemption_the_text_may_sit_on_its_host_only() -> None:
    node = Circle(0.0, 0.0, 10.0, "#fff", "#333", 1.0, "bias")
    own = text("+1", 0.0, 3.0, "middle", host=node, size=9.0)
    assert kinds(scene([node, own])) == []
    stray = text("+1", 0.0, 3.0, "middle", size=9.0)  # the same text, no host
    assert kinds(scene([node, stray])) == ["text-on-shape"]
    other = Circle(0.0, 0.0, 10.0, "#fff", "#333", 1.0, "node")  # hosted on another circle
    assert kinds(scene([other, node, text("+1", 0.0, 3.0, "middle", host=other, size=9.0)])) == ["text-on-shape"]


def test_occlusion_an_opaque_host_painted_later_hides_what_is_under_it() -> None:
    edge = line((-100.0, 1.0), (100.0, 0.0))  # into the node's centre, under the "+1"
    node = Circle(0.0, 0.0, 10.0, "#fff", "#333", 1.0, "bias")
    label = text("+1", 0.0, 3.0, "middle", host=node, size=9.0)
    assert kinds(scene([edge], [node, label])) == []
    # painted after the host: the edge is on the text
    assert kinds(scene([node, label], [edge])) == ["text-on-shape"]
    # a host with no fill hides nothing
    ring = Circle(0.0, 0.0, 10.0, "none", "#333", 1.0, "bias")
    assert kinds(scene([edge], [ring, text("+1", 0.0, 3.0, "middle", host=ring, size=9.0)])) == ["text-on-shape"]
    # a see-through plate (40 %) does not hide either; an 85 % one does
    for opacity, expected in ((0.4, ["text-on-shape"]), (0.85, [])):
        plate = Rect(-12.0, -8.0, 24.0, 14.0, "#fff", opacity=opacity, cls="weight-bg")
        assert kinds(scene([edge], [plate, text("+1", 0.0, 3.0, "middle", host=plate, size=9.0)])) == expected


def test_circles_rings_and_filled_polygons_are_tested_as_drawn() -> None:
    label = text("x", 0.0, 3.0, "middle")  # a small ink box at the centre
    ring = Circle(0.0, 0.0, 20.0, "none", "#000", 1.0)  # the label is inside the ring, off its stroke
    assert kinds(scene([ring], [label])) == []
    disc = Circle(0.0, 0.0, 20.0, "#ccc", "#000", 1.0)
    assert kinds(scene([disc], [label])) == ["text-on-shape"]
    triangle = ((-40.0, 30.0), (40.0, 30.0), (0.0, -40.0))  # contains the label, no edge near it
    assert kinds(scene([Polygon(triangle, "none", "#000", 1.0)], [label])) == []
    assert kinds(scene([Polygon(triangle, "#ccc", "#000", 1.0)], [label])) == ["text-on-shape"]
    outline = Rect(-30.0, -30.0, 60.0, 60.0, "none", "#000", 1.0)
    assert kinds(scene([outline], [label])) == []
    assert kinds(scene([Rect(-30.0, -30.0, 60.0, 60.0, "#eee")], [label])) == ["text-on-shape"]


def test_an_image_is_tested_as_the_parallelogram_it_is_mapped_to() -> None:
    # a 10x10 picture sheared onto a face: x' = 4x, y' = 2x + 4y (corners (0,0) (40,20) (40,60) (0,40))
    picture = Image("data:image/png;base64,", 10.0, 10.0, (4.0, 2.0, 0.0, 4.0, 0.0, 0.0), 0.5,
                    BBox(0.0, 0.0, 40.0, 60.0), "input-image")
    assert kinds(scene([picture], [text("ab", 14.0, 34.0)])) == ["text-on-shape"]  # inside it
    assert kinds(scene([picture], [text("ab", 22.0, 9.0)])) == []  # in its box, above its sheared top edge


def test_bulk_path_kinds_are_tested_edge_by_edge() -> None:
    label = text("Label", 30.0, 50.0)  # ink about x 31..61, y 42..49
    starts = ((0.0, 0.0), (0.0, 100.0))
    misses = ((200.0, 0.0), (200.0, 100.0))  # the four edges pass around the label, not through it
    hits = ((200.0, 0.0), (200.0, 300.0))  # (0, 0) -> (200, 300) crosses it
    for ends, expected in ((misses, []), (hits, ["text-on-shape"])):
        box = BBox.around(starts + ends)
        fan = Path(Fan(starts, ends), box, stroke="#000", stroke_width=0.5)
        stars = Path(Stars(ends, ((starts[0], (0, 1)), (starts[1], (0, 1)))), box, stroke="#000", stroke_width=0.5)
        poly = Path(Polylines(tuple((s, e) for s in starts for e in ends)), box, stroke="#000", stroke_width=0.5)
        for path in (fan, stars, poly):
            assert kinds(scene([path], [label])) == expected, (path.data, ends)
    label = text("Label", 100.0, 50.0)  # ink about x 101..131, y 42..49
    # Bézier edges: a curve bowing down through the label; straight it would miss
    start, end = (0.0, 0.0), (240.0, 0.0)
    curved = CurvedStars((((160.0, 60.0), end),), (((start, (80.0, 60.0)), (0,)),))
    box = BBox(0.0, 0.0, 240.0, 60.0)
    assert kinds(scene([Path(curved, box, stroke="#000", stroke_width=0.5)], [label])) == ["text-on-shape"]
    flat = CurvedStars((((160.0, 0.0), end),), (((start, (80.0, 0.0)), (0,)),))
    assert kinds(scene([Path(flat, box, stroke="#000", stroke_width=0.5)], [label])) == []
    segments = (MoveTo(*start), CubicTo(80.0, 60.0, 160.0, 60.0, *end))
    assert kinds(scene([Path(segments, box, stroke="#000", stroke_width=0.5)], [label])) == ["text-on-shape"]
    dots = Path(Dots(((115.0, 45.0),), 1.5), BBox(113.5, 43.5, 116.5, 46.5), fill="#000", cls="ellipsis")
    assert kinds(scene([dots], [label])) == ["text-on-shape"]
    dots_away = Path(Dots(((115.0, 60.0),), 1.5), BBox(113.5, 58.5, 116.5, 61.5), fill="#000", cls="ellipsis")
    assert kinds(scene([dots_away], [label])) == []


def test_a_stale_text_box_does_not_hide_a_text_from_the_check() -> None:
    edge = line((-50.0, -4.0), (200.0, -4.0))
    stale = Text(0.0, 0.0, "Caption", SIZE, FAMILY, "#000", "start", BBox(0.0, 40.0, 50.0, 54.0), "caption")
    assert kinds(scene([edge], [stale])) == ["text-on-shape"]


# --- text on text, clipped -----------------------------------------------------------------

def test_overlapping_texts_are_reported_once_and_separated_ones_not() -> None:
    problems = quality.check(scene([text("Input Layer", 0.0, 0.0), text("Hidden Layer", 40.0, 4.0)]))
    assert [p.kind for p in problems] == ["text-on-text"]
    assert "'Input Layer'" in str(problems[0]) and "'Hidden Layer'" in str(problems[0])
    assert kinds(scene([text("Input Layer", 0.0, 0.0), text("Hidden Layer", 40.0, 16.0)])) == []
    # line boxes that overlap by the descent only (a tight second row) are not ink on ink
    assert kinds(scene([text("Input Layer", 0.0, 0.0), text("Hidden Layer", 40.0, 12.5)])) == []


def test_a_text_outside_the_page_is_clipped() -> None:
    rect = Rect(0.0, 0.0, 100.0, 50.0, "#eee", "#000", 1.0)
    # the renderer measured the caption where it meant to put it, then wrote it 300 px further right
    moved = Text(350.0, 70.0, "Caption", SIZE, FAMILY, "#000", "start",
                 text_box("Caption", 50.0, 70.0, SIZE, FAMILY), "caption")
    problems = quality.check(scene([rect], [moved]))
    assert [p.kind for p in problems] == ["clipped"]
    assert "'Caption'" in str(problems[0])
    assert kinds(scene([rect], [text("Caption", 50.0, 70.0)])) == []


# --- tiny ----------------------------------------------------------------------------------

def test_a_window_one_px_wide_is_tiny_and_a_readable_one_is_not() -> None:
    maps = [Rect(0.0, 0.0, 200.0, 200.0, "#ddd", "#000", 1.0, cls="map")]
    thin = Rect(50.0, 50.0, 1.0, 6.0, "#fff", "#000", 1.0, cls="window")
    problems = quality.check(scene([*maps, thin]))
    assert [p.kind for p in problems] == ["tiny"]
    assert "window" in str(problems[0])
    assert kinds(scene([*maps, Rect(50.0, 50.0, 6.0, 6.0, "#fff", "#000", 1.0, cls="window")])) == []


def test_the_tiny_limit_grows_with_the_figure() -> None:
    small = scene([Rect(0.0, 0.0, 200.0, 200.0, "#ddd"), Rect(10.0, 10.0, 4.0, 4.0, "#fff", cls="window")])
    assert quality.tiny_limit(small) == quality.TINY_PX and kinds(small) == []
    # the same 4 px window in a figure 4000 px wide prints 0.25 pt at column width
    wide = scene([Rect(0.0, 0.0, 4000.0, 200.0, "#ddd"), Rect(10.0, 10.0, 4.0, 4.0, "#fff", cls="window")])
    assert quality.tiny_limit(wide) > 4.0 and kinds(wide) == ["tiny"]


def test_deliberate_small_marks_are_not_tiny() -> None:
    base = [Rect(0.0, 0.0, 200.0, 200.0, "#ddd")]
    dots = Path(Dots(((10.0, 10.0), (14.0, 10.0)), 0.8), BBox(9.2, 9.2, 14.8, 10.8), fill="#000", cls="ellipsis")
    head = Path((MoveTo(0, 0), LineTo(1, 0.5), LineTo(0, 1)), BBox(0, 0, 1, 1), fill="#000", cls="arrow arrowhead")
    assert kinds(scene([*base, dots, head])) == []
    assert kinds(scene([*base, Circle(50.0, 50.0, 0.5, "#fff", "#000", 0.5, "node")])) == ["tiny"]


def test_a_3d_box_is_measured_by_its_largest_face() -> None:
    # a volume: a big front face and a thin side face (a sliver by nature) -> fine
    front = Polygon(((0.0, 0.0), (80.0, 0.0), (80.0, 80.0), (0.0, 80.0)), "#eee", "#000", 1.0, cls="volume front")
    side = Polygon(((80.0, 0.0), (81.0, -1.0), (81.0, 79.0), (80.0, 80.0)), "#ccc", "#000", 1.0, cls="volume right")
    assert kinds(scene(Group("layer-0", "layer", [front, side]))) == []
    # a filter box whose every face is a sliver -> tiny
    f1 = Polygon(((10.0, 10.0), (11.0, 10.0), (11.0, 11.0), (10.0, 11.0)), "#9df", "#000", 0.5, cls="filter front")
    f2 = Polygon(((11.0, 10.0), (40.0, -19.0), (40.0, -18.0), (11.0, 11.0)), "#9df", "#000", 0.5, cls="filter right")
    problems = quality.check(scene(Group("layer-0", "layer", [front, side, f1, f2])))
    assert [p.kind for p in problems] == ["tiny"] and "filter" in str(problems[0])


# --- dominant ------------------------------------------------------------------------------

def layers(lengths: list[float], gap: float = 100.0) -> list[Group]:
    out, x = [], 0.0
    for k, length in enumerate(lengths):
        out.append(Group(f"layer-{k}", "layer", [Polygon(((x, 0.0), (x + length, 0.0), (x + length, 10.0),
                                                          (x, 40.0)), "#ddd", "#000", 1.0, "dense")]))
        x += length + gap
    return out


def test_a_layer_longer_than_40_percent_of_the_figure_along_the_flow_dominates() -> None:
    # LeNet's 4096 bar: 4000 px of a 7000 px figure
    broken = scene(*layers([1200.0, 400.0, 4000.0, 84.0, 40.0]))
    problems = quality.check(broken)
    assert [p.kind for p in problems] == ["dominant"]
    assert "layer-2" in str(problems[0])
    assert kinds(scene(*layers([800.0, 400.0, 640.0, 84.0, 40.0]))) == []
    # across the flow a layer may be as long as the figure (an FCNN column, an unrolled RNN's row)
    rows = [Group(f"layer-{k}", "layer", [Rect(0.0, k * 140.0, width, 40.0, "#ddd", "#000", 1.0)])
            for k, width in enumerate([1200.0, 400.0, 4000.0, 84.0, 40.0])]
    assert kinds(scene(*rows, flow="y")) == []
    assert "dominant" in kinds(scene(*rows, flow="x"))


def test_a_layer_is_measured_without_what_joins_it_to_its_neighbours() -> None:
    bars = layers([300.0, 300.0, 300.0, 40.0])
    # the arrow into the last layer lives in its group (as alexnet draws it): 700 of 1340 px long
    bars[3].children.insert(0, line((600.0, 20.0), (1300.0, 20.0)))
    bars[3].children.insert(0, Polygon(((640.0, 0.0), (1300.0, 20.0), (640.0, 40.0)), "#fbb", "#f00", 0.5,
                                       cls="pyramid"))
    assert kinds(scene(*bars)) == []


def test_one_or_two_layers_are_never_dominant() -> None:
    assert kinds(scene(*layers([1000.0, 40.0]))) == []


def test_problem_is_one_line_naming_its_kind() -> None:
    problem = quality.Problem("tiny", "rect (layer-1, window) is 1 px across")
    assert str(problem) == "tiny: rect (layer-1, window) is 1 px across"
    assert problem.kind in quality.KINDS
