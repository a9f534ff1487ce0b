"""nnsvg's benchmark: one run on one machine, a table of medians, written to bench/results.md.

    python bench/run.py            # with nnsvg installed (see the README's set-up)
    python bench/run.py --quick    # fewer repeats, no PNG of the full FCNN (minutes less)

It measures, each as a whole process (Python start-up and imports included):
1. the full FCNN 784-512-256-10 (535,040 edges) to SVG, against the floor (bench/floor.py, a
   plain writer of the same drawing): time ratio and file size ratio;
2. the same drawing to PDF and PNG, against cairosvg converting the floor's SVG;
3. start-up: `nnsvg fcnn 8 12 8 -o x.svg` against `python -c "import typer, svgwrite"` (the
   libraries every run needs; target ≤ 1.3×), run in turns so both see the same load: wall time
   (minimum and median) and CPU time (user + system, which other processes on the machine move
   less); and the import time of nnsvg's own modules (python -X importtime, self times);
4. peak memory (RSS) of the full render, against the SVG's size;
5. LeNet-5 and AlexNet (the papers' dimensions), SVG and PDF;
6. render + SVG time against the layer count (10, 100, 1,000 layers) for every style, in one
   process (no start-up), to show the growth is near-linear;
7. the figure-quality check (nnsvg.quality) on the full FCNN with bias units (a "+1" inside
   every layer pair's edges: the check walks them), against rendering it, in one process.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PY = sys.executable
NNSVG = [PY, "-m", "nnsvg"]
FULL = ["fcnn", "784", "512", "256", "10", "--max-nodes", "0"]
LENET5 = ["lenet", "1@32x32", "6@28x28", "6@14x14", "16@10x10", "16@5x5", "120", "84", "10"]
ALEXNET = ["alexnet", "224x224x3:11x11", "55x55x96:5x5", "27x27x256:3x3", "13x13x384:3x3", "13x13x384:3x3",
           "13x13x256", "4096", "4096", "1000", "--dims"]


def timed(command: list[str], runs: int, timeout: float | None = None) -> float | None:
    """Median wall time of ``runs`` runs (None when one run passed ``timeout`` seconds). Without
    a timeout the wait blocks; with one, subprocess polls in steps of up to 50 ms, so only the
    minutes-long runs get one."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        try:
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        times.append(time.perf_counter() - start)
    return statistics.median(times)


SCALING_TOKENS = {"fcnn": "3", "lenet": "1@2x2", "alexnet": "4x4x4:2x2", "rnn": "3"}
SCALING_PROBE = """
import statistics, sys, time, nnsvg
style, token, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
nnsvg.draw(style, [token.split(":")[0]] * 3).svg()  # warm up: the style's modules are imported lazily
for n in (10, 100, 1000):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        nnsvg.draw(style, [token] * (n - 1) + [token.split(":")[0]]).svg()
        times.append(time.perf_counter() - start)
    print(statistics.median(times))
"""


def layer_scaling(style: str, runs: int) -> list[float]:
    """Median seconds to render and write SVG of 10, 100 and 1,000 layers of ``style``."""
    done = subprocess.run([PY, "-c", SCALING_PROBE, style, SCALING_TOKENS[style], str(runs)],
                          capture_output=True, text=True, check=True)
    return [float(line) for line in done.stdout.split()]


QUALITY_PROBE = """
import statistics, sys, time, nnsvg
from nnsvg import quality
runs = int(sys.argv[1])
renders, checks = [], []
for _ in range(runs):
    start = time.perf_counter()
    scene = nnsvg.fcnn([784, 512, 256, 10], max_nodes=0, bias=True).scene
    middle = time.perf_counter()
    quality.check(scene)
    renders.append(middle - start)
    checks.append(time.perf_counter() - middle)
print(statistics.median(renders), statistics.median(checks))
"""


def quality_check_time(runs: int) -> tuple[float, float]:
    """Median seconds to render the full FCNN with bias units, and to check its quality."""
    done = subprocess.run([PY, "-c", QUALITY_PROBE, str(runs)], capture_output=True, text=True, check=True)
    render, check = (float(v) for v in done.stdout.split())
    return render, check


BLOCKS_PROBE = """
import random, statistics, sys, time
from nnsvg import spec as specs
from nnsvg.renderers import blocks
from nnsvg.theme import load_theme
runs = int(sys.argv[1])
theme = load_theme("nnsvg")
rng = random.Random(7)
chain = specs.from_dict({"style": "blocks", "layers": ["conv3x3:64", "bn", "relu"] * 66 + ["add", "relu"],
                         "connections": [f"{i}:{i + 3}:add" for i in range(0, 195, 3)]})
dag = specs.from_dict({"style": "blocks", "layers": ["input"] + [
    {"op": "conv3x3", "inputs": sorted(rng.sample(range(i), min(i, rng.randint(1, 2))))} for i in range(1, 200)]})
out = []
for spec in (chain, dag):
    layouts, renders = [], []
    for _ in range(runs):
        start = time.process_time()  # CPU time: a loaded machine does not move it
        blocks.arrange(spec, theme)
        middle = time.process_time()
        blocks.render(spec, theme)
        layouts.append(middle - start)
        renders.append(time.process_time() - middle)
    out += [statistics.median(layouts), statistics.median(renders)]
print(*out)
"""


