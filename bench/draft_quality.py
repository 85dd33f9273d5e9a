"""How well `alliancegraph add` and `suggest` draft the curated articles: leave-one-out.

Each article of the knowledge base is drafted again with its own assertions
left out (see :mod:`alliancegraph.draft_quality`), once with every entity kept
and once with the entities only that article refers to dropped too, and the
drafts are compared with the curated assertions.

    python bench/draft_quality.py [KG]

prints the Markdown tables of the README's "How good the drafts are".
"""

from __future__ import annotations

import sys
from functools import reduce

import alliancegraph
from alliancegraph.draft_quality import MODES, Score, measure

TARGETS = "≥ 90% sentences drafted; recall ≥ 50% at precision ≥ 60%; speaker right ≥ 80%; every relative date resolved"


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}% ({part}/{whole})" if whole else "–"


def table(scores: list[Score]) -> str:
    lines = [
        ("| article | curated | drafts | sentences drafted | recall | precision | speaker right | date right "
         "| relative dates resolved | new entities |"),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    total = reduce(lambda a, b: a + b, scores)
    total.source = f"all {len(scores)} articles"
    for s in [*scores, total]:
        lines.append(
            f"| {s.source} | {s.curated} | {s.drafts} | {percent(s.drafted_sentences, s.sentences)} "
            f"| {percent(s.found, s.curated)} | {percent(s.correct, s.drafts)} | {percent(s.speaker_right, s.with_speaker)} "
            f"| {percent(s.date_right, s.dated)} | {percent(s.relative_resolved, s.relative)} | {s.new_entities} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    kb = alliancegraph.load(sys.argv[1] if len(sys.argv) > 1 else None)
    for mode in MODES:
        print(f"Entities {mode}:\n")
        print(table(measure(kb, mode=mode)))
        print()
    print(f"Targets: {TARGETS}.")
