"""AlexNet: 3D volumes (height × width × channels) and dense boxes, under an orthographic
camera (NN-SVG's AlexNet style, as a real vector drawing).

World axes: x runs along the row of layers, y up, z towards the viewer. Two looks:

- ``row`` (default, NN-SVG's and PlotNeuralNet's axis order): a volume's channels run along the
  row (x), its height up (y), its width across (z), so deep layers are long boxes and the
  visible end face (+x) is the H×W map. Each box is lifted so that its centre projects onto one
  horizontal line: the row reads left to right at any camera angle. A filter is a rod through
  all the channels; its pyramid leaves the rod's end and meets the next volume's input face.
- ``cubes`` (nnsvg 1.x): a volume's width along the row, channels receding from the front face
  (z = 0); the row descends a diagonal. A filter box sits on the front face; its pyramid meets
  the next volume's front face.

Consecutive layers are always linked: a pyramid where there is a filter, otherwise an arrow
that starts and ends on the two boxes' outlines. Each visible face is one polygon. Painting is
back to front: layers in camera order; inside a layer, the pyramid piece that arrives, the
filter box, the inner piece of the outgoing pyramid, then the volume's faces and the outgoing
pyramid's piece between the volumes (pyramids are clipped at the volumes' planes).

Labels (dimensions, filter sizes, captions) are placed at candidate spots beside the edge they
name and moved outwards until they are clear of every drawn shape (their own box included)
and of every other label; a label that only finds room far from its edge gets a leader line,
and one that finds none near a gap between layers widens that gap.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from ..errors import SpecError
from ..geometry import (
    BBox,
    Box3,
    Camera,
    Point,
    affine_map,
    back_to_front,
    text_width,
)
from ..layout import legend, skips
from ..layout.arrows import straight_arrow
from ..layout.decorate import Captioned, Captioner, Placement, decorate
from ..layout.skips import Plan
from ..scene import Group, Image, Polygon, Primitive, Scene, Swatch
from ..spec.alexnet import AlexnetSpec, Volume
from ..theme import Theme
from .alexnet_labels import Labeller, Obstacles, label_groups
from .alexnet_shapes import (
    Placed,
    box_faces,
    column_extent,
    filter_window,
    link_ends,
    outline,
    pyramid_pieces,
    rect,
    thick_segment,
)

DENSE_THICKNESS = 8.0  # width and depth of a dense box
MAX_EXTENT = 1e6  # world units: refuse linear scales that would draw kilometres
MAX_SHARE = 0.4  # a layer wider than this share of the figure gets a note
HUGE_WIDTH, HUGE_HEIGHT = 150.0, 60.0  # a figure this many label heights wide (high) gets a note
LAYOUT_ROUNDS = 4
MIN_FILTER_SHARE = 0.0045  # a filter window's least side, of the figure's larger side
MIN_FILTER = 3.0  # page units: and at least this
MIN_ARROW = 6.0  # page units: the shortest arrow between two layers  # re-layouts that widen crowded gaps
LEAST_STROKES = 2.5  # a box's or filter window's least side, in volume strokes (least_side)
ARROW_HEADS = 1.6  # the shortest arrow between two layers, in arrowhead lengths


def _size(units: int, mode: str, scale: float) -> float:
    return scale * math.log(1 + units) if mode == "log" else scale * units


def filter_side(units: int, spec: AlexnetSpec) -> float:
    if spec.filter_size == "log":
        return 10 * spec.filter_scale * math.log(1 + units)
    return units * spec.filter_scale


def least_side(theme: Theme) -> float:
    """The least side of a box or filter window: in the theme's lengths, so that at a printed
    size it prints at least 2.5 volume strokes (1.1 pt with the default theme) however small
    the drawing, over the quality check's 0.6 pt."""
    return max(theme.volume.stroke_width * LEAST_STROKES, theme.text.size / 8)


