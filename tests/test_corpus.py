"""Every network of the corpus (real published networks at their true sizes, tests/corpus.py)
drawn with its options passes the figure-quality check."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

import nnsvg
from nnsvg import quality
from nnsvg.styles import STYLES

from .corpus import CORPUS, FAILS_AT_NATURAL_SIZE


def test_the_corpus_covers_every_style_with_enough_networks() -> None:
    counts = Counter(style for _, style, _, _ in CORPUS)
    assert set(counts) == set(STYLES)
    assert counts["fcnn"] >= 5 and counts["lenet"] >= 6 and counts["alexnet"] >= 6 and counts["rnn"] >= 4 \
        and counts["blocks"] >= 5
    assert len(CORPUS) >= 40
    assert len({name for name, _, _, _ in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize(("name", "style", "tokens", "options"), CORPUS, ids=[n for n, _, _, _ in CORPUS])
def test_corpus_figure_passes_the_quality_check(name: str, style: str, tokens: list[Any],
                                                options: dict[str, Any]) -> None:
    problems = quality.check(nnsvg.draw(style, tokens, **options).scene)
    assert not problems, f"{name}:\n" + "\n".join(str(p) for p in problems)


@pytest.mark.parametrize("name", sorted(FAILS_AT_NATURAL_SIZE))
def test_known_failure_at_natural_size_still_fails_so(name: str) -> None:
    """A real network the check rejects at its natural size today (a product bug, kept out of the
    corpus): it still fails with the problem its entry names; once fixed, this fails until the
    network moves into the corpus."""
    (listed, style, tokens, options), reason = FAILS_AT_NATURAL_SIZE[name]
    assert listed == name and name not in {n for n, _, _, _ in CORPUS}
    problems = [str(p) for p in quality.check(nnsvg.draw(style, tokens, **options).scene)]
    kind = reason.split(":", 1)[0]
    assert any(p.startswith(kind) for p in problems), f"{name} passes the check now: move it into CORPUS"
