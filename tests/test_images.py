"""Input images (issue 18): only a regular file is read, and never more than the byte limit; an
image over the pixel budget is refused from its header, before anything decodes it; an image
that is not whole is refused; every image that is whole still renders, in SVG, PNG and PDF.

The catalogue of refusals (one error line, exit 2, nothing written) is in test_bad_input.py; here
are the cases that need a process of their own (a FIFO, a device: a regression must fail within
a timeout and a memory limit, not hang or fill the test process), the proofs that the refusal
happens before decoding, and the whole images of every kind that must still be accepted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import nnsvg
import nnsvg.images
from nnsvg.errors import SpecError, ThemeError
from nnsvg.images import MAX_IMAGE_BYTES, read_image
from nnsvg.reading import read_regular

from .imagefiles import BROKEN, alexnet_spec, bomb_png, jpeg, jpeg_sized, png

LAYERS = ["28x28x1", 10]
MEMORY = 2**30  # address space of a child process: the 1.6 GB bomb, /dev/zero's 6 GB cannot fit


def _limited() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_nnsvg(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI in a process of its own, killed after 10 s, in 1 GB of address space."""
    return subprocess.run([sys.executable, "-m", "nnsvg", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=10, preexec_fn=_limited if os.name == "posix" else None)


# --- whole images of every kind are accepted and drawn

WHOLE: dict[str, Callable[[], bytes]] = {
    "png-rgb": lambda: png(12, 8),
    "png-grey-1bit": lambda: png(13, 7, depth=1, colour=0),
    "png-grey-alpha": lambda: png(9, 9, depth=8, colour=4),
    "png-rgba-16bit": lambda: png(5, 11, depth=16, colour=6),
    "png-palette-4bit": lambda: png(10, 6, depth=4, colour=3),
    "png-interlaced": lambda: png(13, 9, interlace=1),
    "png-interlaced-1x1": lambda: png(1, 1, depth=1, colour=0, interlace=1),
    "png-interlaced-palette": lambda: png(17, 3, depth=2, colour=3, interlace=1),
    "png-at-the-pixel-budget": lambda: png(4096, 4096, depth=1, colour=0),
    "jpeg-baseline": lambda: jpeg(40, 30),
    "jpeg-progressive": lambda: jpeg(40, 30, progressive=True),
    "jpeg-optimized": lambda: jpeg(33, 17, optimize=True, quality=40),
    "jpeg-restart-markers": lambda: jpeg(64, 64, restart_marker_blocks=1),
}


@pytest.fixture(params=list(WHOLE), ids=list(WHOLE))
def whole_image(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    data = WHOLE[request.param]()
    path = tmp_path / ("in.png" if data.startswith(b"\x89PNG") else "in.jpg")
    path.write_bytes(data)
    return path


def test_whole_images_are_accepted_and_drawn(whole_image: Path, tmp_path: Path) -> None:
    from PIL import Image

    with Image.open(whole_image) as picture:
        size = picture.size
    image = read_image(str(whole_image))
    assert (image.width, image.height) == size
    diagram = nnsvg.alexnet(LAYERS, input_image=str(whole_image))
    assert image.uri in diagram.svg()
    for suffix in (".png", ".pdf"):  # cairo decodes the image: it must be one it can decode
        out = diagram.save(tmp_path / f"out{suffix}")
        assert out.stat().st_size > 0


def test_the_gallery_digit_is_whole() -> None:
    from .conftest import REPO

    image = read_image(str(REPO / "gallery" / "digit-3.png"))
    assert (image.width, image.height) == (56, 56)


# --- the pixel budget: refused from the header, before anything decodes the image

def test_a_png_bomb_is_refused_before_it_is_decoded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # messages show a path cut to 60 characters: keep it short
    path = Path("bomb.png")
    path.write_bytes(bomb_png())

    class Decoded:
        def __init__(self, *_: object) -> None:
            raise AssertionError("the bomb's image data was inflated")

    monkeypatch.setattr(nnsvg.images, "_Rows", Decoded)
    tracemalloc.start()
    start = time.process_time()
    try:
        with pytest.raises(SpecError, match=r"bomb\.png' is 20000×20000 pixels; at most 16,777,216 pixels"):
            nnsvg.alexnet(LAYERS, input_image=str(path)).save(tmp_path / "out.png")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.process_time() - start < 1.0
    assert peak < 5 * 2**20  # the 48 KB file and its checks; decoded it would be 1.6 GB
    assert not (tmp_path / "out.png").exists()


def test_a_jpeg_bomb_is_refused_from_its_frame_header(tmp_path: Path) -> None:
    path = tmp_path / "bomb.jpg"
    path.write_bytes(jpeg_sized(65500, 65500))
    start = time.process_time()
    with pytest.raises(SpecError, match="65500×65500 pixels"):
        nnsvg.alexnet(LAYERS, input_image=str(path))
    assert time.process_time() - start < 1.0


def test_a_png_bomb_drawn_as_png_fails_fast_in_little_memory(tmp_path: Path) -> None:
    """The whole CLI, in 1 GB: before the fix cairo decoded the bomb (1.6 GB) to draw the PNG."""
    (tmp_path / "bomb.png").write_bytes(bomb_png())
    start = time.process_time()
    done = run_nnsvg("alexnet", *map(str, LAYERS), "--input-image", "bomb.png", "-o", "out.png", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: input_image: 'bomb.png' is 20000×20000 pixels")
    assert time.process_time() - start < 10 and not (tmp_path / "out.png").exists()


def test_more_image_data_than_the_header_says_is_refused_without_inflating_it_all(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A small header over a big zlib stream (a bomb that lies about its size) stops at the size."""
    import zlib

    from .imagefiles import SIGNATURE, chunk, ihdr

    data = zlib.compress(b"\x00" * (100 * 2**20), 9)  # 100 MB of rows for a 12×8 image
    path = tmp_path / "liar.png"
    path.write_bytes(SIGNATURE + ihdr(12, 8) + chunk(b"IDAT", data) + chunk(b"IEND", b""))
    tracemalloc.start()
    try:
        with pytest.raises(SpecError, match="more image data than its size needs"):
            read_image(str(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5 * 2**20


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_images_through_the_api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.chdir(tmp_path)
    data, words = BROKEN[name]
    path = Path("img.png" if data.startswith(b"\x89PNG") else "img.jpg")
    path.write_bytes(data)
    for call in (lambda: nnsvg.alexnet(LAYERS, input_image=str(path)),
                 lambda: nnsvg.render({"style": "alexnet", "layers": LAYERS, "input_image": str(path)})):
        with pytest.raises(SpecError) as info:
            call()
        message = str(info.value)
        assert message.startswith(f"input_image: '{path}' ") and words in message, message
        assert "\n" not in message and len(message) < 400


# --- only regular files are read, and never more than the limit

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
needs_dev_zero = pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero on this platform")


SURFACES = ["cli", "spec-yaml", "spec-toml", "spec-json"]


def image_args(surface: str, folder: Path, image: str) -> list[str]:
    """The CLI arguments that give ``image`` as the input image through ``surface``."""
    if surface == "cli":
        return ["alexnet", "28x28x1", "10", "--input-image", image]
    fmt = surface.removeprefix("spec-")
    (folder / f"fig.{fmt}").write_bytes(alexnet_spec(fmt, image))
    return ["render", f"fig.{fmt}"]


@needs_fifo
@pytest.mark.parametrize("surface", SURFACES)
def test_a_fifo_as_input_image_is_refused_at_once(tmp_path: Path, surface: str) -> None:
    """Before the fix nnsvg blocked for ever opening the FIFO (no writer ever comes)."""
    os.mkfifo(tmp_path / "pipe.png")
    done = run_nnsvg(*image_args(surface, tmp_path, "pipe.png"), "-o", "out.svg", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1
    assert done.stderr.endswith("input_image 'pipe.png' is a FIFO (a named pipe), not a file\n")
    assert not (tmp_path / "out.svg").exists()


@needs_fifo
def test_a_fifo_as_theme_file_is_refused_at_once(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.toml")
    done = run_nnsvg("fcnn", "8", "8", "--theme", "pipe.toml", "-o", "out.svg", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "theme file 'pipe.toml' is a FIFO (a named pipe), not a file" in done.stderr
    assert done.stderr.count("\n") == 1 and not (tmp_path / "out.svg").exists()


@needs_dev_zero
@pytest.mark.parametrize("surface", SURFACES)
def test_dev_zero_as_input_image_is_refused_at_once(tmp_path: Path, surface: str) -> None:
    """Before the fix nnsvg read /dev/zero until it held 6 GB."""
    done = run_nnsvg(*image_args(surface, tmp_path, "/dev/zero"), "-o", "out.svg", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1
    assert done.stderr.endswith("input_image '/dev/zero' is a character device, not a file\n")
    assert not (tmp_path / "out.svg").exists()


@needs_dev_zero
def test_dev_zero_as_theme_file_is_refused_at_once(tmp_path: Path) -> None:
    done = run_nnsvg("fcnn", "8", "8", "--theme", "/dev/zero", "-o", "out.svg", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr == "error: theme file '/dev/zero' is a character device, not a file\n"


def test_a_folder_is_named_as_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dir.png").mkdir()
    with pytest.raises(SpecError, match=r"^input_image 'dir\.png' is a directory"):
        read_image("dir.png")
    (tmp_path / "dir.toml").mkdir()
    with pytest.raises(ThemeError, match=r"^theme file 'dir\.toml' is a directory"):
        nnsvg.fcnn([2, 2], theme="dir.toml").svg()


@pytest.fixture
def alarm() -> Iterator[None]:
    """Fail, rather than hang, if the test blocks for 5 s (POSIX)."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def hung(*_: object) -> None:
        raise AssertionError("blocked: the file was opened or read blocking")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(5)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@needs_fifo
def test_a_fifo_is_opened_without_blocking_and_refused_from_its_descriptor(tmp_path: Path, alarm: None) -> None:
    """In this process, under a 5 s alarm: opening a FIFO that no one writes to blocks for ever
    unless it is opened without blocking; the open descriptor's fstat then refuses it."""
    os.mkfifo(tmp_path / "pipe.png")
    with pytest.raises(SpecError, match="is a FIFO"):
        read_image(str(tmp_path / "pipe.png"))
    os.mkfifo(tmp_path / "pipe.toml")
    with pytest.raises(ThemeError, match="is a FIFO"):
        nnsvg.fcnn([2, 2], theme=str(tmp_path / "pipe.toml")).svg()


def test_a_file_over_the_limit_is_refused_from_its_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.png"
    with path.open("wb") as f:
        f.truncate(MAX_IMAGE_BYTES + 1)  # sparse: nothing to read, the size alone refuses it
    reads: list[int] = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    with pytest.raises(SpecError, match="larger than 50 MB"):
        read_image(str(path))
    assert reads == []


def test_a_file_that_lies_about_its_size_is_read_no_further_than_the_limit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that says it is small (a growing log, /proc, a FUSE file) is read to limit + 1 bytes."""
    monkeypatch.chdir(tmp_path)
    path = Path("liar.toml")
    path.write_bytes(b"#" * 10_000)
    real_fstat = os.fstat

    class Small:
        def __init__(self, real: os.stat_result) -> None:
            self.st_mode, self.st_size = real.st_mode, 10

    monkeypatch.setattr(os, "fstat", lambda fd: Small(real_fstat(fd)))
    read: list[int] = []
    real_read = os.read

    def counted(fd: int, n: int) -> bytes:
        data = real_read(fd, n)
        read.append(len(data))
        return data

    monkeypatch.setattr(os, "read", counted)
    with pytest.raises(ThemeError, match=r"liar\.toml' is larger than 1 KB"):
        read_regular(str(path), 1024, "theme file", ThemeError)
    assert sum(read) == 1025
    assert read_regular(str(path), 10_000, "theme file", ThemeError) == b"#" * 10_000


def test_a_long_path_is_cut_short_in_the_message(tmp_path: Path) -> None:
    name = "x" * 5000 + ".png"
    with pytest.raises(SpecError) as info:
        read_image(name)
    assert len(str(info.value)) < 400 and "cannot read" in str(info.value)
