"""One row per finding, with the evidence behind it.

A saved query answers with rows, and a row rests on one assertion or more
(its ``assertion`` column, or ``assertions``, ``claim_assertion``…). Two
records of one statement (a denial reported twice, a signature and the
cooperation it starts, a decision and the argument for it) would otherwise
give two rows for one finding. The rule, written once here:

    Two rows are one finding when they agree on the query's *finding
    columns* (declared by the query: who and when, e.g. ``actor`` and
    ``date`` for who-aligns-with) and rest on assertions that take the same
    side — the same sign (cooperative or conflictual), or for a neutral
    relation the same relation — with the same polarity and modality, said
    by the same speaker, for the same actor.

The merged row keeps the values of the first of its rows (the queries sort
oldest first, then by id), and the answer's ``evidence`` for it lists every
assertion behind it. A query that declares no finding columns is not merged.

Evidence is read, when the caller prints it, from the engine with one SPARQL query (and one
for the speakers' offices), so it works on a
local store and on a SPARQL server alike: for each assertion its source, the
quote, the speaker and the office they held then, the polarity, modality and
date basis, and the source's title, outlet, URL and date.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from .text import clip
from .vocabulary import ASSERTION, RELATIONS

if TYPE_CHECKING:
    from .engine import Engine

__all__ = [
    "COMPACT",
    "EVIDENCE_COLUMNS",
    "Answer",
    "assertion_columns",
    "evidence_records",
    "evidence_view",
    "merge_findings",
    "shows_evidence",
    "with_evidence",
]

#: What every JSON row's ``evidence`` list gives for each assertion.
COMPACT = ("assertion", "source", "quote")
#: The columns --evidence adds to tables and CSV (JSON has them in ``evidence``).
EVIDENCE_COLUMNS = ("quote", "said_by", "modality", "source_title", "source_date")
#: A quote in a table is cut to this many characters (whole in JSON and CSV).
TABLE_QUOTE = 120

EVIDENCE_QUERY = """
PREFIX ag: <https://w3id.org/alliancegraph/vocab#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

SELECT ?assertion ?source ?quote ?relation ?polarity ?modality ?actor ?counterpart ?speaker ?speaker_label
  ?date ?dated_by ?source_title ?source_date ?outlet ?url
WHERE {
  VALUES ?assertion { %s }
  ?assertion prov:wasDerivedFrom ?source ;
    ag:relation ?relation ;
    ag:polarity ?polarity ;
    ag:modality ?modality ;
    ag:actor ?actor ;
    ag:counterpart ?counterpart ;
    ag:datedBy ?dated_by .
  OPTIONAL { ?assertion ag:quote ?quote }
  OPTIONAL { ?assertion ag:dated ?date }
  OPTIONAL { ?source dcterms:title ?source_title }
  OPTIONAL { ?source dcterms:issued ?issued }
  BIND (STR(?issued) AS ?source_date)
  OPTIONAL { ?source dcterms:publisher ?outlet }
  OPTIONAL { ?source rdfs:seeAlso ?link }
  BIND (STR(?link) AS ?url)
  OPTIONAL { ?assertion ag:speaker ?speaker . OPTIONAL { ?speaker rdfs:label ?speaker_label } }
}
"""

#: The office each speaker spoke from: the office the assertion came through (ag:through, the
#: model's rule: the one held when it was stated), when it is the speaker's. A query of its own,
#: joined from the assertions given: inside an OPTIONAL of EVIDENCE_QUERY, Oxigraph matched every
#: office of the graph first (0.4 s at 100,000 assertions, for one row).
OFFICE_QUERY = """
PREFIX ag: <https://w3id.org/alliancegraph/vocab#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

