"""The 3D half of the geometry module: camera, faces, painter's order, clipping, affine maps."""

from __future__ import annotations

import itertools
import math

import pytest

from nnsvg.geometry import (
    Box3,
    Camera,
    affine_map,
    apply_affine,
    back_to_front,
    clip_polygon,
)


def test_projection_matches_nn_svg_camera() -> None:
    # NN-SVG's camera sits at (-219, 92, 84): its receding axis goes 0.358 right, 0.341 up
    elevation = math.asin(92 / math.dist((0, 0, 0), (219, 92, 84)))
    camera = Camera(math.degrees(math.atan2(84, 219)), math.degrees(elevation))
    assert camera.project((0, 0, -1)) == pytest.approx((0.358, -0.341), abs=1e-3)
    assert camera.project((1, 0, 0)) == pytest.approx((0.934, 0.131), abs=1e-3)
    assert camera.project((0, 1, 0)) == pytest.approx((0, -0.931), abs=1e-3)


def test_projection_is_orthographic_and_linear() -> None:
    camera = Camera(35, 20)
    p, q = (1.0, 2.0, -3.0), (4.0, -1.0, 0.5)
    s = tuple(a + b for a, b in zip(p, q))
    assert camera.project(s) == pytest.approx(tuple(a + b for a, b in zip(camera.project(p), camera.project(q))))
    assert camera.project((0, 0, 0)) == (0, 0)
    # the view direction projects to a point
    t = camera.toward
    assert camera.project(t) == pytest.approx((0, 0), abs=1e-12)
    assert math.dist((0, 0, 0), t) == pytest.approx(1)


@pytest.mark.parametrize("azimuth", [1, 21, 45, 89])
@pytest.mark.parametrize("elevation", [0, 21.4, 60])
def test_visible_faces(azimuth: float, elevation: float) -> None:
    box = Box3(0, 0, -3, 2, 1, 0)
    faces = [name for name, _ in box.visible_faces(Camera(azimuth, elevation))]
    assert faces[:2] == ["front", "right"]
    assert ("top" in faces) == (elevation > 0)
    assert not {"back", "left", "bottom"} & set(faces)


def test_visible_faces_do_not_overlap_on_screen() -> None:
    camera = Camera(30, 25)
    box = Box3(0, 0, -3, 2, 1, 0)
    faces = [tuple(camera.project(p) for p in corners) for _, corners in box.visible_faces(camera)]
    # each face is a parallelogram with positive area and faces share only edges: their areas sum
    # to the area of the projected hull
    def area(poly: tuple[tuple[float, float], ...]) -> float:
        return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(poly, poly[1:] + poly[:1]))) / 2
    hull_points = [camera.project(p) for p in box.corners()]
    # convex hull by gift wrapping
    start = min(hull_points)
    hull, point = [], start
    while True:
        hull.append(point)
        candidate = hull_points[0] if hull_points[0] != point else hull_points[1]
        for other in hull_points:
            cross = ((candidate[0] - point[0]) * (other[1] - point[1])
                     - (candidate[1] - point[1]) * (other[0] - point[0]))
            if cross < 0 or (cross == 0 and math.dist(point, other) > math.dist(point, candidate)):
                candidate = other
        point = candidate
        if point == start:
            break
    assert sum(area(f) for f in faces) == pytest.approx(area(tuple(hull)))


def test_back_to_front_orders_a_row_of_boxes() -> None:
    boxes = [Box3(20, 0, -5, 24, 4, 0), Box3(0, 0, -5, 4, 4, 0), Box3(10, -2, -9, 12, 6, 0)]
    assert back_to_front(boxes, Camera(21, 21.4)) == [1, 2, 0]  # left to right: camera on +x side
    stacked = [Box3(0, 5, -1, 1, 6, 0), Box3(0, 0, -1, 1, 1, 0)]
    assert back_to_front(stacked, Camera(30, 30)) == [1, 0]  # camera above: the top box last


def test_back_to_front_is_a_valid_painter_order() -> None:
    camera = Camera(40, 30)
    boxes = [Box3(x, y, z - 1, x + 1, y + 1, z) for x, y, z in itertools.product((0, 2), (0, 2), (0, -2))]
    order = back_to_front(boxes, camera)
    position = {index: k for k, index in enumerate(order)}

    def behind(a: Box3, b: Box3) -> bool:  # a on the far side of a plane that separates them
        return a.x1 <= b.x0 or a.y1 <= b.y0 or a.z1 <= b.z0  # the camera looks from +x, +y, +z

    checked = 0
    for i, j in itertools.permutations(range(len(boxes)), 2):
        if behind(boxes[i], boxes[j]) and not behind(boxes[j], boxes[i]):
            assert position[i] < position[j]  # so b can be painted over a, never the reverse
            checked += 1
    assert checked >= 12


def test_clip_polygon() -> None:
    square = [(0.0, 0.0, 0.0), (4.0, 0.0, 0.0), (4.0, 4.0, 0.0), (0.0, 4.0, 0.0)]
    left = clip_polygon(square, 0, 1.0, keep_below=True)
    right = clip_polygon(square, 0, 1.0, keep_below=False)
    assert sorted(p[0] for p in left) == [0, 0, 1, 1]
    assert sorted(p[0] for p in right) == [1, 1, 4, 4]
    assert clip_polygon(square, 0, -1.0, keep_below=True) == []
    assert clip_polygon(square, 0, 9.0, keep_below=True) == square


def test_affine_map_takes_image_corners_to_face_corners() -> None:
    camera = Camera(21, 21.4)
    box = Box3(0, -20, -10, 30, 20, 0)
    tl, tr, bl, br = (camera.project(p) for p in ((0, 20, 0), (30, 20, 0), (0, -20, 0), (30, -20, 0)))
    m = affine_map(((0, 0), (64, 0), (0, 48)), (tl, tr, bl))
    assert apply_affine(m, (0, 0)) == pytest.approx(tl)
    assert apply_affine(m, (64, 0)) == pytest.approx(tr)
    assert apply_affine(m, (0, 48)) == pytest.approx(bl)
    assert apply_affine(m, (64, 48)) == pytest.approx(br)  # the fourth corner follows: a parallelogram
    with pytest.raises(ValueError):
        affine_map(((0, 0), (1, 1), (2, 2)), (tl, tr, bl))
    assert box.x1 == 30