def _extents(spec: AlexnetSpec, i: int, least: float = 0.0) -> tuple[float, float, float]:
    """A layer's box sides: (along the row, height, across) in world units, each at least
    ``least``."""
    layer = spec.layers[i]
    if isinstance(layer, Volume):
        side_w = _size(layer.width, spec.side_size, spec.side_scale)
        h = _size(layer.height, spec.side_size, spec.side_scale)
        d = _size(layer.depth, spec.depth_size, spec.depth_scale)
        along, across = (d, side_w) if spec.look == "row" else (side_w, d)
    else:
        along = across = DENSE_THICKNESS
        h = _size(layer.size, spec.side_size, spec.side_scale)
    if max(along, h, across) > MAX_EXTENT:
        raise SpecError(f"layer {i + 1}: '{layer.token}' would be {max(along, h, across):,.0f} units "
                        "long; use log sizes or a smaller scale")
    return max(along, least), max(h, least), max(across, least)


def label_room(spec: AlexnetSpec, theme: Theme) -> list[float]:
    """The cubes look: the least space in each gap that holds its dimension labels: the depth
    label of the layer before and the height label of the layer after both sit in it (world
    units along x)."""
    if not spec.dims:
        return [0.0] * (len(spec.layers) - 1)
    size, family = theme.text.size * spec.font_scale, theme.text.family
    azimuth = math.radians(spec.view[0])
    room = []
    for a, b in zip(spec.layers, spec.layers[1:]):
        depth = text_width(str(a.depth), size, family) if isinstance(a, Volume) else 0.0
        height = text_width(str(b.height), size, family) if isinstance(b, Volume) else 0.0
        # the depth label starts half the receding edge to the right of the front corner
        shift = 0.0
        if isinstance(a, Volume):
            shift = _size(a.depth, spec.depth_size, spec.depth_scale) / 2 * math.tan(azimuth)
        room.append((depth + height + 3 * size) / math.cos(azimuth) + shift)
    return room


def layout(spec: AlexnetSpec, room: list[float] | None = None, extra: list[float] | None = None,
           least: float = 0.0) -> list[Placed]:
    """The cubes look: boxes along x, fronts at z = 0, centred on y = 0."""
    room = room or [0.0] * len(spec.layers)
    x = 0.0
    out = []
    for i in range(len(spec.layers)):
        w, h, d = _extents(spec, i, least)
        out.append(Placed(i, Box3(x, -h / 2, -d, x + w, h / 2, 0.0)))
        widen = extra[i] if extra is not None and i < len(extra) else 0.0
        x += w + max(spec.spacing, room[i] if i < len(room) else 0.0) + widen
    return out


def layout_row(spec: AlexnetSpec, camera: Camera, extra: list[float], least: float = 0.0) -> list[Placed]:
    """The row look: boxes along x, centred on z = 0, each lifted so its centre projects onto
    the page's y = 0; ``spacing`` is the gap between neighbouring outlines on the page."""
    az, el = math.radians(camera.azimuth), math.radians(camera.elevation)
    lift = math.sin(az) * math.tan(el)  # world y per unit of x that keeps the centres level
    sides = [_extents(spec, i, least) for i in range(len(spec.layers))]
    x = 0.0
    out = []
    for i, (along, h, across) in enumerate(sides):
        yc = (x + along / 2) * lift
        out.append(Placed(i, Box3(x, yc - h / 2, -across / 2, x + along, yc + h / 2, across / 2)))
        if i + 1 < len(sides):  # the outlines' gap on the page is spacing (plus any widening)
            reach = (across + sides[i + 1][2]) / 2 * math.sin(az)
            # never touching: a link (pyramid or arrow) needs room between the boxes
            x += along + max(MIN_ARROW, (spec.spacing + extra[i] + reach) / math.cos(az))
    return out