SELECT ?assertion ?role ?office_of ?office_label ?office_from
WHERE {
  VALUES ?assertion { %s }
  ?assertion ag:speaker ?holder ;
    ag:through ?office .
  ?office ag:subject ?holder ;
    ag:object ?office_of ;
    ag:role ?role ;
    ag:validFrom ?office_from .
  ?office_of rdfs:label ?office_label .
}
"""

#: What an evidence record holds of the speaker's office (None when the speaker held none then).
OFFICE_FIELDS = ("role", "office_of", "office_label", "office_from")


def assertion_columns(columns: Iterable[str]) -> list[str]:
    """The columns that hold assertion ids: ``assertion``, ``assertions`` and names ending so."""
    return [c for c in columns if c in ("assertion", "assertions") or c.endswith(("_assertion", "_assertions"))]


def _ids(row: Mapping, columns: Sequence[str]) -> list[str]:
    ids: list[str] = []
    for column in columns:
        value = row.get(column)
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, str) and item and item not in ids:
                ids.append(item)
    return ids


def evidence_records(engine: Engine, assertion_ids: Iterable[str]) -> dict[str, dict]:
    """Each assertion's evidence by id (assertions the graph does not hold are left out)."""
    import pyoxigraph

    ids = sorted(set(assertion_ids))
    if not ids:
        return {}
    values = " ".join(str(pyoxigraph.NamedNode(ASSERTION + i)) for i in ids)
    records = {row["assertion"]: {**row, **dict.fromkeys(OFFICE_FIELDS)} for row in engine.select(EVIDENCE_QUERY % values)}
    for office in engine.select(OFFICE_QUERY % values):
        record = records.get(office["assertion"])
        # One office at most (a graph compiled otherwise may hold more: the one taken last speaks).
        if record is not None and (record["office_from"] is None or office["office_from"] > record["office_from"]):
            record.update({field: office[field] for field in OFFICE_FIELDS})
    for record in records.values():
        record["office"] = _office(record)
        record["said_by"] = _said_by(record)
    return records


def _office(record: Mapping) -> str | None:
    if not record.get("role"):
        return None
    return f"{record['role']}, {record['office_label']}" if record.get("office_label") else record["role"]


def _said_by(record: Mapping) -> str | None:
    """Who said it, as a reader wants it: "Georg Georgiev (Minister of Foreign Affairs, bulgaria)"."""
    name = record.get("speaker_label") or record.get("speaker")
    if not name:
        return None
    return f"{name} ({record['office']})" if record.get("office") else name


def _side(record: Mapping) -> object:
    """The side an assertion takes: its relation's sign, or the relation itself when neutral."""
    relation = RELATIONS.get(record["relation"])
    return relation.sign if relation is not None and relation.sign else record["relation"]


def _frame(row: Mapping, finding: Sequence[str]) -> tuple:
    """The row's values in the finding columns: rows can be one finding only when these agree."""
    return tuple([_hashable(row.get(c)) for c in finding])


def _finding_key(row: Mapping, finding: Sequence[str], record: Mapping | None) -> tuple:
    frame = _frame(row, finding)
    if record is None:
        return frame
    actor = row.get("actor", record["actor"])
    return (*frame, actor, _side(record), record["polarity"], record["modality"], record["speaker"])


