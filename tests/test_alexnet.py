"""The AlexNet renderer: faces, painting order, labels, the input image, errors."""

from __future__ import annotations

import itertools
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import nnsvg
from nnsvg.geometry import BBox, apply_affine

from . import corpus
from .conftest import REPO, assert_clear, find, layer_group, parse

ALEXNET = ["224x224x3:11x11", "55x55x96:5x5", "27x27x256:3x3", "13x13x384:3x3", "13x13x384:3x3",
           "13x13x256", 4096, 4096, 1000]
DIGIT = REPO / "gallery" / "digit-3.png"
Cli = Callable[..., tuple[int, str, str]]


def polygons(root: object, kind: str) -> list[object]:
    return [p for p in find(root, "polygon") if kind in (p.get("class") or "").split()]  # type: ignore[arg-type]


def points(polygon: object) -> list[tuple[float, float]]:
    values = [float(v) for v in re.split(r"[ ,]", polygon.get("points").strip())]  # type: ignore[union-attr]
    return list(zip(values[::2], values[1::2]))


def test_each_visible_face_is_one_polygon() -> None:
    root = parse(nnsvg.alexnet(ALEXNET).svg())
    assert len(polygons(root, "volume")) == 6 * 3  # front, right, top of six volumes
    assert len(polygons(root, "dense")) == 3 * 3
    for polygon in polygons(root, "volume") + polygons(root, "dense"):
        assert len(points(polygon)) == 4  # a quadrilateral, never triangles
    for i in range(9):
        faces = [(p.get("class") or "").split()[-1] for p in find(layer_group(root, i), "polygon")
                 if (p.get("class") or "").split()[0] in ("volume", "dense")]
        assert faces == ["front", "right", "top"]
    assert [g.get("id") for g in find(root, "g") if (g.get("id") or "").startswith("layer-")] == \
        [f"layer-{i}" for i in range(9)]


def test_elevation_zero_hides_top_faces() -> None:
    root = parse(nnsvg.alexnet(ALEXNET, view=[30, 0]).svg())
    assert len(polygons(root, "volume")) == 6 * 2


def test_filters_and_pyramids() -> None:
    root = parse(nnsvg.alexnet(ALEXNET).svg())
    # a filter box on each of the five volumes with a filter and a next layer
    filtered = [i for i in range(9) if [p for p in find(layer_group(root, i), "polygon")
                                          if "filter" in (p.get("class") or "").split()]]
    assert filtered == [0, 1, 2, 3, 4]
    assert len(polygons(root, "pyramid")) >= 5 * 4
    root = parse(nnsvg.alexnet(["32x32x3", "28x28x8", 10]).svg())
    assert polygons(root, "pyramid") == [] and polygons(root, "filter") == []


def test_pyramid_pieces_are_painted_around_the_volume_faces() -> None:
    root = parse(nnsvg.alexnet(["32x32x3:5x5", "28x28x8", 10], look="cubes").svg())
    classes = [(p.get("class") or "").split()[0] for p in find(layer_group(root, 0), "polygon")]
    first_face = classes.index("volume")
    assert "filter" in classes[:first_face]  # the filter box is inside: painted first
    assert "pyramid" in classes[:first_face] and "pyramid" in classes[first_face:]  # clipped
    # the row look: the rod inside, the whole pyramid between the volumes, in its own group
    # painted between the two layers
    root = parse(nnsvg.alexnet(["32x32x3:5x5", "28x28x8", 10]).svg())
    classes = [(p.get("class") or "").split()[0] for p in find(layer_group(root, 0), "polygon")]
    assert "filter" in classes[:classes.index("volume")] and "pyramid" not in classes
    ids = [g.get("id") for g in find(root, "g") if (g.get("id") or "")[:5] in ("layer", "link-")]
    assert ids == ["layer-0", "link-0", "layer-1", "link-1", "layer-2"]
    link = next(g for g in find(root, "g") if g.get("id") == "link-0")
    assert [p.get("class") for p in find(link, "polygon")] == ["pyramid"] * 4


def test_seeded_filter_positions() -> None:
    def filters(seed: int, position: str = "seeded") -> list[str]:
        root = parse(nnsvg.alexnet(ALEXNET, seed=seed, filter_position=position).svg())
        return [p.get("points") for p in polygons(root, "filter")]
    assert filters(1) == filters(1) and filters(1) != filters(2)
    assert filters(1, "center") == filters(2, "center")


