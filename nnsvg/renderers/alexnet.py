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

from .. import colors
from ..errors import SpecError
from ..geometry import (
    BBox,
    Box3,
    Camera,
    Point,
    Point3,
    affine_map,
    back_to_front,
    baseline_for_center,
    clip_polygon,
    text_box,
    text_width,
)
from ..layout import legend, skips
from ..layout.arrows import straight_arrow
from ..layout.decorate import Captioned, Placement, decorate
from ..layout.skips import Plan
from ..scene import Group, Image, Path, Polygon, Primitive, Scene, Swatch, Text, polyline
from ..spec.alexnet import AlexnetSpec, Volume
from ..theme import Theme

DENSE_THICKNESS = 8.0  # width and depth of a dense box
MAX_EXTENT = 1e6  # world units: refuse linear scales that would draw kilometres
MAX_SHARE = 0.4  # a layer wider than this share of the figure gets a note
HUGE_WIDTH, HUGE_HEIGHT = 150.0, 60.0  # a figure this many label heights wide (high) gets a note
LAYOUT_ROUNDS = 4
MIN_FILTER_SHARE = 0.0045  # a filter window's least side, of the figure's larger side
MIN_FILTER = 3.0  # page units: and at least this
MIN_ARROW = 6.0  # page units: the shortest arrow between two layers  # re-layouts that widen crowded gaps


@dataclass
class Placed:
    index: int
    box: Box3
    filter_box: Box3 | None = None


def _size(units: int, mode: str, scale: float) -> float:
    return scale * math.log(1 + units) if mode == "log" else scale * units


def filter_side(units: int, spec: AlexnetSpec) -> float:
    if spec.filter_size == "log":
        return 10 * spec.filter_scale * math.log(1 + units)
    return units * spec.filter_scale


def _extents(spec: AlexnetSpec, i: int) -> tuple[float, float, float]:
    """A layer's box sides: (along the row, height, across) in world units."""
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
    return along, h, across


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


def layout(spec: AlexnetSpec, room: list[float] | None = None, extra: list[float] | None = None) -> list[Placed]:
    """The cubes look: boxes along x, fronts at z = 0, centred on y = 0."""
    room = room or [0.0] * len(spec.layers)
    x = 0.0
    out = []
    for i in range(len(spec.layers)):
        w, h, d = _extents(spec, i)
        out.append(Placed(i, Box3(x, -h / 2, -d, x + w, h / 2, 0.0)))
        widen = extra[i] if extra is not None and i < len(extra) else 0.0
        x += w + max(spec.spacing, room[i] if i < len(room) else 0.0) + widen
    return out


def layout_row(spec: AlexnetSpec, camera: Camera, extra: list[float]) -> list[Placed]:
    """The row look: boxes along x, centred on z = 0, each lifted so its centre projects onto
    the page's y = 0; ``spacing`` is the gap between neighbouring outlines on the page."""
    az, el = math.radians(camera.azimuth), math.radians(camera.elevation)
    lift = math.sin(az) * math.tan(el)  # world y per unit of x that keeps the centres level
    sides = [_extents(spec, i) for i in range(len(spec.layers))]
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


def _shade(fill: str, face: str, amount: float) -> str:
    if fill == "none" or amount == 0:
        return fill
    if face == "top":
        return colors.mix(fill, "#ffffff", amount)
    if face in ("right", "left"):
        return colors.mix(fill, "#000000", amount)
    return fill


def box_faces(box: Box3, camera: Camera, fill: str, stroke: str, width: float, opacity: float,
              shade: float, cls: str) -> list[Polygon]:
    out = []
    for name, corners in box.visible_faces(camera):
        points = tuple(camera.project(p) for p in corners)
        out.append(Polygon(points, _shade(fill, name, shade), stroke, width, 1.0, f"{cls} {name}",
                           fill_opacity=opacity))
    return out


def relative_apex(source: Box3, volume: Box3, target: Box3, look: str = "cubes") -> Point3:
    """The point on the target's face at the filter's relative position: its front face (cubes)
    or its input face (row)."""
    ry = ((source.y0 + source.y1) / 2 - volume.y0) / (volume.y1 - volume.y0)
    y = target.y0 + ry * (target.y1 - target.y0)
    if look == "row":
        rz = ((source.z0 + source.z1) / 2 - volume.z0) / (volume.z1 - volume.z0)
        return (target.x0, y, target.z0 + rz * (target.z1 - target.z0))
    rx = ((source.x0 + source.x1) / 2 - volume.x0) / (volume.x1 - volume.x0)
    return (target.x0 + rx * (target.x1 - target.x0), y, target.z1)