def _hashable(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


class Answer(list):
    """A query's rows (dicts with the query's columns), one per finding.

    ``evidence[i]`` lists the records of the assertions row ``i`` rests on,
    in order (see :func:`evidence_records`); ``notes`` say how the question
    was read ("Milorad Dodik speaks for Republika Srpska ...; answering for
    Republika Srpska"); ``columns`` are the query's columns, in order (empty: as its rows have them).
    """

    def __init__(self, rows: Iterable[dict] = (), evidence: Iterable[list[dict]] | None = None):
        super().__init__(rows)
        self.evidence: list[list[dict]] = list(evidence) if evidence is not None else [[] for _ in self]
        self.notes: list[str] = []
        self.columns: list[str] = []


def merge_findings(rows: Sequence[dict], finding: Sequence[str], records: Mapping[str, dict],
                   lists: Sequence[str] = ()) -> Answer:
    """The rows, one per finding (see the module docs), with the records of their assertions.

    ``lists`` are columns holding lists, which a merged row unites.
    """
    columns = assertion_columns(rows[0]) if rows else []
    merged: dict[tuple, int] = {}
    answer = Answer()
    for position, row in enumerate(rows):
        ids = _ids(row, columns)
        evidence = [records[i] for i in ids if i in records]
        if finding:
            key = _finding_key(row, finding, evidence[0] if len(ids) == 1 and evidence else None)
        else:
            key = (position,)
        index = merged.get(key)
        if index is None:
            merged[key] = index = len(answer)
            answer.append(dict(row))
            answer.evidence.append([])
        else:
            first = answer[index]
            for column in lists:
                first[column] = sorted(set(first.get(column) or []) | set(row.get(column) or []))
        if evidence:
            seen = {record["assertion"] for record in answer.evidence[index]}
            answer.evidence[index] += [record for record in evidence if record["assertion"] not in seen]
    return answer


def with_evidence(engine: Engine, rows: list[dict], finding: Sequence[str] = (), lists: Sequence[str] = (),
                  evidence: bool = True) -> Answer:
    """The rows merged into findings, with the evidence of each read from ``engine``.

    Without ``evidence`` every row's evidence is left empty, and only the records that decide
    a merge are read: those of rows that share their finding columns with another row (a row
    alone in its frame is a finding of its own whatever its assertion says).
    """
    columns = assertion_columns(rows[0]) if rows else []
    deciding = rows if evidence else _sharing_a_frame(rows, finding)
    ids = [i for row in deciding for i in _ids(row, columns)]
    answer = merge_findings(rows, finding, evidence_records(engine, ids) if ids else {}, lists)
    if not evidence:
        answer.evidence = [[] for _ in answer]
    return answer


def _sharing_a_frame(rows: Sequence[dict], finding: Sequence[str]) -> list[dict]:
    """The rows whose values in the finding columns are also another row's (none without finding columns)."""
    if not finding:
        return []
    frames = [_frame(row, finding) for row in rows]
    counts = Counter(frames)
    return [row for row, frame in zip(rows, frames) if counts[frame] > 1]


def shows_evidence(fmt: str, full: bool) -> bool:
    """Whether :func:`evidence_view` prints evidence in ``fmt``: JSON always (its compact list), tables
    and CSV with ``full`` (--evidence)."""
    return full or fmt == "json"


def evidence_view(answer: Answer, columns: Sequence[str], fmt: str, full: bool) -> tuple[list[dict], list[str]]:
    """The rows and columns to print.

    JSON gets an ``evidence`` list (COMPACT, or every field with ``full``). With
    ``full``, CSV gets EVIDENCE_COLUMNS, each listing its assertions' values in
    order, and a table an ``evidence`` list of lines: per assertion, the quote
    (cut to TABLE_QUOTE characters), who said it, the source's title and date,
    the modality, which the table prints under its row.
    """
    if not shows_evidence(fmt, full):
        return list(answer), list(columns)
    pairs = list(zip(answer, getattr(answer, "evidence", None) or [[] for _ in answer]))
    if fmt == "json":
        fields = FULL if full else COMPACT
        return [{**row, "evidence": [{f: r.get(f) for f in fields} for r in records]} for row, records in pairs], [
            *columns, "evidence"]
    if fmt == "table":
        return [{**row, "evidence": [_evidence_line(r) for r in records]} for row, records in pairs], [*columns, "evidence"]
    added = [c for c in EVIDENCE_COLUMNS if c not in columns]
    return [{**row, **{c: [r.get(c) or "" for r in records] for c in added}} for row, records in pairs], [*columns, *added]


#: Every field of an evidence record that --evidence shows in JSON.
FULL = ("assertion", "source", "quote", "speaker", "said_by", "office", "relation", "polarity", "modality",
        "date", "dated_by", "source_title", "source_date", "outlet", "url")


def _evidence_line(record: Mapping) -> str:
    """One assertion's evidence as a table shows it: “quote…” — who, “source”, date (modality)."""
    quote = clip(record.get("quote") or "", TABLE_QUOTE, at_space=True)
    where = ", ".join(part for part in (record.get("said_by"), record.get("source_title"), record.get("source_date")) if part)
    return f"“{quote}” — {where} ({record['modality']})" if quote else f"{where} ({record['modality']})"