def test_dims_labels_are_real_text_on_the_right_edges() -> None:
    diagram = nnsvg.alexnet(["224x224x3", "55x55x96", 1000], dims=True, look="cubes")
    root = parse(diagram.svg())
    texts = {(t.get("class"), t.text) for t in find(root, "text")}
    assert {("dim height", "224"), ("dim width", "224"), ("dim depth", "3"), ("dim height", "55"),
            ("dim depth", "96"), ("dim size", "1000")} <= texts
    front = next(p for p in find(layer_group(root, 1), "polygon") if (p.get("class") or "").endswith("front"))
    xs, ys = zip(*points(front))
    height = next(t for t in find(root, "text") if t.get("class") == "dim height" and t.text == "55")
    width = next(t for t in find(root, "text") if t.get("class") == "dim width" and t.text == "55")
    assert float(height.get("x")) < min(xs)  # beside the left vertical edge
    assert min(ys) < float(height.get("y")) < max(ys)
    assert float(width.get("y")) > max(ys) - 5  # under the bottom edge
    assert min(xs) < float(width.get("x")) < max(xs)


@pytest.mark.parametrize("view", [[21, 21.4], [35, 20], [5, 0], [80, 60], [45, 45]])
def test_labels_never_overlap_or_clip(view: list[float]) -> None:
    diagram = nnsvg.alexnet(ALEXNET, dims=True, filter_dims=True, view=view, font_scale=1.5)
    assert len(assert_clear(diagram)) == 6 * 3 + 3 + 5


def test_font_size_from_theme_and_scale() -> None:
    root = parse(nnsvg.alexnet(ALEXNET, dims=True, font_scale=2, set={"text.size": 9}).svg())
    assert {t.get("font-size") for t in find(root, "text")} == {"18"}


def test_input_image_is_mapped_onto_the_front_face(tmp_path: Path) -> None:
    diagram = nnsvg.alexnet(["28x28x1:5x5", "24x24x8", 10], input_image=str(DIGIT), image_opacity=0.6, look="cubes")
    root = parse(diagram.svg())
    images = find(root, "image")
    assert len(images) == 1
    image = images[0]
    href = image.get("{http://www.w3.org/1999/xlink}href") or image.get("href")
    assert href.startswith("data:image/png;base64,")
    assert image.get("opacity") == "0.6"
    matrix = tuple(float(v) for v in re.findall(r"-?[\d.e+-]+", image.get("transform")))
    w, h = float(image.get("width")), float(image.get("height"))
    front = next(p for p in find(layer_group(root, 0), "polygon") if (p.get("class") or "") == "volume front")
    bl, br, tr, tl = points(front)  # the front face runs (x0,y0) (x1,y0) (x1,y1) (x0,y1)
    for corner, expected in (((0, 0), tl), ((w, 0), tr), ((0, h), bl), ((w, h), br)):
        assert apply_affine(matrix, corner) == pytest.approx(expected, abs=0.01)
    flipped = parse(nnsvg.alexnet(["28x28x1", 10], input_image=str(DIGIT), image_flip=True).svg())
    matrix = tuple(float(v) for v in re.findall(r"-?[\d.e+-]+", find(flipped, "image")[0].get("transform")))
    assert matrix[0] < 0  # mirrored left to right


def test_input_image_renders_in_png(tmp_path: Path) -> None:
    from PIL import Image as PILImage

    path = nnsvg.alexnet(["28x28x1", 10], input_image=str(DIGIT), image_opacity=1.0).save(tmp_path / "a.png", scale=2)
    with PILImage.open(path) as im:
        colours = im.convert("L").getcolors(1 << 20)
    assert min(v for _, v in colours) < 40  # the black digit background is drawn


