"""One source of truth: every registered style has its spec, renderer, API function, CLI command,
schema variant; every spec option has its flag, with the declared help; CLI and spec file give
the same figure; one format table serves the API, the CLI and their errors."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import nnsvg
from nnsvg import flags, formats, styles
from nnsvg import spec as specs
from nnsvg.spec.fields import options

Cli = Callable[..., tuple[int, str, str]]

STYLE_NAMES = list(styles.STYLES)

# one typical, valid example per style (a value for every option the test sets on the CLI)
EXAMPLES: dict[str, list[str]] = {
    "fcnn": ["4", "6", "3"],
    "lenet": ["1@32x32", "6@28x28", "6@14x14", "120", "10"],
    "alexnet": ["32x32x3:5x5", "28x28x32", "14x14x64", "10"],
    "rnn": ["3", "5", "2"],
    "blocks": ["input", "conv3x3:64", "bn", "relu"],
}


def words(text: str) -> str:
    """Text without its whitespace: --help wraps lines anywhere, even after a hyphen."""
    return "".join(text.split())


def test_every_style_is_wired_everywhere() -> None:
    schema = specs.json_schema()
    in_schema = [variant["properties"]["style"]["const"] for variant in schema["oneOf"]]
    assert in_schema == STYLE_NAMES
    for name, style in styles.STYLES.items():
        cls = style.spec_class()
        assert cls.style == name
        assert callable(style.renderer())
        assert getattr(nnsvg, name).__name__ == name and name in nnsvg.__all__
        assert style.summary in getattr(nnsvg, name).__doc__
        assert name in EXAMPLES, f"add an example of style {name!r} to this test"


def test_unknown_style_names_the_nearest() -> None:
    with pytest.raises(nnsvg.SpecError, match="unknown style 'lenett'; did you mean 'lenet'"):
        nnsvg.render({"style": "lenett", "layers": [1, 2]})
    with pytest.raises(nnsvg.SpecError, match="did you mean 'alexnet'"):
        nnsvg.draw("alexnt", ["2x2x2", 3])


@pytest.mark.parametrize("name", STYLE_NAMES)
def test_every_option_has_its_flag_with_the_declared_help(cli: Cli, name: str) -> None:
    cls = styles.STYLES[name].spec_class()
    code, out, _ = cli(name, "--help")
    assert code == 0
    help_text = words(out)
    assert words(styles.STYLES[name].tokens) in help_text
    for option, meta in options(cls).items():
        assert flags.flag(option) in out, f"{name}: option {option!r} has no flag"
        assert words(meta["help"]) in help_text, f"{name}: the help of {option!r} differs from its declaration"
        if meta["kind"] == "choice":
            assert "[" + "|".join(meta["choices"]) + "]" in out


def test_help_shows_bounds_and_defaults(cli: Cli) -> None:
    _, out, _ = cli("fcnn", "--help")
    help_text = words(out)
    assert words("node diameter (from 1 to 1,000) [default: 20]") in help_text
    assert "--bias / --no-bias" in out and "[default:off]" in help_text
    _, out, _ = cli("rnn", "--help")  # options the hand-written CLI once lacked
    assert "--node-gap" in out and "--max-nodes" in out
    _, out, _ = cli("alexnet", "--help")
    assert "--labels / --no-labels" in out


def non_default(name: str, meta: dict[str, Any], default: Any) -> tuple[list[str], Any] | None:
    """Arguments that set option ``name`` to a valid value other than its default, and that
    value as the spec holds it (None: no such value is chosen here)."""
    kind, flag = meta["kind"], flags.flag(name)
    if kind == "bool":
        return ([flag] if not default else [f"--no-{flag[2:]}"]), not default
    if kind == "choice":
        other = next(c for c in meta["choices"] if c != default)
        return [flag, other], other
    if kind in ("int", "number"):
        low = meta.get("low", 0)
        value = low + 1 if default != low + 1 else low + 2
        if meta.get("high", 10) < value:
            value = (low + meta["high"]) / 2
        return [flag, str(value)], value
    return None


SPECIAL: dict[str, dict[str, tuple[list[str], Any]]] = {
    # options whose valid values depend on the rest of the spec
    "fcnn": {"node_gap": (["--node-gap", "5,6,7"], [5.0, 6.0, 7.0]),
             "activations": (["--activations", "relu,softmax"], ["relu", "softmax"]),
             "dropout": (["--dropout", "0.5"], 0.5),
             "max_edges": (["--max-edges", "1000"], 1000),
             "weights": (["--weights", json.dumps([[[1, -2, 3, 4, 5, 6]] * 4, [[1, 2, -3]] * 6])],
                         [[[1.0, -2.0, 3.0, 4.0, 5.0, 6.0]] * 4, [[1.0, 2.0, -3.0]] * 6])},
    "lenet": {"ops": (["--ops", "Conv,Pool"], ["Conv", "Pool"]),
              "gaps": (["--gaps", "30"], 30.0)},
    "alexnet": {"view": (["--view", "30,20"], [30.0, 20.0]),
                "input_image": (None, None)},  # type: ignore[dict-item]
    "rnn": {"unroll": (["--unroll", "3"], 3)},
}
COMMON: dict[str, tuple[list[str], Any]] = {
    "theme": (["--theme", "paper"], "paper"),
    "set": (["--set", "edge.width=0.7"], {"edge.width": "0.7"}),
}


@pytest.mark.parametrize("name", STYLE_NAMES)
def test_each_flag_reaches_the_spec(cli: Cli, tmp_path: Path, name: str) -> None:
    """Every option set on the command line lands in the spec under its name: --save-spec
    writes it, and rendering that file gives the same figure, byte for byte."""
    cls = styles.STYLES[name].spec_class()
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for option, meta in options(cls).items():
        f = fields[option]
        default = f.default_factory() if callable(f.default_factory) else f.default
        setting = SPECIAL.get(name, {}).get(option) or COMMON.get(option) or non_default(option, meta, default)
        if setting is None or setting[0] is None:
            continue
        args, expected = setting
        spec_file = tmp_path / f"{option}.json"
        code, _, err = cli(name, *EXAMPLES[name], *args, "-o", tmp_path / "cli.svg", "--save-spec", spec_file)
        assert code == 0, (option, args, err)
        saved = json.loads(spec_file.read_text("utf-8"))
        assert saved[option] == expected, (option, saved.get(option), expected)
        code, _, err = cli("render", spec_file, "-o", tmp_path / "file.svg")
        assert code == 0, err
        assert (tmp_path / "file.svg").read_bytes() == (tmp_path / "cli.svg").read_bytes(), option


def test_cli_and_api_give_the_same_figure(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("lenet", "1@32x32", "6@28x28", "120", "10", "--map-offset", "5", "--ops", "Conv,Dense,Dense",
                       "--theme", "dark", "-o", tmp_path / "a.svg")
    assert code == 0, err
    api = nnsvg.lenet(["1@32x32", "6@28x28", 120, 10], map_offset=5, ops=["Conv", "Dense", "Dense"], theme="dark")
    assert (tmp_path / "a.svg").read_text("utf-8") == api.svg()


def test_flag_errors_name_the_flag(cli: Cli) -> None:
    code, _, err = cli("rnn", "3", "5", "2", "--node-gap", "-1")
    assert code == 2 and err.startswith("error: --node-gap: expected a value from 0 to")
    code, _, err = cli("fcnn", "3", "3", "--diretion", "up")
    assert code == 2 and "No such option: --diretion; did you mean '--direction'?" in err


def test_format_table_drives_api_cli_and_errors(cli: Cli, tmp_path: Path) -> None:
    listed = ", ".join(formats.EXTENSIONS)
    with pytest.raises(nnsvg.ExportError, match=f"use {listed}"):
        nnsvg.fcnn([2, 2]).save(tmp_path / "x.gif")
    code, _, err = cli("fcnn", "2", "2", "-o", tmp_path / "x.gif")
    assert code == 2 and f"use {listed}" in err
    _, out, _ = cli("fcnn", "--help")
    assert words(formats.extensions_text()) in words(out)
    for fmt in formats.FORMATS.values():
        data = nnsvg.fcnn([2, 3]).to_bytes(fmt.name)
        assert data[:4] in (b"<?xm", b"%PDF", b"\x89PNG", b"%!PS", b"\xc5\xd0\xd3\xc6", b"% nn", b"// n"), fmt.name


def test_raster_options_only_where_the_table_allows(cli: Cli, tmp_path: Path) -> None:
    takes_dpi = [f for f in formats.FORMATS.values() if "dpi" in f.options]
    refuses = [f for f in formats.FORMATS.values() if "dpi" not in f.options]
    assert takes_dpi and refuses
    for fmt in refuses:
        with pytest.raises(nnsvg.ExportError, match=f"dpi applies to .* output only, not {fmt.name.upper()}"):
            nnsvg.fcnn([2, 2]).save(tmp_path / f"x{fmt.extensions[0]}", dpi=300)
        assert not (tmp_path / f"x{fmt.extensions[0]}").exists()
    code, _, err = cli("fcnn", "2", "2", "-o", tmp_path / "x.pdf", "--scale", "2")
    assert code == 2 and "--scale applies to PNG output only, not PDF" in err
    for fmt in takes_dpi:
        assert nnsvg.fcnn([2, 2]).save(tmp_path / f"y{fmt.extensions[0]}", dpi=192).exists()