def place_filters(spec: AlexnetSpec, placed: list[Placed], rng: random.Random, least: float = 0.0) -> None:
    """A filter box on each volume that has a filter and a next layer: its window on the
    H×W face (seeded position, within ±0.4 of the face as NN-SVG), through all the channels;
    a window side is at least ``least`` (so a 3x3 window stays visible on a VGG-sized figure)."""
    for i, layer in enumerate(spec.layers[:-1]):
        if not isinstance(layer, Volume) or layer.filter is None:
            continue
        box = placed[i].box
        if spec.filter_position == "center":
            u = v = 0.5
        else:
            u, v = 0.1 + 0.8 * rng.random(), 0.1 + 0.8 * rng.random()
        h = box.y1 - box.y0
        fh = min(max(filter_side(layer.filter[0], spec), least), h * 0.9)
        fy = box.y0 + (h - fh) * v
        if spec.look == "row":  # the map's width runs across (z); seen from +x its left is z1
            w = box.z1 - box.z0
            # the window is seen on the end face, foreshortened by sin(azimuth)
            across = least / max(math.sin(math.radians(spec.view[0])), 0.25)
            fw = min(max(filter_side(layer.filter[1], spec), across), w * 0.9)
            fz = box.z1 - (w - fw) * u
            placed[i].filter_box = Box3(box.x0, fy, fz - fw, box.x1, fy + fh, fz)
        else:
            w = box.x1 - box.x0
            fw = min(max(filter_side(layer.filter[1], spec), least), w * 0.9)
            fx = box.x0 + (w - fw) * u
            placed[i].filter_box = Box3(fx, fy, box.z0, fx + fw, fy + fh, box.z1)


# --- the input image ------------------------------------------------------------------------

def image_on_face(spec: AlexnetSpec, corners: tuple[Point, Point, Point, Point]) -> Image:
    """The input image on a face whose page corners are (top left, top right, bottom left,
    bottom right) as the picture is seen."""
    picture = spec.image
    assert picture is not None
    tl, tr, bl, br = corners
    src = ((0.0, 0.0), (float(picture.width), 0.0), (0.0, float(picture.height)))
    dst = (tr, tl, br) if spec.image_flip else (tl, tr, bl)
    matrix = affine_map(src, dst)
    return Image(picture.uri, picture.width, picture.height, matrix, spec.image_opacity,
                 BBox.around([tl, tr, bl, br]), "input-image")


def image_corners(spec: AlexnetSpec, box: Box3, camera: Camera) -> tuple[Point, Point, Point, Point]:
    """The H×W face that carries the input image: the front face (cubes) or the end face (row)."""
    if spec.look == "row":
        ends = ((box.x1, box.y1, box.z1), (box.x1, box.y1, box.z0), (box.x1, box.y0, box.z1), (box.x1, box.y0, box.z0))
    else:
        ends = ((box.x0, box.y1, box.z1), (box.x1, box.y1, box.z1), (box.x0, box.y0, box.z1), (box.x1, box.y0, box.z1))
    tl, tr, bl, br = (camera.project(p) for p in ends)
    return tl, tr, bl, br


# --- the figure ---------------------------------------------------------------------------

@dataclass
class Drawn:
    scene: Scene
    crowded: dict[int, float]
    placed: list[Placed]


def draw(spec: AlexnetSpec, theme: Theme, camera: Camera, extra: list[float]) -> Drawn:
    """Place the layers, draw them and the links between them, then the shared decoration pass
    with this style's labels as its captions."""
    placed = place(spec, theme, camera, extra)
    hulls = [outline(p.box, camera) for p in placed]
    parts = links_between(spec, theme, camera, placed, hulls)
    order = back_to_front([p.box for p in placed], camera)
    groups = layer_groups(spec, theme, camera, placed, parts, order)
    scene = Scene("alexnet", theme.background, theme.margin,
                  title="alexnet " + " ".join(layer.token for layer in spec.layers))
    legend_entries(spec, theme, groups, scene, parts.links)
    for k, i in enumerate(order):  # the links between two layers are painted between them
        scene.groups.append(groups[i])
        if parts.links[i]:
            assert k + 1 < len(order) and order[k + 1] == i + 1  # the camera sees the +x faces
            children: list[Primitive | Group] = list(parts.links[i])
            scene.groups.append(Group(f"link-{i}", "link", children))
    seen = skips.Obstacles()
    seen.boxes += [BBox.around(polygon) for polygon in parts.obstacles]
    placement = Placement(tuple(port(hull) for hull in hulls), tuple(BBox.around(h) for h in hulls), seen)
    decorate(scene, spec.graph(), placement, theme, captioner(spec, theme, camera, placed, scene, placement, parts))
    return Drawn(scene, parts.crowded, placed)


