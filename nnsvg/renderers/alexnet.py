"""AlexNet: 3D volumes (height × width × channels) and dense boxes, under an orthographic
camera (NN-SVG's AlexNet style, as a real vector drawing).

World axes: x runs along the layers (a volume's width), y up (its height), z towards the
viewer (its channels recede from the front face at z = 0). Each visible face is one polygon.
Painting is back to front: layers in camera order; inside a layer, the pyramid piece that
arrives, the filter box, the inner piece of the outgoing pyramid, then the volume's faces and
the outgoing pyramid's piece between the volumes (pyramids are clipped at the volumes' planes).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from .. import colors
from ..errors import SpecError
from ..geometry import (
    BBox,
    Box3,
    Camera,
    Point3,
    affine_map,
    back_to_front,
    baseline_for_center,
    clip_polygon,
    text_box,
    text_width,
)
from ..scene import Group, Image, Path, Polygon, Scene, Text
from ..spec.alexnet import AlexnetSpec, Volume
from ..spec.tokens import Dense
from ..theme import Theme
from .arrows import straight_arrow

DENSE_THICKNESS = 8.0  # width and depth of a dense box
MAX_EXTENT = 1e6  # world units: refuse linear scales that would draw kilometres


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


def label_room(spec: AlexnetSpec, theme: Theme) -> list[float]:
    """The least space in each gap that holds its dimension labels: the depth label of the layer
    before and the height label of the layer after both sit in it (world units along x)."""
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


def layout(spec: AlexnetSpec, room: list[float] | None = None) -> list[Placed]:
    room = room or [0.0] * len(spec.layers)
    x = 0.0
    out = []
    for i, layer in enumerate(spec.layers):
        if isinstance(layer, Volume):
            w = _size(layer.width, spec.side_size, spec.side_scale)
            h = _size(layer.height, spec.side_size, spec.side_scale)
            d = _size(layer.depth, spec.depth_size, spec.depth_scale)
        else:
            w = d = DENSE_THICKNESS
            h = _size(layer.size, spec.side_size, spec.side_scale)
        if max(w, h, d) > MAX_EXTENT:
            raise SpecError(f"layer {i + 1}: '{layer.token}' would be {max(w, h, d):,.0f} units "
                            "long; use log sizes or a smaller scale")
        out.append(Placed(i, Box3(x, -h / 2, -d, x + w, h / 2, 0.0)))
        x += w + max(spec.spacing, room[i] if i < len(room) else 0.0)
    return out


def place_filters(spec: AlexnetSpec, placed: list[Placed], rng: random.Random) -> None:
    """A filter box on each volume that has a filter and a next layer: its window on the
    front face (seeded position, within ±0.4 of the face as NN-SVG), through the full depth."""
    for i, layer in enumerate(spec.layers[:-1]):
        if not isinstance(layer, Volume) or layer.filter is None:
            continue
        box = placed[i].box
        w, h = box.x1 - box.x0, box.y1 - box.y0
        fw = min(filter_side(layer.filter[1], spec), w * 0.9)
        fh = min(filter_side(layer.filter[0], spec), h * 0.9)
        if spec.filter_position == "center":
            u = v = 0.5
        else:
            u, v = 0.1 + 0.8 * rng.random(), 0.1 + 0.8 * rng.random()
        fx = box.x0 + (w - fw) * u
        fy = box.y0 + (h - fh) * v
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


def relative_apex(source: Box3, volume: Box3, target: Box3) -> Point3:
    """The point on the target's front face at the filter's relative position."""
    ry = ((source.y0 + source.y1) / 2 - volume.y0) / (volume.y1 - volume.y0)
    rx = ((source.x0 + source.x1) / 2 - volume.x0) / (volume.x1 - volume.x0)
    return (target.x0 + rx * (target.x1 - target.x0), target.y0 + ry * (target.y1 - target.y0), target.z1)


def pyramid_pieces(source: Box3, volume: Box3, target: Box3, camera: Camera,
                   theme: Theme) -> tuple[list[Polygon], list[Polygon], list[Polygon]]:
    """The pyramid clipped into the piece inside this volume, between the volumes, and inside
    the next one; back-facing triangles first within each piece."""
    apex = relative_apex(source, volume, target)
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
            if len(poly) >= 3:
                bucket.append(Polygon(tuple(camera.project(p) for p in poly), style.fill, style.stroke,
                                      style.stroke_width, 1.0, "pyramid", fill_opacity=style.opacity))
    return pieces


def arrow(start: Point3, end: Point3, camera: Camera, theme: Theme) -> list[Path]:
    """An arrow between two world points, drawn on the page."""
    return straight_arrow(camera.project(start), camera.project(end), theme.link.color,
                          theme.link.width * theme.arrow.shaft_scale, theme, "arrow")


def image_on_front(spec: AlexnetSpec, box: Box3, camera: Camera) -> Image:
    picture = spec.image
    assert picture is not None
    tl = camera.project((box.x0, box.y1, box.z1))
    tr = camera.project((box.x1, box.y1, box.z1))
    bl = camera.project((box.x0, box.y0, box.z1))
    br = camera.project((box.x1, box.y0, box.z1))
    src = ((0.0, 0.0), (float(picture.width), 0.0), (0.0, float(picture.height)))
    dst = (tr, tl, br) if spec.image_flip else (tl, tr, bl)
    matrix = affine_map(src, dst)
    return Image(picture.uri, picture.width, picture.height, matrix, spec.image_opacity,
                 BBox.around([tl, tr, bl, br]), "input-image")


# --- labels -------------------------------------------------------------------------------

class LabelPlacer:
    """Places labels at the first of their candidate spots that is clear of every label placed
    so far and of the other layers' shapes; failing that, the first clear of labels; failing
    that, the first spot moved down until it is clear of labels."""

    def __init__(self, theme: Theme, size: float, shapes: list[BBox]) -> None:
        self.theme, self.size = theme, size
        self.family = theme.text.family
        self.placed: list[BBox] = []
        self.shapes = shapes  # one box per layer
        self.layer = -1  # the layer being labelled: its own shape is no obstacle

    def _text(self, text: str, x: float, baseline: float, anchor: str, cls: str) -> Text:
        box = text_box(text, x, baseline, self.size, self.family, anchor)
        return Text(x, baseline, text, self.size, self.family, self.theme.text.color, anchor, box, cls)

    def place(self, text: str, spots: list[tuple[float, float, str]], cls: str) -> Text:
        pad = self.size * 0.2
        others = [b for k, b in enumerate(self.shapes) if k != self.layer]
        labels = [self._text(text, x, baseline, anchor, cls) for x, baseline, anchor in spots]
        clear = [t for t in labels if not any(t.box.overlaps(b, pad) for b in self.placed)]
        free = [t for t in clear if not any(t.box.overlaps(b) for b in others)]
        if free or clear:
            label = (free or clear)[0]
        else:
            x, baseline, anchor = spots[0]
            label = self._text(text, x, baseline, anchor, cls)
            while any(label.box.overlaps(b, pad) for b in self.placed):
                baseline += self.size * 0.5
                label = self._text(text, x, baseline, anchor, cls)
        self.placed.append(label.box)
        return label


def volume_labels(layer: Volume, box: Box3, camera: Camera, placer: LabelPlacer) -> list[Text]:
    """Height beside the front face's left edge, width under its bottom edge, depth beside the
    receding bottom-right edge (else the top-left one); each at the middle of its edge."""
    size, family = placer.size, placer.family
    gap = size * 0.35
    x0, y0, x1, y1, z0, z1 = box.x0, box.y0, box.x1, box.y1, box.z0, box.z1
    hx, hy = camera.project((x0, (y0 + y1) / 2, z1))
    wx, wy = camera.project(((x0 + x1) / 2, y0, z1))
    dx, dy = camera.project((x0, y1, (z0 + z1) / 2))
    rx, ry = camera.project((x1, y0, (z0 + z1) / 2))
    asc = text_box("0", 0, 0, size, family).y0  # negative: the ascent
    out = [
        placer.place(str(layer.height), [(hx - gap, baseline_for_center(hy, size, family), "end"),
                                         (hx + gap, baseline_for_center(hy, size, family), "start")],
                     "dim height"),  # outside the left edge, else just inside the front face
        placer.place(str(layer.width), [(wx, wy + gap - asc, "middle"), (wx, wy + 2.5 * size, "middle")],
                     "dim width"),
        placer.place(str(layer.depth), [(rx + gap, ry + gap - asc * 0.5, "start"), (dx - gap, dy - gap, "end"),
                                        (rx + gap, ry + size * 1.5, "start")], "dim depth"),
    ]
    return out


def render(spec: AlexnetSpec, theme: Theme) -> Scene:
    camera = Camera(spec.view[0], spec.view[1])
    placed = layout(spec, label_room(spec, theme))
    place_filters(spec, placed, random.Random(spec.seed))
    volume = theme.volume
    groups: dict[int, Group] = {}
    after_faces: dict[int, list[object]] = {i: [] for i in range(len(placed))}
    before: dict[int, list[object]] = {i: [] for i in range(len(placed))}
    for i, here in enumerate(placed[:-1]):
        there = placed[i + 1]
        if here.filter_box is not None:
            f = theme.filter
            before[i].extend(box_faces(here.filter_box, camera, f.fill, f.stroke, f.stroke_width, f.opacity, 0,
                                       "filter"))
            inner, middle, beyond = pyramid_pieces(here.filter_box, here.box, there.box, camera, theme)
            before[i].extend(inner)
            after_faces[i].extend(middle)
            before[i + 1][:0] = beyond
        if isinstance(spec.layers[i + 1], Dense):  # centre of this right face to the next left face
            start = (here.box.x1, 0.0, (here.box.z0 + here.box.z1) / 2)
            end = (there.box.x0, 0.0, (there.box.z0 + there.box.z1) / 2)
            before[i + 1][:0] = arrow(start, end, camera, theme)

    for i in back_to_front([p.box for p in placed], camera):
        layer, here = spec.layers[i], placed[i]
        group = Group(f"layer-{i}", "layer")
        group.children.extend(before[i])  # type: ignore[arg-type]
        kind = "volume" if isinstance(layer, Volume) else "dense"
        group.children.extend(box_faces(here.box, camera, layer.fill or volume.fill, volume.stroke,
                                        volume.stroke_width, volume.opacity, volume.shade, kind))
        if i == 0 and spec.image is not None:
            group.add(image_on_front(spec, here.box, camera))
            if here.filter_box is not None:  # the window stays visible on the picture
                fb = here.filter_box
                window = [(fb.x0, fb.y0, fb.z1), (fb.x1, fb.y0, fb.z1), (fb.x1, fb.y1, fb.z1), (fb.x0, fb.y1, fb.z1)]
                group.add(Polygon(tuple(camera.project(p) for p in window), "none", theme.filter.stroke,
                                  theme.filter.window_stroke_width, 1.0, "filter window"))
        group.children.extend(after_faces[i])  # type: ignore[arg-type]
        groups[i] = group

    scene = Scene("alexnet", theme.background, theme.margin,
                  title="alexnet " + " ".join(layer.token for layer in spec.layers))
    scene.groups.extend(groups[i] for i in back_to_front([p.box for p in placed], camera))
    scene.groups.extend(label_groups(spec, theme, placed, camera))
    return scene


def label_groups(spec: AlexnetSpec, theme: Theme, placed: list[Placed], camera: Camera) -> list[Group]:
    """Dimension labels (with ``dims``), filter sizes (with ``filter_dims``) and any per-layer
    captions, all above the shapes, none overlapping another."""
    shapes = [BBox.around([camera.project(p) for p in here.box.corners()]) for here in placed]
    placer = LabelPlacer(theme, theme.text.size * spec.font_scale, shapes)
    size = placer.size
    out = []
    for i, (layer, here) in enumerate(zip(spec.layers, placed)):
        placer.layer = i
        texts: list[Text] = []
        box = here.box
        if spec.labels and layer.label is not None:
            corners = [camera.project(p) for p in box.corners()]
            top = min(y for _, y in corners)
            cx = sum(x for x, _ in corners) / 8
            texts.append(placer.place(layer.label, [(cx, top - size * 0.6, "middle")], "caption"))
        if spec.dims:
            if isinstance(layer, Volume):
                texts.extend(volume_labels(layer, box, camera, placer))
            else:
                bx, by = camera.project(((box.x0 + box.x1) / 2, box.y0, box.z1))
                asc = text_box("0", 0, 0, size, placer.family).y0
                texts.append(placer.place(str(layer.size), [(bx, by + size * 0.35 - asc, "middle")], "dim size"))
        if spec.filter_dims and here.filter_box is not None and isinstance(layer, Volume):
            fb = here.filter_box
            fx, fy = camera.project((fb.x0, fb.y1, fb.z1))
            assert layer.filter is not None
            text = f"{layer.filter[0]}x{layer.filter[1]}"
            texts.append(placer.place(text, [(fx, fy - size * 0.3, "start"), (fx, fy + size * 1.2, "start")],
                                      "dim filter"))
        if texts:
            out.append(Group(f"labels-{i}", "labels", list(texts)))
    return out
