"""Option kinds are objects (``nnsvg.optionkinds``, ``nnsvg.themekinds``): every spec option and every theme key is
declared with one, and what the CLI, the schema, the editor and the manual say of it comes from
that object, never from a second table keyed by the kind's name."""

from __future__ import annotations

import pytest

from nnsvg import styles
from nnsvg.errors import SpecError, ThemeError
from nnsvg.optionkinds import KIND, Choice, Int, SpecKind, spec_kind
from nnsvg.spec import fields
from nnsvg.spec.base import BaseSpec
from nnsvg.theme import key_kind, theme_keys
from nnsvg.themekinds import Measure, ThemeKind


def test_every_spec_option_is_declared_with_a_kind_object() -> None:
    for style in styles.STYLES.values():
        for name, meta in fields.options(style.spec_class()).items():
            kind = meta[KIND]
            assert isinstance(kind, SpecKind), name
            # the mapping's kind and constraints are the object's view, not a second declaration
            assert {k: v for k, v in meta.items() if k not in ("help", "alias", KIND)} == kind.view(), name


def test_every_theme_key_is_declared_with_a_kind_object() -> None:
    for key, meta in theme_keys().items():
        kind = key_kind(meta)
        assert isinstance(kind, ThemeKind), key
        assert {k: v for k, v in meta.items() if k not in ("doc", KIND)} == kind.view(), key


def test_a_mapping_names_the_same_kind_as_a_declaration() -> None:
    assert fields.kind_of({"kind": "int", "low": 0, "high": 100}) == Int(low=0, high=100)
    assert spec_kind("choice", choices=("a", "b")) == Choice(choices=("a", "b"))
    assert fields.kind_of(fields.options(BaseSpec)["legend"]) == Choice(choices=("off", "right", "below", "auto"))


def test_kinds_raise_their_family_error_naming_the_option() -> None:
    with pytest.raises(SpecError, match=r"^--depth: expected a value from 0 to 100, got '101'$"):
        fields.coerce("--depth", "101", {"kind": "int", "low": 0, "high": 100})
    with pytest.raises(ThemeError, match=r"^edge\.width: expected a number from 0 to 100, got 'x'$"):
        Measure(0.0, 100.0, length=True).coerce("edge.width", "x")


def test_the_editor_widget_comes_from_the_kind() -> None:
    from nnsvg.editor import controls

    described = controls()
    for style in styles.STYLES.values():
        declared = fields.options(style.spec_class())
        for option in described["styles"][style.name]["options"]:
            assert option["widget"] == declared[option["name"]][KIND].widget
    shared = {o["name"]: o["widget"] for o in described["styles"]["fcnn"]["options"]}
    assert (shared["theme"], shared["legend"], shared["labels"], shared["seed"]) == ("themes", "select", "checkbox",
                                                                                     "integer")
