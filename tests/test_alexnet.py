"""The AlexNet renderer: faces, painting order, labels, the input image, errors."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import nnsvg
from nnsvg.geometry import apply_affine

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
    root = parse(nnsvg.alexnet(["32x32x3:5x5", "28x28x8", 10]).svg())
    classes = [(p.get("class") or "").split()[0] for p in find(layer_group(root, 0), "polygon")]
    first_face = classes.index("volume")
    assert "filter" in classes[:first_face]  # the filter box is inside: painted first
    assert "pyramid" in classes[:first_face] and "pyramid" in classes[first_face:]  # clipped


def test_seeded_filter_positions() -> None:
    def filters(seed: int, position: str = "seeded") -> list[str]:
        root = parse(nnsvg.alexnet(ALEXNET, seed=seed, filter_position=position).svg())
        return [p.get("points") for p in polygons(root, "filter")]
    assert filters(1) == filters(1) and filters(1) != filters(2)
    assert filters(1, "center") == filters(2, "center")


def test_dims_labels_are_real_text_on_the_right_edges() -> None:
    diagram = nnsvg.alexnet(["224x224x3", "55x55x96", 1000], dims=True)
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
    diagram = nnsvg.alexnet(["28x28x1:5x5", "24x24x8", 10], input_image=str(DIGIT), image_opacity=0.6)
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
    (["5x5x5", 10], {"view": [90, 20]}, "azimuth must be between 0 and 90"),
    (["5x5x5", 10], {"view": [0, 20]}, "azimuth must be between 0 and 90"),
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