def place(spec: AlexnetSpec, theme: Theme, camera: Camera, extra: list[float]) -> list[Placed]:
    """The layers' boxes in the world (with ``extra`` room in the gaps), moved to their levels,
    with their filters."""
    if spec.look == "row":
        placed = layout_row(spec, camera, extra, least_side(theme))
    else:
        placed = layout(spec, label_room(spec, theme), extra, least_side(theme))
    if spec.levels is not None:
        placed = leveled(spec, placed, camera, theme)
    hulls = [outline(p.box, camera) for p in placed]
    extent = BBox.around([q for hull in hulls for q in hull])
    least = max(MIN_FILTER, MIN_FILTER_SHARE * max(extent.width, extent.height), least_side(theme))
    place_filters(spec, placed, random.Random(spec.seed), least)
    return placed


@dataclass
class Parts:
    """The links between layers, by layer: what a layer paints before its faces and after them,
    what is painted between layer i and i + 1 (``row``), the page polygons labels keep clear
    of, and the gaps too short for their arrow (page units they lack)."""

    before: dict[int, list[Primitive]]
    after_faces: dict[int, list[Primitive]]
    links: dict[int, list[Primitive]]
    obstacles: list[list[Point]]
    crowded: dict[int, float] = field(default_factory=dict)


def links_between(spec: AlexnetSpec, theme: Theme, camera: Camera, placed: list[Placed],
                  hulls: list[list[Point]]) -> Parts:
    """A pyramid from each filter window, an arrow between outlines elsewhere."""
    count = len(placed)
    parts = Parts(_by_layer(count), _by_layer(count), _by_layer(count), list(hulls))
    between = parts.links if spec.look == "row" else parts.after_faces  # cubes: in the layer, as 1.x drew it
    before, obstacles = parts.before, parts.obstacles
    shaft = theme.link.width * theme.arrow.shaft_scale
    for i, here in enumerate(placed[:-1]):
        there = placed[i + 1]
        if here.filter_box is not None:  # the filter window's pyramid is the link
            f = theme.filter
            before[i].extend(box_faces(here.filter_box, camera, f.fill, f.stroke, f.stroke_width, f.opacity, 0,
                                       "filter"))
            inner, middle, beyond = pyramid_pieces(here.filter_box, here.box, there.box, camera, theme, spec.look)
            before[i].extend(inner)
            between[i].extend(middle)
            before[i + 1][:0] = beyond
            obstacles.extend(list(poly.points) for poly in inner + middle + beyond)
            continue
        start, end, length = link_ends(hulls[i], hulls[i + 1])  # on the two outlines
        # a head and as much shaft again: in the theme's lengths, so at a printed size an arrow
        # prints at least this long however small the drawing (a 20-layer U-Net's 19 arrows
        # fit a column); widened by what it lacks
        shortest = max(theme.arrow.length * ARROW_HEADS, MIN_ARROW)
        gap = min(q[0] for q in hulls[i + 1]) - max(q[0] for q in hulls[i])  # the outlines' gap on the page
        if min(gap, length) < shortest:  # too short for its head, or the outlines overlap
            parts.crowded[i] = shortest - min(gap, length)
        if gap <= 0 or length < 1e-9:
            continue
        paths = straight_arrow(start, end, theme.link.color, shaft, theme, "arrow")
        if spec.look == "row":
            parts.links[i].extend(paths)
        else:
            before[i + 1][:0] = paths
        obstacles.append(thick_segment(start, end, shaft + 0.5))
        obstacles.append(rect(paths[1].extent))
    return parts


def _by_layer(count: int) -> dict[int, list[Primitive]]:
    return {i: [] for i in range(count)}


