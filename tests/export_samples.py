"""Small knowledge bases for the export, drawing and export-CLI tests.

``alignment_kb`` holds one of everything the exports must handle: facts,
a claim and its denial, an intention, a minister whose words count for his
state, a symmetric relation, dated points and intervals, and a stance on an
issue. ``hostile_kb`` puts the hostile-text corpus in every free-text field.
"""

from __future__ import annotations

from conftest import TinyKB

#: Text a news report may carry, and worse: markup characters, quotes, emoji,
#: right-to-left scripts and marks, every C0 control and the non-characters.
HOSTILE = (
    'Tom & Jerry <b>"bold"</b> \'single\' ]]> 🇷🇸🤝🇭🇺 العربية עברית \u202eRTL\u202c controls:'
    + "".join(chr(c) for c in range(0x20))
    + "\x7f\ufffe\uffff end"
)

ISSUE = {"id": "nato-forces", "label": "NATO forces in the Balkans", "type": "issue"}
ARTICLE = TinyKB.ARTICLE + " Serbia opposes NATO forces in the Balkans; Serbia cooperates with Hungary."


def add_alignment(tiny: TinyKB) -> TinyKB:
    """The assertions of the alignment sample, added to a fresh TinyKB."""
    tiny.entities.append(dict(ISSUE))  # a copy: hostile_kb rewrites labels in place
    sentence = "Croatia, Albania and Kosovo signed a defence declaration in March."
    for party in ("croatia", "albania", "kosovo"):
        tiny.add(id=f"{party}-signs-declaration", subject=party, relation="signs", object="declaration", date="2025-03",
            quote=sentence)
    agreement = "Serbia signed a military cooperation agreement with Hungary on April 3."
    tiny.add(id="serbia-signs-srb-hun", subject="serbia", relation="signs", object="srb-hun", date="2025-04-03", quote=agreement)
    tiny.add(id="hungary-signs-srb-hun", subject="hungary", relation="signs", object="srb-hun", date="2025-04-03",
        quote=agreement)
    tiny.add(
        id="gasic-criticizes-declaration",
        subject="bratislav-gasic",
        relation="criticizes",
        object="declaration",
        date="2025-04-10",
        quote="Serbian Defence Minister Bratislav Gašić called the declaration “a provocative move”.",
    )
    tiny.add(
        id="maqedonci-claims-bulgaria-joins",
        subject="bulgaria",
        relation="signs",
        object="declaration",
        modality="claim",
        speaker="ejup-maqedonci",
        date="2025-04-15",
        quote="Kosovo's minister claimed that Bulgaria would join the declaration.",
    )
    tiny.add(
        id="bulgaria-denies-joining",
        subject="bulgaria",
        relation="signs",
        object="declaration",
        polarity="denied",
        speaker="georg-georgiev",
        date="2025-04-16",
        quote="Bulgaria's foreign minister said reports of Bulgaria's interest are inaccurate.",
    )
    tiny.add(
        id="dodik-willing-to-align",
        subject="milorad-dodik",
        relation="aligns-with",
        object="serbia",
        modality="intention",
        date="2025-04",
        quote="Milorad Dodik signaled willingness to align with Serbia and Hungary.",
    )
    tiny.add(
        id="serbia-opposes-nato-forces",
        subject="serbia",
        relation="opposes",
        object="nato-forces",
        date="2025-04-12",
        quote="Serbia opposes NATO forces in the Balkans",
    )
    tiny.add(
        id="serbia-cooperates-with-hungary",
        subject="serbia",
        relation="cooperates-with",
        object="hungary",
        start="2025-04-03",
        end="2025-12-31",
        quote="Serbia cooperates with Hungary.",
    )
    return tiny


def alignment_kb(root):
    """The alignment sample, loaded."""
    return add_alignment(TinyKB(root, article=ARTICLE)).load()


def hostile_kb(root):
    """A knowledge base whose labels, aliases, descriptions, quotes and notes are all hostile text."""
    tiny = TinyKB(root, article=ARTICLE + " " + HOSTILE)
    add_alignment(tiny)
    for entity in tiny.entities:
        entity["label"] = f"{entity['label']} {HOSTILE}"
        entity["aliases"] = [*entity.get("aliases", []), HOSTILE]
        entity["description"] = HOSTILE
    tiny.sources[0]["note"] = HOSTILE
    tiny.add(
        id="serbia-aligns-hostile",
        subject="serbia",
        relation="aligns-with",
        object="hungary",
        date="2025-04-20",
        quote=HOSTILE,
        note=HOSTILE,
        role=HOSTILE,
    )
    return tiny.load()