@pytest.mark.parametrize(("content", "message"), [
    (None, "cannot read"),
    (b"not an image at all", "is not a PNG or JPEG image"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 4, "is a PNG cut short"),
])
def test_bad_input_images(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "cat.png"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(nnsvg.SpecError, match=message):
        nnsvg.alexnet(["28x28x1", 10], input_image=str(path)).svg()


def test_jpeg_input(tmp_path: Path) -> None:
    from PIL import Image as PILImage

    path = tmp_path / "cat.jpg"
    PILImage.new("RGB", (40, 30), (200, 100, 50)).save(path)
    root = parse(nnsvg.alexnet(["30x40x3", 10], input_image=str(path)).svg())
    image = find(root, "image")[0]
    assert (image.get("width"), image.get("height")) == ("40", "30")
    assert (image.get("{http://www.w3.org/1999/xlink}href") or "").startswith("data:image/jpeg;base64,")


def test_image_path_round_trips_relative_to_the_spec(tmp_path: Path) -> None:
    shutil.copy(DIGIT, tmp_path / "digit.png")
    spec_file = tmp_path / "specs" / "a.yaml"
    spec_file.parent.mkdir()
    spec_file.write_text("style: alexnet\nlayers: [28x28x1, 10]\ninput_image: ../digit.png\n")
    diagram = nnsvg.load(spec_file)
    again = tmp_path / "b.toml"
    diagram.save_spec(again)
    assert 'input_image = "digit.png"' in again.read_text()
    assert nnsvg.load(again).svg() == diagram.svg()


@pytest.mark.parametrize(("layers", "options", "message"), [
    (["224x224", 10], {}, "'224x224' is not a volume"),
    (["0x5x5", 10], {}, "'0x5x5' has height 0"),
    (["5x5x³", 10], {}, "depth '³', which is not a whole number"),
    (["5x5x5:6x6", 10], {}, "has a 6x6 filter, larger than its 5x5 volume"),
    ([10, "5x5x5"], {}, "dense layers go last"),
    (["5x5x5", 10], {"view": [90, 20]}, "azimuth must be from 1 to 89"),
    (["5x5x5", 10], {"view": [0, 20]}, "azimuth must be from 1 to 89"),
    (["1", 1], {"view": [89.99999999999999, 0]}, "azimuth must be from 1 to 89"),
    (["5x5x5", 10], {"view": [30, 61]}, "elevation must be from 0 to 60"),
    (["5x5x5", 10], {"view": [30]}, "view: expected azimuth,elevation"),
    (["5x5x5", 10], {"view": "a,b"}, "view\\[0\\]: expected a number"),
    ([10, 10], {"input_image": "x.png"}, "the first layer must be a volume"),
    (["5x5x100000", 10], {"depth_size": "linear", "depth_scale": 100}, "would be 10,000,000 units"),
])
def test_bad_input(layers: list[object], options: dict[str, object], message: str) -> None:
    with pytest.raises(nnsvg.SpecError, match=message):
        nnsvg.alexnet(layers, **options).svg()


def test_cli(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("alexnet", *ALEXNET, "--dims", "-o", tmp_path / "alexnet.pdf")
    assert code == 0, err
    code, _, err = cli("alexnet", "32x32x3:5x5", "28x28x32", "14x14x64", "10", "--view", "35,20",
                       "--theme", "paper", "-o", tmp_path / "small.svg")
    assert code == 0, err
    code, _, err = cli("alexnet", "224x224x3", "55x55x96", "27x27x256", "1000", "--input-image", DIGIT,
                       "--image-opacity", "0.6", "-o", tmp_path / "a.png")
    assert code == 0, err
    code, _, err = cli("alexnet", "5x5x5", "3", "--view", "95,20", "-o", tmp_path / "bad.svg")
    assert code == 2 and err.startswith("error: view: azimuth") and not (tmp_path / "bad.svg").exists()
    code, _, err = cli("alexnet", "5x5x5", "3", "--input-image", tmp_path / "none.png", "-o", tmp_path / "b.svg")
    assert code == 2 and "cannot read" in err and not (tmp_path / "b.svg").exists()
    spec_file = tmp_path / "a.yaml"
    assert cli("alexnet", *ALEXNET, "--dims", "--save-spec", spec_file, "-o", tmp_path / "c.svg")[0] == 0
    assert cli("render", spec_file, "-o", tmp_path / "d.svg")[0] == 0
    assert (tmp_path / "c.svg").read_bytes() == (tmp_path / "d.svg").read_bytes()


@pytest.mark.parametrize("theme", ["nnsvg", "paper", "dark", "colorblind"])
def test_every_theme(theme: str) -> None:
    diagram = nnsvg.alexnet(ALEXNET, theme=theme, dims=True)
    root = parse(diagram.svg())
    fronts = [p for p in polygons(root, "volume") if p.get("class") == "volume front"]
    assert {p.get("fill") for p in fronts} == {diagram.theme.volume.fill}
    assert {p.get("fill") for p in polygons(root, "filter")} <= {diagram.theme.filter.fill, "none"}


@pytest.mark.parametrize("suffix", [".svg", ".pdf", ".png", ".eps", ".ps"])
def test_every_format(tmp_path: Path, suffix: str) -> None:
    path = nnsvg.alexnet(ALEXNET, dims=True).save(tmp_path / f"a{suffix}")
    assert path.stat().st_size > 500


def test_deterministic() -> None:
    assert nnsvg.alexnet(ALEXNET, dims=True, seed=3).svg() == nnsvg.alexnet(ALEXNET, dims=True, seed=3).svg()


def test_the_image_is_read_while_validating_not_while_rendering(tmp_path: Path) -> None:
    """Rendering is a function of spec and theme alone: a bad image fails when the spec is made,
    and a spec made from a good image renders even after the file is gone."""
    path = tmp_path / "digit.png"
    path.write_bytes(DIGIT.read_bytes())
    (tmp_path / "notes.png").write_text("not an image")
    with pytest.raises(nnsvg.SpecError, match="not a PNG or JPEG"):
        nnsvg.alexnet(["28x28x1", 10], input_image=str(tmp_path / "notes.png"))  # no render asked for
    diagram = nnsvg.alexnet(["28x28x1", 10], input_image=str(path))
    path.unlink()
    assert len(find(parse(diagram.svg()), "image")) == 1
    assert "image" not in nnsvg.spec.to_dict(diagram.spec)


# --- NN-SVG's look: the row, links on every pair, labels clear of every shape -------------

PAPER = ALEXNET  # Krizhevsky et al. 2012, as in gallery/specs/alexnet-paper-dims.yaml
NETWORKS = {
    "nn-svg-default": ["224x224x3:11x11", "55x55x96:5x5", "27x27x256:3x3", "13x13x384:3x3", "13x13x384:3x3",
                       "13x13x256", 2048, 2048, 1000],
    "paper": PAPER,
    "vgg16": ["224x224x64:3x3", "112x112x128:3x3", "56x56x256:3x3", "28x28x512:3x3", "14x14x512:3x3",
              "7x7x512", 4096, 4096, 1000],
    "zfnet": ["224x224x3:7x7", "110x110x96:3x3", "55x55x96:5x5", "26x26x256:3x3", "13x13x256:3x3",
              "13x13x384:3x3", "13x13x384:3x3", "13x13x256", "6x6x256", 4096, 4096, 1000],
    "cifar": ["32x32x3:5x5", "28x28x32", "14x14x64", 10],
    "lenet5": ["32x32x1:5x5", "28x28x6:2x2", "14x14x6:5x5", "10x10x16:2x2", "5x5x16", 120, 84, 10],
}
VGG_PLAIN = ["224x224x64", "112x112x128", "56x56x256", "28x28x512", "14x14x512", "7x7x512", 4096, 4096, 1000]


def shapes(diagram: object) -> list[tuple[str, list[tuple[float, float]], bool]]:
    """Every drawn shape as (class, page points, closed): polygons, arrow and leader paths."""
    from nnsvg.scene import LineTo, MoveTo, Polygon
    from nnsvg.scene import Path as ScenePath

    out = []
    for prim in diagram.scene.walk():  # type: ignore[attr-defined]
        if isinstance(prim, Polygon):
            out.append((prim.cls or "", list(prim.points), True))
        elif isinstance(prim, ScenePath):
            pts = [(s.x, s.y) for s in prim.data if isinstance(s, MoveTo | LineTo)]  # type: ignore[union-attr]
            out.append((prim.cls or "", pts, prim.fill != "none"))
    return out


def _inside(p: tuple[float, float], poly: list[tuple[float, float]]) -> bool:
    hit = False
    for (ax, ay), (bx, by) in zip(poly, poly[1:] + poly[:1]):
        if (ay > p[1]) != (by > p[1]) and p[0] < ax + (p[1] - ay) * (bx - ax) / (by - ay):
            hit = not hit
    return hit


def _cross(p: tuple[float, float], q: tuple[float, float], r: tuple[float, float], s: tuple[float, float]) -> bool:
    def side(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    return side(p, q, r) * side(p, q, s) < 0 and side(r, s, p) * side(r, s, q) < 0


def text_hits(box: object, points: list[tuple[float, float]], closed: bool) -> bool:
    """Whether a shape's outline or area meets a text's box."""
    x0, y0, x1, y1 = box.x0, box.y0, box.x1, box.y1  # type: ignore[attr-defined]
    corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    if any(x0 < x < x1 and y0 < y < y1 for x, y in points):
        return True
    if closed and any(_inside(c, points) for c in corners):
        return True
    edges = list(zip(points, points[1:] + (points[:1] if closed else [])))
    return any(_cross(a, b, c, d) for a, b in edges for c, d in zip(corners, corners[1:] + corners[:1]))


def labels_on_shapes(diagram: object) -> list[str]:
    from nnsvg.scene import Text

    found = []
    drawn = shapes(diagram)
    for text in (p for p in diagram.scene.walk() if isinstance(p, Text)):  # type: ignore[attr-defined]
        for cls, points, closed in drawn:
            if text_hits(text.box, points, closed) and text.host is None:
                found.append(f"{text.text!r} ({text.cls}) on {cls}")
    return found


def outlines(diagram: object) -> list[list[tuple[float, float]]]:
    """Each layer's outline on the page: the points of its box's faces."""
    out = []
    for i in range(len(diagram.spec.layers)):  # type: ignore[attr-defined]
        group = next(g for g in diagram.scene.groups if g.id == f"layer-{i}")  # type: ignore[attr-defined]
        out.append([pt for p in group.children if (getattr(p, "cls", "") or "").split()[0] in ("volume", "dense")
                    for pt in p.points])  # type: ignore[union-attr]
    return out


def on_outline(p: tuple[float, float], points: list[tuple[float, float]], tolerance: float = 0.05) -> bool:
    """Whether p lies on the boundary of the convex hull of ``points``: inside or on every
    supporting line, and on one of them."""
    from nnsvg.renderers.alexnet_shapes import convex_hull

    hull = convex_hull(points)
    cx, cy = sum(x for x, _ in hull) / len(hull), sum(y for _, y in hull) / len(hull)
    distances = []
    for (ax, ay), (bx, by) in zip(hull, hull[1:] + hull[:1]):
        nx, ny = by - ay, ax - bx
        length = (nx * nx + ny * ny) ** 0.5
        nx, ny = nx / length, ny / length
        if nx * (cx - ax) + ny * (cy - ay) > 0:
            nx, ny = -nx, -ny
        distances.append(nx * (p[0] - ax) + ny * (p[1] - ay))  # > 0 outside this edge
    return max(distances) <= tolerance and max(distances) >= -tolerance


def arrows(diagram: object, layer: int) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The arrows (shaft start, head tip) into a layer: in the link group before it (row), or
    in its own group (cubes)."""
    from nnsvg.scene import LineTo, MoveTo
    from nnsvg.scene import Path as ScenePath

    ids = (f"link-{layer - 1}",) if diagram.spec.look == "row" else (f"layer-{layer}",)  # type: ignore[attr-defined]
    paths = [p for g in diagram.scene.groups if g.id in ids  # type: ignore[attr-defined]
             for p in g.children if isinstance(p, ScenePath) and (p.cls or "").startswith("arrow")]
    shafts = [p for p in paths if p.cls == "arrow"]
    heads = [p for p in paths if p.cls == "arrow arrowhead"]
    assert len(shafts) == len(heads)
    out = []
    for shaft, head in zip(shafts, heads):
        start = next(s for s in shaft.data if isinstance(s, MoveTo))  # type: ignore[union-attr]
        tip = [s for s in head.data if isinstance(s, MoveTo | LineTo)][1]  # type: ignore[union-attr]
        out.append(((start.x, start.y), (tip.x, tip.y)))
    return out


def pyramid_layers(diagram: object) -> list[int]:
    """The layers whose filter sends a pyramid to the next layer."""
    return sorted(int(g.id.split("-")[1]) for g in diagram.scene.groups  # type: ignore[attr-defined]
                  if (g.id or "").startswith("layer-")
                  and any((getattr(c, "cls", "") or "") == "filter front" for c in g.children))


@pytest.mark.parametrize("look", ["row", "cubes"])
@pytest.mark.parametrize("view", [[21, 21.4], [50, 25], [35, 20], [30, 30]])
def test_paper_dims_labels_sit_on_no_shape(look: str, view: list[float]) -> None:
    """The issue's case: '96', '256', '384', '27', '13' on the pyramids, '256' on the arrow."""
    diagram = nnsvg.alexnet(PAPER, dims=True, view=view, look=look)
    assert labels_on_shapes(diagram) == []
    assert len(assert_clear(diagram)) == 6 * 3 + 3


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_real_networks_labels_sit_on_no_shape(name: str) -> None:
    diagram = nnsvg.alexnet(NETWORKS[name], dims=True, filter_dims=True)
    assert labels_on_shapes(diagram) == []
    assert_clear(diagram)


def test_captions_sit_on_no_shape() -> None:
    layers = [{"size": t, "label": f"conv{k}"} if isinstance(t, str) else {"size": t, "label": "fc"}
              for k, t in enumerate(PAPER)]
    diagram = nnsvg.alexnet(layers, dims=True)
    assert labels_on_shapes(diagram) == []
    assert sum(1 for t in find(parse(diagram.svg()), "text") if t.get("class") == "caption") == 9


@pytest.mark.parametrize("look", ["row", "cubes"])
def test_arrows_start_and_end_on_outlines(look: str) -> None:
    diagram = nnsvg.alexnet(PAPER, dims=True, look=look)
    boxes = outlines(diagram)
    for layer in (6, 7, 8):  # 13x13x256 -> 4096 -> 4096 -> 1000
        [(start, tip)] = arrows(diagram, layer)
        assert on_outline(start, boxes[layer - 1]), (layer, start)  # not in the middle of a face
        assert on_outline(tip, boxes[layer]), (layer, tip)


def test_every_consecutive_pair_is_linked_once() -> None:
    diagram = nnsvg.alexnet(VGG_PLAIN)  # no filter anywhere: an arrow for each pair
    assert [len(arrows(diagram, k)) for k in range(9)] == [0] + [1] * 8
    assert pyramid_layers(diagram) == []
    mixed = nnsvg.alexnet(["32x32x3:5x5", "28x28x32", "14x14x64:3x3", "12x12x64", 10])
    assert [len(arrows(mixed, k)) for k in range(5)] == [0, 0, 1, 0, 1]
    assert pyramid_layers(mixed) == [0, 2]
    # a filter on the last volume before a dense layer: its pyramid is the only link
    last = nnsvg.alexnet(["13x13x256:3x3", 4096, 1000])
    assert [len(arrows(last, k)) for k in range(3)] == [0, 0, 1]
    assert pyramid_layers(last) == [0]
    assert sum(1 for p in find(parse(last.svg()), "polygon") if p.get("class") == "pyramid") == 4


@pytest.mark.parametrize("view", [[21, 21.4], [50, 25], [35, 20], [80, 60], [5, 0]])
def test_the_row_reads_left_to_right_on_one_line(view: list[float]) -> None:
    diagram = nnsvg.alexnet(NETWORKS["nn-svg-default"], view=view)
    boxes = [BBox.around(points) for points in outlines(diagram)]
    page = diagram.scene.page()
    xs = [b.center_x for b in boxes]
    ys = [b.center_y for b in boxes]
    assert xs == sorted(xs) and all(a.x1 < b.x0 for a, b in itertools.pairwise(boxes))  # left to right, apart
    assert max(ys) - min(ys) < 0.02 * page.width
    assert page.height < 0.5 * page.width
    old = nnsvg.alexnet(NETWORKS["nn-svg-default"], view=view, look="cubes")
    old_ys = [BBox.around(points).center_y for points in outlines(old)]
    if view[1] > 0:
        assert max(old_ys) - min(old_ys) > 5 * (max(ys) - min(ys))  # the diagonal the row replaced


def test_deeper_layers_are_longer() -> None:
    diagram = nnsvg.alexnet(NETWORKS["nn-svg-default"])
    widths = [BBox.around(points).width for points in outlines(diagram)]
    assert widths[0] < widths[1] < widths[2] < widths[3]  # 3, 96, 256, 384 channels
    root = parse(diagram.svg())
    front = [points(p) for p in polygons(root, "volume") if p.get("class") == "volume front"]
    long_ = [max(x for x, _ in f) - min(x for x, _ in f) for f in front]
    tall = [max(y for _, y in f) - min(y for _, y in f) for f in front]
    assert long_[3] > 1.5 * tall[3]  # 13x13x384: a long box along the row


def test_cubes_look_is_unchanged() -> None:
    """The nnsvg 1.x look, chosen with look=cubes, draws what it drew (main before the row look)."""
    expected = (Path(__file__).parent / "data" / "alexnet-cubes-main.svg").read_text()
    diagram = nnsvg.alexnet(["32x32x3:5x5", "28x28x8:3x3", "14x14x16:3x3", "12x12x32"], look="cubes")
    assert diagram.svg() == expected


def test_look_option_from_cli_and_spec_file(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("alexnet", "32x32x3:5x5", "28x28x8:3x3", "14x14x16:3x3", "12x12x32", "--look", "cubes",
                       "-o", tmp_path / "a.svg")
    assert code == 0, err
    assert (tmp_path / "a.svg").read_text() == (Path(__file__).parent / "data" / "alexnet-cubes-main.svg").read_text()
    spec_file = tmp_path / "s.yaml"
    spec_file.write_text("style: alexnet\nlayers: [32x32x3, 10]\nlook: cube\n")
    code, _, err = cli("render", spec_file, "-o", tmp_path / "b.svg")
    assert code == 2 and err.startswith("error: ") and "look" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_default_scaling_keeps_real_networks_page_sized(name: str) -> None:
    diagram = nnsvg.alexnet(NETWORKS[name], dims=True)
    page = diagram.scene.page()
    widths = [BBox.around(points).width for points in outlines(diagram)]
    assert max(widths) <= 0.4 * page.width
    assert page.width < 120 * diagram.theme.text.size
    assert diagram.notes == []


@pytest.mark.parametrize(("options", "option"), [
    ({"depth_size": "linear"}, "depth_size"),
    ({"spacing": 2000}, "spacing"),
    ({"side_size": "linear", "side_scale": 3}, "side_scale"),
])
def test_a_huge_figure_gets_a_note_naming_the_option(options: dict[str, object], option: str) -> None:
    diagram = nnsvg.alexnet(PAPER, **options)
    assert diagram.notes and any(option in note for note in diagram.notes), diagram.notes


def test_the_input_image_lies_on_the_map_face_in_the_row_look() -> None:
    diagram = nnsvg.alexnet(["28x28x1:5x5", "24x24x8", 10], input_image=str(DIGIT))
    root = parse(diagram.svg())
    image = find(root, "image")[0]
    matrix = tuple(float(v) for v in re.findall(r"-?[\d.e+-]+", image.get("transform")))
    w, h = float(image.get("width")), float(image.get("height"))
    right = next(p for p in find(layer_group(root, 0), "polygon") if (p.get("class") or "") == "volume right")
    corners = points(right)
    for corner in ((0, 0), (w, 0), (0, h), (w, h)):
        mapped = apply_affine(matrix, corner)
        assert min(abs(mapped[0] - x) + abs(mapped[1] - y) for x, y in corners) < 0.01


@pytest.mark.parametrize("look", ["row", "cubes"])
@pytest.mark.parametrize("network", corpus.ALEXNET, ids=[n[0] for n in corpus.ALEXNET])
def test_corpus_passes_the_quality_check(network: tuple[str, str, list[object], dict[str, object]],
                                         look: str) -> None:
    """Real networks: no label on a shape or a label, nothing clipped, no filter too small to
    see (a 3x3 window on VGG), no layer spanning more than 40 % of the row."""
    from nnsvg import quality

    _, _, layers, options = network
    for view in ([21, 21.4], [50, 25]):
        diagram = nnsvg.alexnet(layers, look=look, view=view, **options)
        assert [str(p) for p in quality.check(diagram.scene)] == []


def test_a_filter_window_on_the_end_face_is_wide_enough_to_see() -> None:
    """Seen on the end face, a window is foreshortened by sin(azimuth): its side across the row
    is widened so the drawn window stays above the quality check's visible floor."""
    from nnsvg import quality

    diagram = nnsvg.alexnet(["28x28x1:5x5", "24x24x32:2x2", "12x12x32:5x5", "8x8x64", 10],
                            input_image=str(DIGIT), dims=True, filter_dims=True)
    assert [str(p) for p in quality.check(diagram.scene)] == []
    window = next(p for p in diagram.scene.walk() if getattr(p, "cls", "") == "filter window")
    assert quality.min_width(window.points) >= quality.tiny_limit(diagram.scene)  # type: ignore[union-attr]


# --- compact forms for a narrow page (issue 25) ------------------------------------------------

DIMS_NETWORKS = [(name, layers, options) for name, style, layers, options in corpus.CORPUS
                 if style == "alexnet" and options.get("dims")]


def dim_texts(diagram: nnsvg.Diagram, cls: str) -> list[str]:
    return [t.text for t in diagram.scene.walk() if getattr(t, "cls", "") == cls]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("token", "text"), [
    ("224x224x3", "224²×3"), ("360x480x3", "360×480×3"), ("1x1x100", "1²×100"), ("13x13x384:3x3", "13²×384"),
    (4096, "4096"),
])
def test_a_short_dimension_label_squares_a_square_map(token: object, text: str) -> None:
    diagram = nnsvg.alexnet([token, 10], dims=True, dims_form="short")
    assert dim_texts(diagram, "dim short")[0] == text


def test_short_dims_write_one_label_a_layer_and_no_edge_labels() -> None:
    diagram = nnsvg.alexnet(ALEXNET, dims=True, dims_form="short")
    assert dim_texts(diagram, "dim short") == ["224²×3", "55²×96", "27²×256", "13²×384", "13²×384", "13²×256",
                                               "4096", "4096", "1000"]
    assert not [t for t in diagram.scene.walk() if getattr(t, "cls", "").startswith("dim ")
                and getattr(t, "cls", "") != "dim short"]


@pytest.mark.parametrize(("layers", "expected"), [
    (ALEXNET, ["224²×3", "55²×96", "27²×256", "13²×384", "13²×256", "4096", "1000"]),
    (["8x8x4", "8x8x4", "8x8x4", 10], ["8²×4", "10"]),
    (["8x8x4", "4x4x4", "8x8x4", 10, 10], ["8²×4", "4²×4", "8²×4", "10"]),  # a size that comes back is written
    (["8x8x4:3x3", "8x8x4"], ["8²×4"]),  # the filter window is not the size
])
def test_changes_writes_a_size_once_for_its_run(layers: list[object], expected: list[str]) -> None:
    diagram = nnsvg.alexnet(layers, dims=True, dims_form="changes")
    assert dim_texts(diagram, "dim short") == expected


def test_a_run_label_is_centred_under_its_run() -> None:
    diagram = nnsvg.alexnet(["8x8x4", "8x8x4", 10], dims=True, dims_form="changes")
    label = next(t for t in diagram.scene.walk() if getattr(t, "cls", "") == "dim short")
    groups = {group.id: group.bbox() for group in diagram.scene.groups}
    first, second = groups["layer-0"], groups["layer-1"]
    assert first is not None and second is not None
    middle = (first.x0 + second.x1) / 2
    assert label.box.x0 < middle < label.box.x1  # type: ignore[attr-defined]
    assert abs((label.box.x0 + label.box.x1) / 2 - middle) < 1  # type: ignore[attr-defined]


def test_dims_form_without_dims_draws_no_sizes() -> None:
    assert not dim_texts(nnsvg.alexnet(ALEXNET, dims_form="short"), "dim short")


def test_bad_dims_form() -> None:
    with pytest.raises(nnsvg.SpecError, match="dims_form"):
        nnsvg.alexnet(ALEXNET, dims=True, dims_form="brief")


@pytest.mark.parametrize(("options", "forms"), [
    ({}, []),
    ({"dims": True}, [{"dims_form": "short"}, {"dims_form": "changes"}]),
    ({"dims": True, "dims_form": "short"}, [{"dims_form": "changes"}]),
    ({"dims": True, "dims_form": "changes", "filter_dims": True}, [{"filter_dims": False}]),
    ({"filter_dims": True}, [{"filter_dims": False}]),
])
def test_compact_forms_least_change_first(options: dict[str, object], forms: list[dict[str, object]]) -> None:
    spec = nnsvg.alexnet(ALEXNET, **options).spec
    assert [dict(form.changes) for form in spec.compact_forms()] == forms
    assert all(form.note for form in spec.compact_forms())


@pytest.mark.parametrize("width", ["3.5in", "229.5pt"])
@pytest.mark.parametrize(("name", "layers", "options"), DIMS_NETWORKS, ids=[n for n, _, _ in DIMS_NETWORKS])
def test_the_most_compact_form_prints_at_a_column(name: str, layers: list[object], options: dict[str, object],
                                                  width: str) -> None:
    """Every corpus network with dimension labels, in its spec's most compact form, passes the
    reader's check at a paper's column with its text at the theme's 9 pt (the search in
    nnsvg.physical needs no smaller text for these)."""
    from .test_print_size import WIDTHS, defects_of

    spec = nnsvg.alexnet(layers, **options).spec
    changes: dict[str, object] = {}
    for form in spec.compact_forms():
        changes.update(form.changes)
    assert defects_of(lambda: nnsvg.alexnet(layers, width=width, **{**options, **changes}), WIDTHS[width]) == []


@pytest.mark.parametrize("width", ["3.5in", "229.5pt"])
def test_no_box_prints_under_the_visible_floor(width: str) -> None:
    """A 1x1x100 volume and dense boxes: each side is at least 2.5 volume strokes of the page
    however small the drawing, so nothing prints under the quality check's 0.6 pt."""
    from nnsvg import quality

    diagram = nnsvg.alexnet(["1x1x100:1x1", "4x4x1024", "32x32x3", 10, 10, 10, 10, 10, 10, 10, 10], width=width,
                            dims=True, dims_form="changes")
    assert [p for p in quality.check(diagram.scene) if p.kind == "tiny"] == []