def layer_groups(spec: AlexnetSpec, theme: Theme, camera: Camera, placed: list[Placed], parts: Parts,
                 order: list[int]) -> dict[int, Group]:
    """Each layer's group, in painting order: what comes before its faces, its faces (with the
    input image on the first), what comes after them."""
    volume = theme.volume
    groups: dict[int, Group] = {}
    for i in order:
        layer, here = spec.layers[i], placed[i]
        group = Group(f"layer-{i}", "layer")
        group.children.extend(parts.before[i])
        kind = "volume" if isinstance(layer, Volume) else "dense"
        group.children.extend(box_faces(here.box, camera, layer.fill or volume.fill, volume.stroke,
                                        volume.stroke_width, volume.opacity, volume.shade, kind))
        if i == 0 and spec.image is not None:
            group.add(image_on_face(spec, image_corners(spec, here.box, camera)))
            if here.filter_box is not None:  # the window stays visible on the picture
                window = filter_window(spec, here.filter_box)
                group.add(Polygon(tuple(camera.project(p) for p in window), "none", theme.filter.stroke,
                                  theme.filter.window_stroke_width, 1.0, "filter window"))
        group.children.extend(parts.after_faces[i])
        groups[i] = group
    return groups


def captioner(spec: AlexnetSpec, theme: Theme, camera: Camera, placed: list[Placed], scene: Scene,
              placement: Placement, parts: Parts) -> Captioner:
    """The labels as the decoration pass's captions: clear of the skip legs and straight arrows
    of its plan; a gap where a label finds no room is marked crowded."""
    obstacles, crowded = parts.obstacles, parts.crowded

    def caption(arcs: Plan) -> Captioned:
        for x, bottom, half in arcs.walls:  # the labels keep clear of the skip arcs' legs
            obstacles.append(thick_segment((x, bottom), (x, bottom - 1e5), 2 * half + 1.0))
        for a, b in arcs.straight_segments(placement.ports):
            obstacles.append(thick_segment(a, b, 2 * skips.symbol_radius(theme) + 1.0))
        size = theme.text.size * spec.font_scale
        grid = Obstacles(size * 4)
        for polygon in obstacles:
            grid.add(polygon)
        labeller = Labeller(theme, size, grid)
        labels = label_groups(spec, theme, placed, camera, labeller, arcs.walls)
        scene.groups.extend(labels)
        for gap, amount in labeller.crowded.items():
            crowded[gap] = max(crowded.get(gap, 0.0), amount)
        boxes: list[BBox | None] = list(placement.shapes)
        for group in labels:
            i = int(str(group.id).split("-")[1])
            own = group.bbox()
            boxes[i] = own if boxes[i] is None or own is None else boxes[i].union(own)  # type: ignore[union-attr]
        return Captioned(tuple(boxes))

    return caption


def leveled(spec: AlexnetSpec, placed: list[Placed], camera: Camera, theme: Theme) -> list[Placed]:
    """The layers moved down by their level (``levels``): one step is half the tallest layer's
    outline, plus room for a row of labels and an arc, so a layer one level down starts below
    the middle of the level above (where the straight skips across the U run)."""
    assert spec.levels is not None
    heights = [BBox.around(outline(p.box, camera)).height for p in placed]
    size = theme.text.size * spec.font_scale
    step = max(heights) / 2 + size * (3.5 if spec.dims else 2.0) + skips.symbol_radius(theme)
    per_unit = math.cos(math.radians(camera.elevation))  # page units per world unit of y
    out = []
    for p, level in zip(placed, spec.levels):
        dy = -level * step / per_unit
        b = p.box
        box = Box3(b.x0, b.y0 + dy, b.z0, b.x1, b.y1 + dy, b.z1)
        out.append(Placed(p.index, box, p.filter_box))
    return out


def port(hull: list[Point]) -> skips.Port:
    """A layer's outline as the skip arcs see it: legs land on the middle half of its top,
    straight arcs leave its rightmost edge and enter its leftmost."""
    box = BBox.around(hull)
    quarter = box.width / 4

    def top(x: float) -> float:
        return column_extent(hull, x)[0]

    def side(x: float) -> tuple[float, float]:
        ys = [q[1] for q in hull if abs(q[0] - x) < 0.5]
        return (min(ys), max(ys)) if ys else (box.y0, box.y1)

    return skips.Port(box.x0 + quarter, box.x1 - quarter, top, box.x0, side(box.x0), box.x1, side(box.x1))


