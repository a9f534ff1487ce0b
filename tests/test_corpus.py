"""Every network of the corpus (real published networks at their true sizes, tests/corpus.py)
drawn with its options passes the figure-quality check."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

import nnsvg
from nnsvg import quality
from nnsvg.styles import STYLES

from .corpus import CORPUS


def test_the_corpus_covers_every_style_with_enough_networks() -> None:
    counts = Counter(style for _, style, _, _ in CORPUS)
    assert set(counts) == set(STYLES)
    assert counts["fcnn"] >= 5 and counts["lenet"] >= 6 and counts["alexnet"] >= 6 and counts["rnn"] >= 4 \
        and counts["blocks"] >= 5
    assert len(CORPUS) >= 22
    assert len({name for name, _, _, _ in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize(("name", "style", "tokens", "options"), CORPUS, ids=[n for n, _, _, _ in CORPUS])
def test_corpus_figure_passes_the_quality_check(name: str, style: str, tokens: list[Any],
                                                options: dict[str, Any]) -> None:
    problems = quality.check(nnsvg.draw(style, tokens, **options).scene)
    assert not problems, f"{name}:\n" + "\n".join(str(p) for p in problems)
