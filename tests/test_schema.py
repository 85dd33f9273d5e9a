"""The JSON Schemas for the YAML files: generated from the loader, committed, and in agreement with it."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from alliancegraph.cli import main
from alliancegraph.loading import check
from alliancegraph.paths import discover
from alliancegraph.record_fields import FIELDS, OFFICE_FIELDS
from alliancegraph.schema import FIELD_DESCRIPTIONS, KINDS, annotate, generate_schema, kind_of_file, modeline, schema_json
from alliancegraph.vocabulary import ENTITY_TYPES, RELATIONS
from alliancegraph.yamlsafe import SafeLoader

from conftest import REPO, cli_runner

SCHEMAS = REPO / "schemas"


def validator(kind: str = "knowledge-base") -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(generate_schema(kind))


def read_yaml(path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)


def schema_errors(data, kind: str = "knowledge-base") -> list[str]:
    return [error.message for error in validator(kind).iter_errors(data)]


@pytest.mark.parametrize("kind", KINDS)
def test_committed_schema_is_the_generated_one(kind):
    committed = (SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_json(kind), "run `alliancegraph schema --write` and commit schemas/"


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_valid_draft_2020_12(kind):
    jsonschema.Draft202012Validator.check_schema(generate_schema(kind))


def test_every_field_of_the_loader_is_described():
    specs = {**FIELDS, "offices": OFFICE_FIELDS}
    assert {section: set(spec) for section, spec in specs.items()} == {
        section: set(descriptions) for section, descriptions in FIELD_DESCRIPTIONS.items()
    }


def test_editors_are_offered_every_relation_and_entity_type_with_its_definition():
    defs = generate_schema()["$defs"]
    assert defs["relation"]["enum"] == list(RELATIONS)
    assert defs["relation"]["enumDescriptions"][0] == RELATIONS["signs"].definition
    assert defs["entity-type"]["enum"] == list(ENTITY_TYPES)


@pytest.mark.parametrize("file", discover(REPO / "kg"), ids=lambda f: f.relative_to(REPO / "kg").as_posix())
def test_every_curated_file_names_its_schema_and_validates_against_it(file):
    text = file.read_text(encoding="utf-8")
    kind = kind_of_file(text)
    assert text.splitlines()[0] == modeline(file, kind, SCHEMAS), "run `alliancegraph schema --annotate`"
    assert (file.parent / text.splitlines()[0].split("$schema=")[1]).resolve() == (SCHEMAS / f"{kind}.schema.json")
    errors = schema_errors(read_yaml(file), kind)
    assert not errors, f"{file}: {errors}"


def test_tiny_knowledge_base_validates(tiny):
    tiny.add(id="a1", subject="serbia", relation="signs", object="srb-hun", date=2025, quote="Serbia signed")
    tiny.add(id="a2", subject="kosovo", relation="aligns-with", object="serbia", date="2025-04", quote="Kosovo",
             modality="claim", speaker="ejup-maqedonci", note=None)
    root = tiny.write()
    assert check(root)[1] == []
    assert schema_errors(read_yaml(root / "kb.yaml")) == []


BROKEN = {
    "unknown key": {"speeker": "milorad-dodik"},
    "unknown relation": {"relation": "allies-with"},
    "malformed date": {"date": "3 April 2025"},
    "id not kebab-case": {"id": "Serbia_Hungary"},
    "missing required key": {"object": None},
    "date and interval": {"start": "2025-01"},
    "claim without speaker": {"modality": "claim"},
    "unknown polarity": {"polarity": "maybe"},
    "quote not text": {"quote": ["Serbia signed"]},
}


@pytest.mark.parametrize("change", BROKEN.values(), ids=BROKEN.keys())
def test_schema_rejects_what_the_loader_rejects(tiny, change):
    record = {"id": "a1", "subject": "serbia", "relation": "signs", "object": "srb-hun", "date": "2025-04-03",
              "quote": "Serbia signed"}
    tiny.add(**{**record, **change})
    root = tiny.write()
    assert check(root)[1], "the loader accepts it"
    assert schema_errors(read_yaml(root / "kb.yaml")), "the schema accepts it"


def test_narrow_schema_rejects_other_sections():
    data = {"assertions": [], "entities": []}
    assert schema_errors(data, "assertions")
    assert schema_errors(data, "knowledge-base") == []


def test_modeline_points_at_the_schema_relative_to_the_file(tmp_path):
    file = tmp_path / "kg" / "assertions" / "a.yaml"
    assert modeline(file, "assertions", tmp_path / "schemas") == (
        "# yaml-language-server: $schema=../../schemas/assertions.schema.json"
    )


def test_annotate_adds_the_narrowest_schema_and_is_idempotent(tiny):
    root = tiny.write()
    tiny.write_raw("people.yaml", "entities:\n  - {id: aleksandar-vucic, label: Aleksandar Vučić, type: person}\n")
    changed = annotate(root, SCHEMAS).changed
    assert sorted(p.name for p in changed) == ["kb.yaml", "people.yaml"]
    first = (root / "people.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first.endswith("/schemas/entities.schema.json")
    assert (root / "kb.yaml").read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    assert "knowledge-base.schema.json" in (root / "kb.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert annotate(root, SCHEMAS).changed == []
    assert check(root)[1] == []


def test_cli_prints_one_kind():
    result = cli_runner().invoke(main, ["schema", "entities"])
    assert result.exit_code == 0
    assert json.loads(result.output)["$id"].endswith("/entities.schema.json")


def test_cli_rejects_an_unknown_kind():
    result = cli_runner().invoke(main, ["schema", "people"])
    assert result.exit_code == 2
    assert "Error: unknown schema kind 'people'; choose from knowledge-base, sources, entities, assertions" in result.output


def test_cli_writes_every_kind(tmp_path):
    result = cli_runner().invoke(main, ["schema", "--write", "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{kind}.schema.json" for kind in KINDS)