def _area(points: list[Point]) -> float:
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(points, points[1:] + points[:1]))) / 2


def pyramid_pieces(source: Box3, volume: Box3, target: Box3, camera: Camera, theme: Theme,
                   look: str = "cubes") -> tuple[list[Polygon], list[Polygon], list[Polygon]]:
    """The pyramid clipped into the piece inside this volume, between the volumes, and inside
    the next one; back-facing triangles first within each piece."""
    apex = relative_apex(source, volume, target, look)
    x = source.x1
    corners = [(x, source.y0, source.z1), (x, source.y1, source.z1),
               (x, source.y1, source.z0), (x, source.y0, source.z0)]
    centre = ((x + apex[0]) / 2, (source.y0 + source.y1 + 2 * apex[1]) / 4, (source.z0 + source.z1 + 2 * apex[2]) / 4)
    triangles = []
    for k in range(4):
        tri = [corners[k], corners[(k + 1) % 4], apex]
        mid = tuple(sum(c) / 3 for c in zip(*tri))
        facing = camera.depth(mid) - camera.depth(centre)  # outward side towards the camera?
        triangles.append((facing, tri))
    triangles.sort(key=lambda item: item[0])
    style = theme.pyramid
    pieces: tuple[list[Polygon], list[Polygon], list[Polygon]] = ([], [], [])
    for _, tri in triangles:
        inner = clip_polygon(tri, 0, volume.x1, keep_below=True)
        rest = clip_polygon(tri, 0, volume.x1, keep_below=False)
        middle = clip_polygon(rest, 0, target.x0, keep_below=True) if rest else []
        beyond = clip_polygon(rest, 0, target.x0, keep_below=False) if rest else []
        for bucket, poly in zip(pieces, (inner, middle, beyond)):
            if len(poly) < 3:
                continue
            points = [camera.project(p) for p in poly]
            if _area(points) > 1e-9:  # a piece cut to a line on a plane is no piece
                bucket.append(Polygon(tuple(points), style.fill, style.stroke, style.stroke_width, 1.0, "pyramid",
                                      fill_opacity=style.opacity))
    return pieces


# --- page geometry: outlines, arrows between them, convex overlap ----------------------------

def convex_hull(points: list[Point]) -> list[Point]:
    """The convex hull, counter-clockwise in a y-up sense (monotone chain)."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def cross(o: Point, a: Point, b: Point) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Point] = []
    upper: list[Point] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def outline(box: Box3, camera: Camera) -> list[Point]:
    """A box's outline on the page."""
    return convex_hull([camera.project(p) for p in box.corners()])


def _segment_span(hull: list[Point], p: Point, q: Point) -> tuple[float, float] | None:
    """The parameters (t_in, t_out) of the part of p + t (q - p) inside a convex polygon
    (Cyrus–Beck), or None when the line misses it."""
    t_in, t_out = -math.inf, math.inf
    dx, dy = q[0] - p[0], q[1] - p[1]
    cx = sum(v[0] for v in hull) / len(hull)
    cy = sum(v[1] for v in hull) / len(hull)
    for a, b in zip(hull, hull[1:] + hull[:1]):
        nx, ny = b[1] - a[1], a[0] - b[0]  # a normal of the edge; turned to point outwards
        if nx * (cx - a[0]) + ny * (cy - a[1]) > 0:
            nx, ny = -nx, -ny
        num = nx * (p[0] - a[0]) + ny * (p[1] - a[1])  # > 0: p is outside this edge
        den = nx * dx + ny * dy
        if abs(den) < 1e-12:
            if num > 0:
                return None
            continue
        t = -num / den
        if den < 0:
            t_in = max(t_in, t)
        else:
            t_out = min(t_out, t)
    return (t_in, t_out) if t_in <= t_out else None


def _center(hull: list[Point]) -> Point:
    box = BBox.around(hull)
    return (box.center_x, box.center_y)


