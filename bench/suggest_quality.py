"""How well ``alliancegraph suggest`` finds the curated assertions of each article.

For every article source, the knowledge base is loaded with that article's own
assertions left out (entities and the other articles kept), the article is run
through :func:`alliancegraph.suggest.suggest`, and the drafts are compared with
the curated assertions: a draft matches one when the relation is the same, its
sentence contains the curated quote, and subject and object are the same once
an official counts for the state they speak for.

    python bench/suggest_quality.py [KG]

prints a Markdown table (the one in the README's "Curator tools" section).
"""

from __future__ import annotations

import sys

import alliancegraph
from alliancegraph.suggest import Score, measure


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def table(scores: list[Score]) -> str:
    lines = [
        "| article | curated | drafts | recall | precision | sentence found |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    total = Score("all four articles", *(sum(getattr(s, f) for s in scores) for f in
                                           ("curated", "found", "drafts", "correct", "pointed")))
    for s in [*scores, total]:
        lines.append(
            f"| {s.source} | {s.curated} | {s.drafts} | {percent(s.found, s.curated)} ({s.found}) "
            f"| {percent(s.correct, s.drafts)} ({s.correct}) | {percent(s.pointed, s.curated)} ({s.pointed}) |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    kb = alliancegraph.load(sys.argv[1] if len(sys.argv) > 1 else None)
    print(table(measure(kb)))
