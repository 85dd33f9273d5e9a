"""Hostile and broken input: the loader answers every one with a clear problem naming the file.

Property-based tests generate well-formed knowledge bases (they must load and
compile) and mutate valid files (deleted keys, wrong types, broken YAML,
unknown ids, huge strings, deep nesting, binary junk, exponential aliases):
whatever comes out, ``check`` returns problems located in the file and never
raises, crashes or hangs.
"""

from __future__ import annotations

import os
import re
import string
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from alliancegraph.dates import PartialDate
from alliancegraph.loading import check
from alliancegraph.network import to_networkx
from alliancegraph.rdf import to_rdflib
from alliancegraph.vocabulary import ENTITY_TYPES, MODALITIES, POLARITIES, RELATIONS
from alliancegraph.yamlsafe import MAX_DEPTH

from conftest import cli_runner

# -- the specific attacks, each in a fresh interpreter (a crash must not take pytest down) ----------


def check_in_subprocess(root: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "alliancegraph.cli", "--kg", str(root), "check"],
        capture_output=True, text=True, timeout=timeout, cwd=root,
    )


def billion_laughs(levels: int = 9) -> str:
    lines = ["assertions:", "  - &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        lines.append(f"  - &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


ATTACKS = {
    "deep flow nesting": "assertions: " + "[" * 200_000 + "]" * 200_000 + "\n",
    "deep block nesting": "assertions:\n" + "- " * 200_000 + "x\n",
    "deep mappings": "assertions:\n  - note: " + "{a: " * 100_000 + "b" + "}" * 100_000 + "\n",
    "billion laughs": billion_laughs(),
    "one long string repeated by alias": (
        "sources:\n  - &s {id: s, title: '" + "x" * 1_000_000 + "', kind: reference}\n"
        + "".join("  - *s\n" for _ in range(200))
    ),
}


@pytest.mark.parametrize("text", ATTACKS.values(), ids=ATTACKS.keys())
def test_hostile_yaml_is_refused_quickly_with_its_place(tmp_path, text):
    (tmp_path / "evil.yaml").write_text(text, encoding="utf-8")
    result = check_in_subprocess(tmp_path)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    # Whichever limit fires (ours, or the YAML library's own), the refusal is ours to word.
    assert re.match(r"evil\.yaml:\d+:\d+: YAML refused: ", first), first


def test_deep_nesting_is_refused_by_our_own_limit_where_it_fires_first(tmp_path):
    (tmp_path / "evil.yaml").write_text("assertions: " + "[" * 120 + "]" * 120 + "\n", encoding="utf-8")
    script = (
        "import sys; from pathlib import Path; from alliancegraph import parsing, yamlsafe\n"
        "yamlsafe.MAX_DEPTH = 50\n"
        "print(parsing.parse_file(Path(sys.argv[1])).syntax)\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "evil.yaml")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    assert re.match(r".*evil\.yaml:1:\d+: YAML refused: ", result.stdout), result.stdout


class LimitedLoader(yaml.SafeLoader):
    """A YAML library with a nesting limit of its own, stated in words of its own."""

    def fetch_more_tokens(self):
        if self.flow_level > 120 or len(self.indents) > 120:
            raise yaml.scanner.ScannerError(None, None, "words nobody should match on", self.get_mark())
        return super().fetch_more_tokens()


@pytest.mark.parametrize("text", [
    "assertions: " + "[" * 150 + "]" * 150 + "\n",
    "assertions:\n" + "- " * 150 + "x\n",
    "assertions:\n" + "".join("  " * i + f"k{i}:\n" for i in range(150)) + "  " * 150 + "x\n",
], ids=["flow", "compact block", "indented mappings"])
def test_deep_nesting_is_refused_alike_when_the_librarys_own_limit_fires_first(tmp_path, monkeypatch, text):
    from alliancegraph import parsing, yamlsafe

    monkeypatch.setattr(yamlsafe, "SafeLoader", LimitedLoader)
    monkeypatch.setattr(yamlsafe, "MAX_DEPTH", 10**9)
    (tmp_path / "evil.yaml").write_text(text, encoding="utf-8")
    problem = str(parsing.parse_file(tmp_path / "evil.yaml").syntax)
    assert re.match(r".*evil\.yaml:\d+:\d+: YAML refused: ", problem), problem
    assert "words nobody" not in problem


def test_a_syntax_error_in_shallow_yaml_stays_a_syntax_error(tmp_path):
    (tmp_path / "broken.yaml").write_text("assertions:\n  - {id: a1, subject: [x\n", encoding="utf-8")
    result = check_in_subprocess(tmp_path)
    assert result.returncode == 1
    assert re.match(r"broken\.yaml:\d+:\d+: YAML syntax error: ", result.stderr.splitlines()[0])


def test_a_nesting_the_format_uses_is_not_refused(tiny):
    tiny.add(id="a1", subject="serbia", relation="signs", object="srb-hun", date=2025, source="record",
             note="x" * (MAX_DEPTH + 10))  # a long line alone is no reason to refuse
    assert check(tiny.write())[1] == []


def test_anchors_and_aliases_within_reason_load(tiny):
    root = tiny.write()
    tiny.write_raw("more.yaml", """
        assertions:
          - &signing {id: b1, subject: croatia, relation: signs, object: declaration, source: record, date: 2025-03}
          - {<<: *signing, id: b2, subject: albania}
        """)
    kb, problems = check(root)
    assert problems == []
    assert {a.subject for a in kb.assertions if a.id in ("b1", "b2")} == {"croatia", "albania"}


def problems_of(root: Path) -> list[str]:
    return [str(p) for p in check(root)[1]]


def test_a_key_written_twice_is_an_error_not_an_overwrite(tiny, monkeypatch):
    monkeypatch.chdir(tiny.root)
    tiny.write()
    tiny.write_raw("twice.yaml", """
        assertions:
          - {id: c1, subject: croatia, relation: signs, object: declaration, source: record, date: 2025}
        entities:
          - {id: x-issue, label: X, type: issue}
        assertions:
          - {id: c2, subject: albania, relation: signs, object: declaration, source: record, date: 2025}
        """)
    assert problems_of(tiny.root) == ["twice.yaml:5:1: YAML syntax error: duplicate key 'assertions' (first written on line 1)"]


def test_a_source_file_that_is_not_text_is_reported_at_the_quote(tiny, monkeypatch):
    monkeypatch.chdir(tiny.root)
    (tiny.root / "article.txt").write_bytes(b"\xff\xfe\x00binary")
    tiny.add(id="a1", subject="serbia", relation="signs", object="srb-hun", date=2025, quote="Serbia signed")
    assert problems_of(tiny.write()) == [
        "kb.yaml:68:10: assertion a1: cannot check the quote: source 'art' file cannot be read: it is not UTF-8 text"
    ]


def test_a_source_file_name_no_file_system_holds_is_reported(tiny, monkeypatch):
    monkeypatch.chdir(tiny.root)
    tiny.sources[0]["file"] = "article\x00.txt"
    [problem] = problems_of(tiny.write())
    assert problem.startswith("kb.yaml:") and "source file 'article\\x00.txt' does not exist" in problem


def test_year_zero_is_an_impossible_date(tiny):
    tiny.add(id="a1", subject="serbia", relation="signs", object="srb-hun", date="0000-01-01", source="record")
    [problem] = problems_of(tiny.write())
    assert problem.endswith("assertion a1: date: impossible date '0000-01-01': there is no year 0")


def test_a_pasted_megabyte_does_not_flood_the_message(tiny):
    tiny.add(id="a1", subject="serbia", relation="signs", object="x" * 1_000_000, date=2025, source="record")
    [problem] = problems_of(tiny.write())
    assert len(problem) < 400


@pytest.mark.parametrize("key, value, message", [
    ("id", "a" * 201, "id is 201 characters long; the most is 200"),
    ("note", "n" * 10_001, "note is 10001 characters long; the most is 10000"),
])
def test_ids_and_texts_have_a_length_limit(tiny, key, value, message):
    record = tiny.add(id="a1", subject="serbia", relation="signs", object="srb-hun", date=2025, source="record")
    record[key] = value
    [problem] = problems_of(tiny.write())
    assert problem.endswith(message)


# -- property: well-formed knowledge bases load and compile -----------------------------------------

IDS = st.from_regex(r"[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,4}){0,2}", fullmatch=True)
#: Any printable text: letters, digits, punctuation, symbols and spaces from all of Unicode.
TEXT = st.text(st.characters(categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=40).filter(str.strip)
#: Quotes must occur in the article, which is built from them; curly quotes and dashes test the folding.
QUOTES = st.text(st.sampled_from(string.ascii_letters + string.digits + " ,.’“”–—-'\"é"), min_size=3, max_size=60).filter(
    lambda q: len(q.strip()) >= 3
)


@st.composite
def partial_dates(draw) -> PartialDate:
    year = draw(st.integers(1900, 2100))
    month = draw(st.none() | st.integers(1, 12))
    day = draw(st.none() | st.integers(1, 28)) if month else None
    return PartialDate(year, month, day)


@st.composite
def timing(draw) -> dict:
    """A point date, or an interval with either side open, written as YAML writes them."""
    first, second = sorted([draw(partial_dates()), draw(partial_dates())], key=lambda d: d.earliest)
    written = lambda d: d.year if d.precision == "year" and draw(st.booleans()) else str(d)  # noqa: E731
    shape = draw(st.sampled_from(["date", "start", "end", "interval"]))
    if shape == "date":
        return {"date": written(first)}
    if shape == "interval":
        return {"start": written(first), "end": written(second)}
    return {shape: written(first)}


@st.composite
def entities(draw) -> list[dict]:
    ids = draw(st.lists(IDS, min_size=2, max_size=8, unique=True))
    records = []
    for number, entity_id in enumerate(ids, start=1):
        record = {"id": entity_id, "label": draw(TEXT), "type": draw(st.sampled_from(list(ENTITY_TYPES)))}
        if draw(st.booleans()):
            record["aliases"] = draw(st.lists(TEXT, max_size=3))
        if draw(st.booleans()):
            record["wikidata"] = f"Q{number}"
        records.append(record)
    return records


@st.composite
def assertion(draw, number: int, everyone: list[dict]) -> tuple[dict, str | None] | None:
    relation = draw(st.sampled_from(list(RELATIONS.values())))
    subjects = [e for e in everyone if e["type"] in relation.subject_types]
    objects = [e for e in everyone if relation.object_types is None or e["type"] in relation.object_types]
    if not subjects or not objects:
        return None
    subject, obj = draw(st.sampled_from(subjects)), draw(st.sampled_from(objects))
    if relation.symmetric and subject is obj:
        return None
    record = {"id": f"a{number}", "subject": subject["id"], "relation": relation.id, "object": obj["id"],
              "polarity": draw(st.sampled_from(list(POLARITIES))), "modality": draw(st.sampled_from(list(MODALITIES))),
              **draw(timing())}
    if record["modality"] == "claim" or draw(st.booleans()):
        record["speaker"] = draw(st.sampled_from(everyone))["id"]
    if relation.id == "holds-office":
        record["role"] = draw(TEXT)
    quote = draw(st.none() | QUOTES)
    record.update(source="art", quote=quote) if quote else record.update(source="record")
    return record, quote


@st.composite
def knowledge_bases(draw) -> tuple[dict, str]:
    """A knowledge base file and its article: random but well-formed."""
    everyone = draw(entities())
    people = [e for e in everyone if e["type"] == "person"]
    records, quotes = [], []
    for number in range(draw(st.integers(0, 12))):
        drawn = draw(assertion(number, everyone))
        if drawn is not None:
            records.append(drawn[0])
            quotes += [drawn[1]] if drawn[1] else []
    for person in people[:2]:
        bodies = [e for e in everyone if e["type"] in RELATIONS["holds-office"].object_types]
        if bodies and draw(st.booleans()):
            start, end = sorted([draw(partial_dates()), draw(partial_dates())], key=lambda d: d.earliest)
            office = {"role": draw(TEXT), "of": draw(st.sampled_from(bodies))["id"], "source": "record", "start": str(start)}
            person["offices"] = [{**office, "end": str(end)} if draw(st.booleans()) else office]
    sources = [
        {"id": "art", "title": draw(TEXT), "kind": "news", "file": "article.txt", "published": str(draw(partial_dates()))},
        {"id": "record", "title": "Public records", "kind": "reference"},
    ]
    article = "\n\n".join(quotes) or "An article that nobody quoted."
    return {"sources": sources, "entities": everyone, "assertions": records}, article


#: ALLIANCEGRAPH_FUZZ_EXAMPLES=5000 runs a long bug hunt; the default keeps the suite quick.
HYPOTHESIS = settings(
    max_examples=int(os.environ.get("ALLIANCEGRAPH_FUZZ_EXAMPLES", "60")),
    deadline=5000,
    suppress_health_check=[HealthCheck.too_slow],
)


def write_kb(folder: Path, data: dict, article: str) -> Path:
    (folder / "article.txt").write_text(article, encoding="utf-8")
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    (folder / "kb.yaml").write_text(text, encoding="utf-8")
    return folder


@HYPOTHESIS
@given(knowledge_bases())
def test_well_formed_knowledge_bases_load_and_compile(generated):
    data, article = generated
    with tempfile.TemporaryDirectory() as folder:
        kb, problems = check(write_kb(Path(folder), data, article))
        assert problems == []
        offices = sum(len(e.get("offices", ())) for e in data["entities"])
        assert len(kb.assertions) == len(data["assertions"]) + offices
        network = to_networkx(kb)
        assert network.number_of_edges() == len(kb.assertions)
        assert network.number_of_nodes() == len(data["entities"])
        graph = to_rdflib(kb)
        labels = {str(o) for o in graph.objects(None, None)}
        assert all(e["label"] in labels for e in data["entities"])  # every label survives escaping


@HYPOTHESIS
@given(knowledge_bases())
def test_the_json_schema_accepts_every_well_formed_file(generated):
    import jsonschema

    from alliancegraph.schema import generate_schema
    from alliancegraph.yamlsafe import safe_load

    data, _ = generated
    reread = safe_load(yaml.safe_dump(data, allow_unicode=True))  # as the loader sees it: dates as text
    assert list(jsonschema.Draft202012Validator(generate_schema()).iter_errors(reread)) == []


# -- property: mutations of valid files end in problems naming the file -----------------------------

REFERENCE_KEYS = ("subject", "object", "speaker", "source", "part_of", "of", "on_behalf_of", "regarding")
WRONG_VALUES = st.one_of(
    st.integers(), st.floats(), st.booleans(), st.none(), st.text(max_size=20),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def records(data: dict) -> list[dict]:
    found = [r for section in ("sources", "entities", "assertions") for r in data[section]]
    return found + [office for entity in data["entities"] for office in entity.get("offices", ())]


def dump(data: dict) -> bytes:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode("utf-8")


def delete_key(draw, data):
    record = draw(st.sampled_from(records(data)))
    del record[draw(st.sampled_from(sorted(record)))]
    return dump(data), False


def wrong_type(draw, data):
    record = draw(st.sampled_from(records(data)))
    record[draw(st.sampled_from(sorted(record)))] = draw(WRONG_VALUES)
    return dump(data), False


def unknown_id(draw, data):
    candidates = [r for r in records(data) if any(k in r for k in REFERENCE_KEYS)]
    assume(candidates)
    record = draw(st.sampled_from(candidates))
    known = {r["id"] for r in data["entities"] + data["sources"]}
    record[draw(st.sampled_from([k for k in REFERENCE_KEYS if k in record]))] = draw(IDS.filter(lambda i: i not in known))
    return dump(data), True


def unknown_key(draw, data):
    draw(st.sampled_from(records(data)))["speeker"] = "x"
    return dump(data), True


def huge_string(draw, data):
    record = draw(st.sampled_from(records(data)))
    record[draw(st.sampled_from(sorted(record)))] = draw(st.sampled_from("xé“ ")) * 1_000_000
    return dump(data), True


def section_not_a_list(draw, data):
    # None and [] are an empty section, which is valid: anything else is not a list of records.
    wrong = WRONG_VALUES.filter(lambda v: v is not None and v != [])
    data[draw(st.sampled_from(["sources", "entities", "assertions"]))] = draw(wrong)
    return dump(data), True


def truncated(draw, data):
    text = dump(data)
    return text[: draw(st.integers(0, len(text)))], False


def binary_junk(draw, data):
    text = dump(data)
    at = draw(st.integers(0, len(text)))
    return text[:at] + draw(st.binary(min_size=1, max_size=64)) + text[at:], False


def deep_nesting(draw, data):
    depth = draw(st.integers(1, 5000))
    note = "[" * depth + "]" * depth
    return dump(data) + f"\nlater:\n  note: {note}\n".encode(), True


def exponential_aliases(draw, data):
    return dump(data) + billion_laughs(draw(st.integers(1, 12))).replace("assertions:", "laughs:").encode(), True


MUTATIONS = [delete_key, wrong_type, unknown_id, unknown_key, huge_string, section_not_a_list, truncated, binary_junk,
             deep_nesting, exponential_aliases]


@HYPOTHESIS
@given(knowledge_bases(), st.sampled_from(MUTATIONS), st.data())
def test_mutated_files_end_in_problems_naming_the_file(generated, mutate, data):

    from alliancegraph.cli import main

    kb_data, article = generated
    content, must_fail = mutate(data.draw, kb_data)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "article.txt").write_text(article, encoding="utf-8")
        (root / "kb.yaml").write_bytes(content)
        kb, problems = check(root)  # never raises
        assert all(p.file == root / "kb.yaml" and p.line >= 1 and p.column >= 1 and p.message for p in problems)
        assert problems or not must_fail
        if kb is not None:  # whatever the loader accepts compiles
            to_rdflib(kb)
            to_networkx(kb)
        result = cli_runner().invoke(main, ["--kg", str(root), "check", "--quiet"])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert result.exit_code == (1 if problems else 0)


# -- security -----------------------------------------------------------------------------------------


def test_python_in_a_knowledge_base_folder_is_never_run(tiny, tmp_path, monkeypatch):

    from alliancegraph.cli import main

    monkeypatch.setenv("ALLIANCEGRAPH_CACHE", str(tmp_path / "cache"))
    marker = tmp_path / "ran"
    payload = f"open({str(marker)!r}, 'w').write('ran')\nCOLUMNS = ('x',)\n\ndef run(graph):\n    return []\n"
    root = tiny.write()
    for place in (root / "queries", root, root / "queries" / "nested"):
        place.mkdir(parents=True, exist_ok=True)
        for name in ("evil.py", "who-aligns-with.py", "__init__.py", "conftest.py"):
            (place / name).write_text(payload, encoding="utf-8")
    for arguments in (["query", "--list"], ["query", "who-aligns-with", "Serbia"], ["query", "path", "serbia", "hungary"],
                      ["check"], ["build", "-o", str(tmp_path / "out")]):
        result = cli_runner().invoke(main, ["--kg", str(root), *arguments])
        assert result.exception is None or isinstance(result.exception, SystemExit), arguments
    assert not marker.exists()


def test_yaml_tags_that_would_build_objects_are_refused(tiny, monkeypatch):
    monkeypatch.chdir(tiny.root)
    tiny.write()
    tiny.write_raw("tags.yaml", """
        assertions:
          - !!python/object/apply:os.system ["touch pwned"]
        """)
    [problem] = problems_of(tiny.root)
    assert re.match(r"tags\.yaml:2:\d+: YAML syntax error: ", problem), problem
    assert not (tiny.root / "pwned").exists()