def blocks_time(runs: int) -> tuple[float, float, float, float]:
    """Median seconds to lay out 200 blocks (measured and placed, edges routed), and to lay out
    and draw them: a chain with a skip every three layers, and a random DAG."""
    done = subprocess.run([PY, "-c", BLOCKS_PROBE, str(runs)], capture_output=True, text=True, check=True)
    chain, chain_render, dag, dag_render = (float(v) for v in done.stdout.split())
    return chain, chain_render, dag, dag_render


def startup(small: list[str], runs: int) -> dict[str, list[float]]:
    """Wall and CPU seconds of ``small`` (a whole ``nnsvg`` process), of importing typer and
    svgwrite alone, and of ``python -c pass``: each of ``runs`` rounds runs the three in turn, so a
    load that comes and goes weighs on all of them alike."""
    commands = {"nnsvg": small, "libraries": [PY, "-c", "import typer, svgwrite"], "bare": [PY, "-c", "pass"]}
    times: dict[str, list[float]] = {f"{name} {kind}": [] for name in commands for kind in ("wall", "cpu")}
    for _ in range(runs):
        for name, command in commands.items():
            start = time.perf_counter()
            child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
            _, status, usage = os.wait4(child.pid, 0)
            times[f"{name} wall"].append(time.perf_counter() - start)
            times[f"{name} cpu"].append(usage.ru_utime + usage.ru_stime)
            if status != 0:
                raise SystemExit(f"{' '.join(command)} failed")
    return times


def startup_row(small: list[str], runs: int) -> tuple[str, str, str, str]:
    """The start-up row: nnsvg's small figure against importing its libraries alone."""
    t = startup(small, runs)
    ours, libs, bare = t["nnsvg wall"], t["libraries wall"], t["bare wall"]
    med = statistics.median
    paired = med(a / b for a, b in zip(ours, libs))  # each round's two runs saw about the same load
    cpu = med(a / b for a, b in zip(t["nnsvg cpu"], t["libraries cpu"]))
    return ("CLI start-up: `nnsvg fcnn 8 12 8 -o x.svg`", f"{med(ours):.3f} s (fastest {min(ours):.3f} s)",
            f"`python -c \"import typer, svgwrite\"` {med(libs):.3f} s (fastest {min(libs):.3f} s); "
            f"`python -c pass` {med(bare):.3f} s",
            f"{paired:.2f}× wall time, {cpu:.2f}× CPU time (medians of {runs} rounds' ratios; fastest runs "
            f"{min(ours) / min(libs):.2f}×); target ≤ 1.3×")


