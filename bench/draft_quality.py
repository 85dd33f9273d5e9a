"""How well `alliancegraph add` and `suggest` draft: leave-one-out on the curated articles, and the
test articles of tests/articles/ (test material) against what a curator would record from them.

Each article is drafted again with its own assertions left out (see
:mod:`alliancegraph.draft_quality`), once with every entity kept and once with
the entities only that article refers to dropped too, and the drafts are
compared with the curated assertions.

    python bench/draft_quality.py [KG]

prints the Markdown tables of "How good the drafts are" in docs/curation.md.
"""

from __future__ import annotations

import sys
import tempfile
from functools import reduce
from pathlib import Path

import alliancegraph
from alliancegraph.draft_quality import MODES, Score, measure, with_articles

TARGETS = "≥ 90% sentences drafted; recall ≥ 50% at precision ≥ 60%; speaker right ≥ 80%; every relative date resolved"
TEST_ARTICLES = Path(__file__).resolve().parent.parent / "tests" / "articles"


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}% ({part}/{whole})" if whole else "–"


def short(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def table(scores: list[Score], what: str) -> str:
    lines = [
        ("| article | curated | drafts (low-confidence) | sentences drafted | recall | precision (of low-confidence) "
         "| speaker right | date right | relative dates resolved (exactly) | new entities |"),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    total = reduce(lambda a, b: a + b, scores)
    total.source = f"all {len(scores)} {what}"
    for s in [*scores, total]:
        lines.append(
            f"| {s.source} | {s.curated} | {s.drafts} ({s.low_confidence}) | {percent(s.drafted_sentences, s.sentences)} "
            f"| {percent(s.found, s.curated)} | {percent(s.correct, s.drafts)} "
            f"({short(s.low_confidence_correct, s.low_confidence)}) "
            f"| {percent(s.speaker_right, s.with_speaker)} "
            f"| {percent(s.date_right, s.dated)} | {percent(s.relative_resolved, s.relative)} "
            f"({s.relative_exact}) | {s.new_entities} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    kb = alliancegraph.load(sys.argv[1] if len(sys.argv) > 1 else None)
    for mode in MODES:
        print(f"Curated articles, leave-one-out, entities {mode}:\n")
        print(table(measure(kb, mode=mode), "articles"))
        print()
    with tempfile.TemporaryDirectory() as folder:
        combined, tests = with_articles(kb, TEST_ARTICLES, Path(folder))
        for mode in MODES:
            print(f"Test articles, entities {mode}:\n")
            print(table(measure(combined, tests, mode=mode), "test articles"))
            print()
    print(f"Targets: {TARGETS}.")