def link_ends(a: list[Point], b: list[Point]) -> tuple[Point, Point, float]:
    """Where the line between two outlines' centres leaves the first and enters the second,
    and the signed length between (negative where the outlines overlap)."""
    p, q = _center(a), _center(b)
    span_a, span_b = _segment_span(a, p, q), _segment_span(b, p, q)
    t0 = span_a[1] if span_a else 0.0
    t1 = span_b[0] if span_b else 1.0
    return ((p[0] + (q[0] - p[0]) * t0, p[1] + (q[1] - p[1]) * t0),
            (p[0] + (q[0] - p[0]) * t1, p[1] + (q[1] - p[1]) * t1),
            (t1 - t0) * math.hypot(q[0] - p[0], q[1] - p[1]))


def convex_overlap(a: list[Point], b: list[Point]) -> bool:
    """Whether two convex polygons' interiors meet (separating axis test)."""
    for poly in (a, b):
        for (ax, ay), (bx, by) in zip(poly, poly[1:] + poly[:1]):
            nx, ny = by - ay, ax - bx
            if nx == 0 and ny == 0:
                continue
            pa = [nx * x + ny * y for x, y in a]
            pb = [nx * x + ny * y for x, y in b]
            if max(pa) <= min(pb) or max(pb) <= min(pa):
                return False
    return True


def rect(box: BBox) -> list[Point]:
    return [(box.x0, box.y0), (box.x1, box.y0), (box.x1, box.y1), (box.x0, box.y1)]


def thick_segment(p: Point, q: Point, width: float) -> list[Point]:
    """A segment as a thin rectangle of ``width`` (a stroke, for overlap tests)."""
    length = math.hypot(q[0] - p[0], q[1] - p[1]) or 1.0
    nx, ny = -(q[1] - p[1]) / length * width / 2, (q[0] - p[0]) / length * width / 2
    return [(p[0] + nx, p[1] + ny), (q[0] + nx, q[1] + ny), (q[0] - nx, q[1] - ny), (p[0] - nx, p[1] - ny)]


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


def filter_window(spec: AlexnetSpec, fb: Box3) -> list[Point3]:
    """The filter's window on the visible H×W face."""
    if spec.look == "row":
        return [(fb.x1, fb.y0, fb.z1), (fb.x1, fb.y0, fb.z0), (fb.x1, fb.y1, fb.z0), (fb.x1, fb.y1, fb.z1)]
    return [(fb.x0, fb.y0, fb.z1), (fb.x1, fb.y0, fb.z1), (fb.x1, fb.y1, fb.z1), (fb.x0, fb.y1, fb.z1)]


# --- labels -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Spot:
    """Where a label may go: beside ``point`` on the page, on the side ``direction`` (a unit
    vector); ``gap`` is the gap between layers that widening would give it room."""

    point: Point
    direction: Point
    gap: int | None = None


def _unit(dx: float, dy: float) -> Point:
    length = math.hypot(dx, dy)
    return (dx / length, dy / length) if length > 1e-12 else (0.0, 1.0)