def peak_rss_kb(command: list[str]) -> int:
    """Peak resident memory of one run, from a fresh helper process's child usage."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
             "stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    return int(subprocess.run([PY, "-c", probe, *command], capture_output=True, text=True, check=True).stdout)


def own_import_ms(folder: Path, runs: int = 9) -> float:
    """Self import time of nnsvg's modules in a real `nnsvg fcnn 8 12 8 -o x.svg` run (median)."""
    totals = []
    for _ in range(runs):
        done = subprocess.run([PY, "-X", "importtime", "-m", "nnsvg", "fcnn", "8", "12", "8", "-o",
                               str(folder / "x.svg")], capture_output=True, text=True, check=True)
        total = 0
        for line in done.stderr.splitlines():
            parts = line.split("|")
            if len(parts) == 3 and parts[2].strip().startswith("nnsvg"):
                total += int(parts[0].split(":")[1])
        totals.append(total / 1000)
    return statistics.median(totals)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def fmt_s(value: float | None, limit: float) -> str:
    return f"> {limit:.0f} s" if value is None else f"{value:.3f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, skip the full PNG")
    parser.add_argument("--runs", type=int, default=5, help="repeats per timing (median)")
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    # measure what users run: compiled bytecode, not a compile of every module on every start
    # (some environments set PYTHONDONTWRITEBYTECODE, which made start-up look 2x slower)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([PY, "-c", "import compileall, os, nnsvg, svgwrite, typer, yaml\n"
                    "for m in (nnsvg, svgwrite, typer, yaml): compileall.compile_dir(os.path.dirname(m.__file__), "
                    "quiet=1)"], check=True)
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        svg, floor_svg = folder / "full.svg", folder / "floor.svg"
        ours = timed([*NNSVG, *FULL, "-o", str(svg)], runs)
        floor = timed([PY, str(HERE / "floor.py"), str(floor_svg)], runs)
        size, floor_size = svg.stat().st_size, floor_svg.stat().st_size
        rows.append(("full FCNN → SVG (535,040 edges)", fmt_s(ours, 0), f"floor {fmt_s(floor, 0)}",
                     f"{ours / floor:.2f}× time, {size / floor_size:.3f}× size (targets ≤ 0.75×, ≤ 1.1×)"))

        convert = "import cairosvg, sys; getattr(cairosvg, 'svg2' + sys.argv[1])(url=sys.argv[2], write_to=sys.argv[3])"
        pdf = timed([*NNSVG, *FULL, "-o", str(folder / "full.pdf")], runs)
        cairosvg_pdf = timed([PY, "-c", convert, "pdf", str(floor_svg), str(folder / "floor.pdf")], runs)
        rows.append(("full FCNN → PDF", fmt_s(pdf, 0), f"cairosvg on the floor's SVG {fmt_s(cairosvg_pdf, 0)}",
                     f"{pdf / cairosvg_pdf:.2f}× (target ≤ 0.5×)"))
        small = [*NNSVG, "fcnn", "8", "12", "8", "-o", str(folder / "x.svg")]
        rows.append(startup_row(small, max(runs * 5, 21)))
        own = own_import_ms(folder)
        rows.append(("import time of nnsvg's own modules", f"{own:.1f} ms", "-X importtime, self times",
                     "target ≤ 50 ms"))

        peak = peak_rss_kb([*NNSVG, *FULL, "-o", str(folder / "mem.svg")])
        base = peak_rss_kb(small)
        rows.append(("peak memory, full FCNN → SVG, CLI", f"{peak / 1024:.1f} MB",
                     f"SVG {size / 2**20:.1f} MB; `fcnn 8 12 8` {base / 1024:.1f} MB",
                     f"{peak * 1024 / size:.1f}× the SVG; the render adds {(peak - base) / 1024:.1f} MB "
                     f"= {(peak - base) * 1024 / size:.1f}× (target < 4×)"))
        api = ("import nnsvg, sys; nnsvg.fcnn([784, 512, 256, 10], max_nodes=0).save(sys.argv[1])")
        api_peak = peak_rss_kb([PY, "-c", api, str(folder / "api.svg")])
        rows.append(("peak memory, full FCNN → SVG, Python API", f"{api_peak / 1024:.1f} MB",
                     f"SVG {size / 2**20:.1f} MB", f"{api_peak * 1024 / size:.1f}× the SVG (target < 4×)"))

        for name, command in (("LeNet-5", LENET5), ("AlexNet (paper dims, --dims)", ALEXNET)):
            for ext in ("svg", "pdf"):
                t = timed([*NNSVG, *command, "-o", str(folder / f"x.{ext}")], runs)
                rows.append((f"{name} → {ext.upper()}", fmt_s(t, 0), "", ""))

        for style in SCALING_TOKENS:
            t10, t100, t1000 = layer_scaling(style, runs)
            rows.append((f"{style}: 10 / 100 / 1,000 layers → SVG (in process)",
                         f"{t10:.3f} / {t100:.3f} / {t1000:.3f} s", f"layer `{SCALING_TOKENS[style]}`",
                         f"1,000 vs 100 layers: {t1000 / t100:.1f}× (linear: 10×)"))

        chain, chain_render, dag, dag_render = blocks_time(runs)
        rows.append(("blocks: 200 layers laid out / and drawn (in process, CPU)", f"{chain:.3f} / {chain_render:.3f} s",
                     f"random 200-layer DAG {dag:.3f} / {dag_render:.3f} s", "layout target < 0.2 s"))

        render, check = quality_check_time(runs)
        rows.append(("quality.check, full FCNN with --bias (535,818 edges, in process)", f"{check:.3f} s",
                     f"rendering it {render:.3f} s", f"{check / render:.2f}× the render"))

        # last: minutes long, and nothing after it is timed
        if not args.quick:
            limit = 900.0
            png = timed([*NNSVG, *FULL, "-o", str(folder / "full.png")], 1, limit)
            cairosvg_png = timed([PY, "-c", convert, "png", str(floor_svg), str(folder / "floor.png")], 1, limit)
            ratio = f"{png / cairosvg_png:.2f}×" if png and cairosvg_png else "cairosvg did not finish"
            rows.append(("full FCNN → PNG (700×31,000 px, one run)", fmt_s(png, limit),
                         f"cairosvg on the floor's SVG {fmt_s(cairosvg_png, limit)}", ratio))

    header = ("| measure | nnsvg | against | ratio |\n| --- | --- | --- | --- |\n")
    table = header + "".join(f"| {a} | {b} | {c} | {d} |\n" for a, b, c, d in rows)
    stamp = datetime.date.today().isoformat()
    text = (f"# nnsvg benchmark\n\n`python bench/run.py{' --quick' if args.quick else ''}` on {stamp}; "
            f"medians of {runs} runs, each a whole process.\n\nMachine: {machine()}\n\n{table}")
    (HERE / "results.md").write_text(text, encoding="utf-8")
    page = HERE.parent / "docs" / "performance.md"  # the manual shows the latest table between its markers
    if page.is_file():
        start, end = "<!-- bench:start -->", "<!-- bench:end -->"
        content = page.read_text(encoding="utf-8")
        if start in content and end in content:
            head, rest = content.split(start, 1)
            _, tail = rest.split(end, 1)
            summary = f"Machine: {machine()}; {stamp}.\n\n{table}"
            page.write_text(f"{head}{start}\n{summary}{end}{tail}", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