def legend_entries(spec: AlexnetSpec, theme: Theme, groups: dict[int, Group], scene: Scene,
                   links: dict[int, list[Primitive]]) -> None:
    """The legend's entries for the faces the layer groups draw, in layer order: volumes, dense
    boxes, filter boxes, pyramids; a layer with its own fill gets an entry of its own, named by
    its label or token (key ``layer-N``)."""
    shade = theme.volume.shade
    for i, layer in enumerate(spec.layers):
        faces = [c for c in [*groups[i].walk(), *links[i]] if isinstance(c, Polygon)]
        for face in faces:
            words = set((face.cls or "").split())
            if words & {"volume", "dense"}:
                kind = "volume" if "volume" in words else "dense"
                shape = "cube" if kind == "volume" else "bar"
                if layer.fill is not None:
                    legend.add(scene, f"layer-{i}", Swatch(
                        shape, layer.fill, face.stroke, face.stroke_width, fill_opacity=face.fill_opacity, shade=shade),
                        layer.label or layer.token)
                else:
                    legend.add(scene, kind, Swatch(shape, theme.volume.fill, face.stroke, face.stroke_width,
                                                          fill_opacity=face.fill_opacity, shade=shade))
            elif "filter" in words and "window" not in words:
                f = theme.filter
                legend.add(scene, "filter", Swatch("cube", f.fill, f.stroke, f.stroke_width,
                                                          fill_opacity=f.opacity))
            elif "pyramid" in words:
                legend.add(scene, "pyramid", legend.like(face, "box", fill_opacity=face.fill_opacity))
    order = ["volume", "dense", "filter", "pyramid"]
    scene.legend.sort(key=lambda e: order.index(e.key) if e.key in order else len(order))


def size_notes(spec: AlexnetSpec, theme: Theme, drawn: Drawn, camera: Camera) -> list[str]:
    """Notes when the user's sizes make one layer dominate the row (returned) or the figure huge
    (added to the scene's page notes), naming the option that shrinks it."""
    notes = []
    page = drawn.scene.bbox()
    boxes = [BBox.around(outline(p.box, camera)) for p in drawn.placed]
    volumes = [k for k, layer in enumerate(spec.layers) if isinstance(layer, Volume)]
    along_option = "depth_size/depth_scale" if spec.look == "row" else "side_size/side_scale"
    if len(spec.layers) >= 3 and page.width > 0:
        widest = max(range(len(boxes)), key=lambda k: boxes[k].width)
        share = boxes[widest].width / page.width
        if share > MAX_SHARE:
            option = along_option if widest in volumes else "side_size/side_scale"
            notes.append(f"layer {widest + 1} ('{spec.layers[widest].token}') is {share:.0%} of the figure's "
                         f"width; a log {option.split('/')[0]} or a smaller {option.split('/')[1]} shrinks it")
    size = theme.text.size * spec.font_scale
    if page.width > HUGE_WIDTH * size:
        gaps = spec.spacing * (len(spec.layers) - 1)
        option = "spacing" if gaps > page.width / 2 else along_option
        drawn.scene.page_notes.append(f"the figure is {page.width:,.0f} units wide for {size:g}-unit labels, "
                                      f"which will be unreadable at page width; {option} shrinks it")
    elif page.height > HUGE_HEIGHT * size:
        drawn.scene.page_notes.append(f"the figure is {page.height:,.0f} units high for {size:g}-unit labels, "
                                      f"which will be unreadable at page size; side_size/side_scale shrinks it")
    return notes


def render(spec: AlexnetSpec, theme: Theme) -> Scene:
    camera = Camera(spec.view[0], spec.view[1])
    extra = [0.0] * max(0, len(spec.layers) - 1)
    widened: set[int] = set()
    for _ in range(LAYOUT_ROUNDS):
        drawn = draw(spec, theme, camera, extra)
        fresh = {gap: amount for gap, amount in drawn.crowded.items() if gap not in widened}
        if not fresh:  # a gap is widened once: labels that still find no room get leaders
            break
        for gap, amount in fresh.items():  # page units; the cubes look's gaps are along x
            extra[gap] += amount if spec.look == "row" else amount / math.cos(math.radians(camera.azimuth))
        widened.update(fresh)
    drawn.scene.notes.extend(size_notes(spec, theme, drawn, camera))
    return drawn.scene