def edge_spot(a: Point, b: Point, centre: Point, gap: int | None, t: float = 0.5) -> Spot:
    """A spot beside the point at ``t`` along the page edge a-b, on the side away from ``centre``."""
    p = (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
    nx, ny = _unit(b[1] - a[1], a[0] - b[0])
    if nx * (p[0] - centre[0]) + ny * (p[1] - centre[1]) < 0:
        nx, ny = -nx, -ny
    return Spot(p, (nx, ny), gap)


class Obstacles:
    """Convex page polygons in a grid of cells, so a label tests only its neighbours."""

    def __init__(self, cell: float) -> None:
        self.cell = cell
        self.items: list[tuple[BBox, list[Point]]] = []
        self.cells: dict[tuple[int, int], list[int]] = {}
        self.large: list[int] = []  # polygons over too many cells: tested always

    def _span(self, box: BBox) -> tuple[range, range]:
        c = self.cell
        return (range(math.floor(box.x0 / c), math.floor(box.x1 / c) + 1),
                range(math.floor(box.y0 / c), math.floor(box.y1 / c) + 1))

    def add(self, polygon: list[Point]) -> None:
        box = BBox.around(polygon)
        k = len(self.items)
        self.items.append((box, polygon))
        xs, ys = self._span(box)
        if len(xs) * len(ys) > 400:
            self.large.append(k)
            return
        for cx in xs:
            for cy in ys:
                self.cells.setdefault((cx, cy), []).append(k)

    def hit(self, box: BBox, pad: float) -> bool:
        """Whether ``box`` grown by ``pad`` meets any polygon's interior."""
        grown = box.grow(pad)
        xs, ys = self._span(grown)
        near = {k for cx in xs for cy in ys for k in self.cells.get((cx, cy), ())}
        corners = rect(grown)
        return any(self.items[k][0].overlaps(grown) and convex_overlap(corners, self.items[k][1])
                   for k in sorted(near.union(self.large)))


@dataclass
class Labeller:
    """Places labels clear of convex ``obstacles`` (page polygons) and of each other."""

    theme: Theme
    size: float
    obstacles: Obstacles
    crowded: dict[int, float] = field(default_factory=dict)
    leaders: dict[int, list[Path]] = field(default_factory=dict)
    near_steps: int = 2
    far_steps: int = 24

    @property
    def family(self) -> str:
        return self.theme.text.family

    def _candidate(self, text: str, spot: Spot, step: int, width: float, height: float) -> tuple[BBox, float, float]:
        dx, dy = spot.direction
        reach = self.size * 0.35 + step * height * 0.6 + abs(dx) * width / 2 + abs(dy) * height / 2
        cx, cy = spot.point[0] + dx * reach, spot.point[1] + dy * reach
        baseline = baseline_for_center(cy, self.size, self.family)
        return text_box(text, cx, baseline, self.size, self.family, "middle"), cx, baseline

    def clear(self, box: BBox) -> bool:
        return not self.obstacles.hit(box, self.size * 0.2)

    def place(self, layer: int, text: str, spots: list[Spot], cls: str, leader_to: Point | None = None) -> Text:
        width = text_width(text, self.size, self.family)
        height = text_box(text, 0, 0, self.size, self.family).height
        found: tuple[BBox, float, float, Spot] | None = None
        for step in range(self.near_steps):
            for spot in spots:
                box, x, baseline = self._candidate(text, spot, step, width, height)
                if self.clear(box):
                    found = (box, x, baseline, spot)
                    break
            if found:
                break
        if found is None:
            gap = spots[0].gap
            if gap is not None:
                self.crowded[gap] = max(self.crowded.get(gap, 0.0), width + self.size)
            for step in range(self.near_steps, self.far_steps):
                for spot in spots:
                    box, x, baseline = self._candidate(text, spot, step, width, height)
                    if self.clear(box):
                        found = (box, x, baseline, spot)
                        leader_to = leader_to or spot.point
                        break
                if found:
                    break
        step = self.far_steps
        while found is None:  # on outwards from the first spot: past everything, it is clear
            box, x, baseline = self._candidate(text, spots[0], step, width, height)
            if self.clear(box) or step > 1e9:
                found = (box, x, baseline, spots[0])
                leader_to = leader_to or spots[0].point
            step += 1 + step // 4  # growing steps: a huge figure is left in a few dozen
        box, x, baseline, _ = found
        self.obstacles.add(rect(box))
        if leader_to is not None:
            self._leader(layer, box, leader_to)
        return Text(x, baseline, text, self.size, self.family, self.theme.text.color, "middle", box, cls)

    def _leader(self, layer: int, box: BBox, target: Point) -> None:
        """A thin line from the label's nearest side to the point it names."""
        near = (min(max(target[0], box.x0), box.x1), min(max(target[1], box.y0), box.y1))
        if math.hypot(near[0] - target[0], near[1] - target[1]) < self.size * 0.5:
            return
        gap = self.size * 0.15
        ux, uy = _unit(target[0] - near[0], target[1] - near[1])
        start = (near[0] + ux * gap, near[1] + uy * gap)
        width = self.theme.volume.stroke_width * 0.6
        path = Path(polyline((start, target)), BBox.around([start, target]), stroke=self.theme.text.color,
                    stroke_width=width, cls="leader")
        self.leaders.setdefault(layer, []).append(path)
        self.obstacles.add(thick_segment(start, target, width + self.size * 0.1))


def volume_spots(spec: AlexnetSpec, box: Box3, camera: Camera, i: int, count: int) -> dict[str, list[Spot]]:
    """Candidate spots of a volume's three dimension labels, each beside the edge it names."""
    x0, y0, x1, y1, z0, z1 = box.x0, box.y0, box.x1, box.y1, box.z0, box.z1
    p = camera.project
    hull = outline(box, camera)
    centre = _center(hull)
    before = i - 1 if i > 0 else None
    after = i if i + 1 < count else None
    # the height: beside the front face's left edge, at its middle or nearer an end
    left = [edge_spot(p((x0, y0, z1)), p((x0, y1, z1)), centre, before, t)
            for t in (0.5, 0.3, 0.7, 0.15, 0.85, 1.1, -0.1)]
    # along the row and across: the front face's bottom edge and the receding edges
    bottom = edge_spot(p((x0, y0, z1)), p((x1, y0, z1)), centre, None)
    top_back = edge_spot(p((x0, y1, z0)), p((x1, y1, z0)), centre, None)
    low_right = [edge_spot(p((x1, y0, z1)), p((x1, y0, z0)), centre, after, t) for t in (0.5, 0.3, 0.7)]
    top_left = [edge_spot(p((x0, y1, z1)), p((x0, y1, z0)), centre, before, t) for t in (0.5, 0.3, 0.7)]
    if spec.look == "row":  # x: channels, z: width
        return {"height": left, "depth": [bottom, top_back], "width": top_left + low_right}
    return {"height": left, "width": [bottom, top_back], "depth": low_right + top_left}


def _column_extent(hull: list[Point], x: float) -> tuple[float, float]:
    """The top and bottom of an outline at page x (its box's where x misses it)."""
    span = _segment_span(hull, (x, -1e9), (x, 1e9))
    if span is None:
        box = BBox.around(hull)
        return box.y0, box.y1
    return -1e9 + 2e9 * span[0], -1e9 + 2e9 * span[1]


def label_groups(spec: AlexnetSpec, theme: Theme, placed: list[Placed], camera: Camera,
                 labeller: Labeller, walls: list[tuple[float, float, float]] | None = None) -> list[Group]:
    """Dimension labels (with ``dims``), filter sizes (with ``filter_dims``) and captions."""
    out = []
    count = len(placed)
    for i, (layer, here) in enumerate(zip(spec.layers, placed)):
        texts: list[Text] = []
        box = here.box
        hull = outline(box, camera)
        cx = _center(hull)[0]
        box_x0, box_x1 = min(q[0] for q in hull), max(q[0] for q in hull)
        top, bottom = _column_extent(hull, cx)
        if spec.labels and layer.label is not None:
            above = [Spot((cx, top), (0.0, -1.0))]
            half = text_width(layer.label, labeller.size, labeller.family) / 2 + labeller.size * 0.4
            for wx, _, reach in walls or ():  # beside a skip arc's leg that rises from this layer
                if box_x0 <= wx <= box_x1:
                    above += [Spot((x, _column_extent(hull, x)[0]), (0.0, -1.0))
                              for x in (wx - reach - half, wx + reach + half)]
            texts.append(labeller.place(i, layer.label, above, "caption"))
        if spec.filter_dims and here.filter_box is not None and isinstance(layer, Volume):
            assert layer.filter is not None
            window = [camera.project(q) for q in filter_window(spec, here.filter_box)]
            wx = sum(q[0] for q in window) / 4
            wtop = min(q[1] for q in window)
            wbottom = max(q[1] for q in window)
            column_top, column_bottom = _column_extent(hull, wx)
            text = f"{layer.filter[0]}x{layer.filter[1]}"
            target_top, target_bottom = (wx, wtop), (wx, wbottom)
            label = labeller.place(i, text, [Spot((wx, column_top), (0.0, -1.0)),
                                             Spot((wx, column_bottom), (0.0, 1.0))], "dim filter")
            # the leader runs from the label to the window's nearer side
            labeller._leader(i, label.box, target_top if label.box.y1 <= wtop else target_bottom)
            texts.append(label)
        if spec.dims:
            if isinstance(layer, Volume):
                spots = volume_spots(spec, box, camera, i, count)
                for name in ("height", "width", "depth"):
                    value = getattr(layer, name)
                    texts.append(labeller.place(i, str(value), spots[name], f"dim {name}"))
            else:
                texts.append(labeller.place(i, str(layer.size), [Spot((cx, bottom), (0.0, 1.0)),
                                                                 Spot((cx, top), (0.0, -1.0))], "dim size"))
        children: list[Primitive | Group] = []
        children.extend(labeller.leaders.pop(i, []))
        children.extend(texts)
        if children:
            out.append(Group(f"labels-{i}", "labels", children))
    return out


# --- the figure ---------------------------------------------------------------------------

@dataclass
class Drawn:
    scene: Scene
    crowded: dict[int, float]
    placed: list[Placed]


def draw(spec: AlexnetSpec, theme: Theme, camera: Camera, extra: list[float]) -> Drawn:
    if spec.look == "row":
        placed = layout_row(spec, camera, extra)
    else:
        placed = layout(spec, label_room(spec, theme), extra)
    if spec.levels is not None:
        placed = leveled(spec, placed, camera, theme)
    hulls = [outline(p.box, camera) for p in placed]
    extent = BBox.around([q for hull in hulls for q in hull])
    least = max(MIN_FILTER, MIN_FILTER_SHARE * max(extent.width, extent.height))
    place_filters(spec, placed, random.Random(spec.seed), least)
    volume = theme.volume
    obstacles: list[list[Point]] = list(hulls)
    crowded: dict[int, float] = {}
    groups: dict[int, Group] = {}
    after_faces: dict[int, list[Primitive]] = {i: [] for i in range(len(placed))}
    links: dict[int, list[Primitive]] = {i: [] for i in range(len(placed))}  # between i and i + 1
    between = links if spec.look == "row" else after_faces  # cubes: in the layer, as 1.x drew it
    before: dict[int, list[Primitive]] = {i: [] for i in range(len(placed))}
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
        shortest = max(theme.arrow.length * 2.5, MIN_ARROW)
        gap = min(q[0] for q in hulls[i + 1]) - max(q[0] for q in hulls[i])  # the outlines' gap on the page
        if min(gap, length) < shortest:  # too short for its head, or the outlines overlap
            crowded[i] = shortest + theme.arrow.length - min(gap, length, 0.0)
        if gap <= 0 or length < 1e-9:
            continue
        paths = straight_arrow(start, end, theme.link.color, shaft, theme, "arrow")
        if spec.look == "row":
            links[i].extend(paths)
        else:
            before[i + 1][:0] = paths
        head = paths[1].extent
        obstacles.append(thick_segment(start, end, shaft + 0.5))
        obstacles.append(rect(head))

    order = back_to_front([p.box for p in placed], camera)
    for i in order:
        layer, here = spec.layers[i], placed[i]
        group = Group(f"layer-{i}", "layer")
        group.children.extend(before[i])
        kind = "volume" if isinstance(layer, Volume) else "dense"
        group.children.extend(box_faces(here.box, camera, layer.fill or volume.fill, volume.stroke,
                                        volume.stroke_width, volume.opacity, volume.shade, kind))
        if i == 0 and spec.image is not None:
            group.add(image_on_face(spec, image_corners(spec, here.box, camera)))
            if here.filter_box is not None:  # the window stays visible on the picture
                window = filter_window(spec, here.filter_box)
                group.add(Polygon(tuple(camera.project(p) for p in window), "none", theme.filter.stroke,
                                  theme.filter.window_stroke_width, 1.0, "filter window"))
        group.children.extend(after_faces[i])
        groups[i] = group

    scene = Scene("alexnet", theme.background, theme.margin,
                  title="alexnet " + " ".join(layer.token for layer in spec.layers))
    legend_entries(spec, theme, groups, scene, links)
    for k, i in enumerate(order):  # the links between two layers are painted between them
        scene.groups.append(groups[i])
        if links[i]:
            assert k + 1 < len(order) and order[k + 1] == i + 1  # the camera sees the +x faces
            children: list[Primitive | Group] = list(links[i])
            scene.groups.append(Group(f"link-{i}", "link", children))
    seen = skips.Obstacles()
    seen.boxes += [BBox.around(polygon) for polygon in obstacles]
    placement = Placement(tuple(port(hull) for hull in hulls), tuple(BBox.around(h) for h in hulls), seen)

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

    decorate(scene, spec.graph(), placement, theme, caption)
    return Drawn(scene, crowded, placed)


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
        return _column_extent(hull, x)[0]

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
