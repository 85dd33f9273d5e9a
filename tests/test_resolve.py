"""Finding entities by what a user types: did-you-mean on words and phrases, ambiguous
bare phrases, and `alliancegraph entities --search/--type`."""

from __future__ import annotations

import json

import pytest

from alliancegraph.cli import main
from alliancegraph.errors import UnknownEntityError
from alliancegraph.resolve import named, resolve_entity, search_entities, suggest, suggest_entities
from alliancegraph.vocabulary import ENTITY_TYPES

from conftest import REPO, cli_runner


def run(*args, kg=REPO / "kg"):
    return cli_runner().invoke(main, ["--kg", str(kg), *args])


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("Putin tribunal", "tribunal-for-putin"),  # the words of an alias in another order
        ("Bulgarian government", "bulgaria"),  # a demonym's stem, and a word no name has
        ("Srpska", "republika-srpska"),  # one word inside a longer name
        ("Macedonia", "north-macedonia"),
        ("Russian government", "russia"),
        ("Serbiaa", "serbia"),  # a misspelling
        ("Dodick", "milorad-dodik"),
    ],
)
def test_did_you_mean_finds_phrases_by_their_words(curated, typed, first):
    with pytest.raises(UnknownEntityError) as raised:
        resolve_entity(curated.entities.values(), typed)
    assert raised.value.candidates[0] == first
    assert f"did you mean '{first}'" in str(raised.value)


def test_a_phrase_offers_only_the_names_that_cover_most_of_it(curated):
    # "Vladimir Putin" has one of the two words: the tribunal, which has both, is the answer.
    assert suggest_entities(curated.entities.values(), "Putin tribunal") == ["tribunal-for-putin"]


def test_a_misspelt_word_is_not_offered_every_name_that_has_the_word(curated):
    # "serbia" is a word of the Serbia–Hungary agreement too; a misspelling means Serbia.
    assert suggest_entities(curated.entities.values(), "Serbiaa") == ["serbia"]


def test_nothing_alike_gives_no_suggestion(curated):
    with pytest.raises(UnknownEntityError) as raised:
        resolve_entity(curated.entities.values(), "xyzzy")
    assert raised.value.candidates == ()
    assert str(raised.value) == "unknown entity 'xyzzy'"


def test_suggest_on_plain_choices_keeps_spelling_first():
    assert suggest("speeker", ["speaker", "source", "subject"]) == ["speaker"]
    assert suggest("who-align-with", ["who-aligns-with", "who-opposes", "timeline"])[0] == "who-aligns-with"
    assert suggest("", ["speaker"]) == []


def test_a_bare_phrase_lists_its_candidates_instead_of_picking_one(curated):
    # "the Foreign Ministry" is an alias of Russia's ministry, but Romania's is a Foreign Ministry too.
    with pytest.raises(UnknownEntityError) as raised:
        resolve_entity(curated.entities.values(), "the Foreign Ministry")
    assert raised.value.candidates == ("romanian-foreign-ministry", "russian-foreign-ministry")
    assert str(raised.value) == (
        "'the Foreign Ministry' is ambiguous: it could be romanian-foreign-ministry (Ministry of Foreign Affairs "
        "of Romania), russian-foreign-ministry (Ministry of Foreign Affairs of Russia); name one by its id"
    )
    assert resolve_entity(curated.entities.values(), "Russian Foreign Ministry").id == "russian-foreign-ministry"
    assert resolve_entity(curated.entities.values(), "russian-foreign-ministry").id == "russian-foreign-ministry"


def test_no_other_name_of_the_curated_knowledge_base_is_ambiguous(curated):
    entities = list(curated.entities.values())
    ambiguous = {n for e in entities for n in e.names if len(named(entities, n)) > 1}
    assert ambiguous == {"the Foreign Ministry"}


def test_a_name_ending_a_name_of_another_type_is_not_ambiguous(curated):
    # "NATO" ends "Ukraine joining NATO", an issue: a different kind of thing, so NATO is meant.
    assert resolve_entity(curated.entities.values(), "NATO").id == "nato"
    # "Georgiev" is inside "Rumen Georgiev Radev", not the end of it.
    assert resolve_entity(curated.entities.values(), "Georgiev").id == "georg-georgiev"


def test_two_people_sharing_a_surname_make_it_ambiguous(tiny):
    gasic = next(e for e in tiny.entities if e["id"] == "bratislav-gasic")
    gasic["aliases"] = ["Gašić"]
    tiny.entities.append({"id": "ivan-gasic", "label": "Ivan Gašić", "type": "person"})
    kb = tiny.load()
    with pytest.raises(UnknownEntityError) as raised:
        resolve_entity(kb.entities.values(), "Gasic")
    assert raised.value.candidates == ("bratislav-gasic", "ivan-gasic")
    assert resolve_entity(kb.entities.values(), "Bratislav Gasic").id == "bratislav-gasic"


def test_search_is_blind_to_case_and_accents_and_puts_exact_names_first(curated):
    entities = curated.entities.values()
    assert [e.id for e in search_entities(entities, "GAŠIĆ")] == ["bratislav-gasic"]
    assert [e.id for e in search_entities(entities, "gasic")] == ["bratislav-gasic"]
    assert [e.id for e in search_entities(entities, "ministry foreign")] == [
        "romanian-foreign-ministry", "russian-foreign-ministry"]
    assert [e.id for e in search_entities(entities, "q403")] == ["serbia"]
    found = [e.id for e in search_entities(entities, "nato")]
    assert found[0] == "nato" and "ukraine-nato-membership" in found


def test_entities_search_on_the_command_line():
    result = run("entities", "--search", "srpska", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [row["id"] for row in json.loads(result.stdout)] == ["republika-srpska"]
    assert result.stderr == ""


def test_entities_search_and_type_together():
    result = run("entities", "--search", "bulgaria", "--type", "issue", "--columns", "id", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["id", "bulgarian-involvement-in-ukraine-war", "nato-forces-in-romania-and-bulgaria"]


def test_entities_search_without_a_match_says_so_with_suggestions():
    result = run("entities", "--search", "Srpskaa")
    assert result.exit_code == 0
    assert "(no rows)" in result.stdout
    assert result.stderr == "No entity matches 'Srpskaa'; did you mean republika-srpska?\n"
    typed = run("entities", "--search", "gasic", "--type", "state")
    assert typed.stderr == "No entity of type state matches 'gasic'\n"


def test_entities_type_lists_its_values_in_help_and_refuses_others():
    help_text = " ".join(run("entities", "--help").stdout.split()).replace("- ", "-")  # help wraps at hyphens
    for entity_type in ENTITY_TYPES:
        assert entity_type in help_text
    result = run("entities", "--type", "country")
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "--type" in result.stderr


def test_entities_search_needs_a_word():
    result = run("entities", "--search", "  ")
    assert result.exit_code == 2 and "--search" in result.stderr


def test_queries_say_did_you_mean_for_phrases():
    result = run("query", "who-stands-where", "Putin tribunal")
    assert result.exit_code == 1
    assert result.stderr == "Error: unknown entity 'Putin tribunal' (did you mean 'tribunal-for-putin'?)\n"
    ambiguous = run("query", "stance-of", "the Foreign Ministry")
    assert ambiguous.exit_code == 1 and "is ambiguous" in ambiguous.stderr and ambiguous.stdout == ""


def test_the_compiled_stores_folded_names_resolve_every_name_as_folding_afresh_does(tiny):
    # The store keeps every entity's names folded at build time; resolving with them must give the
    # same entity, the same ambiguity and the same suggestions as folding each name on the spot.
    import alliancegraph

    tiny.entities.append({"id": "ivan-gasic", "label": "Ivan Gašić", "type": "person", "aliases": ["Gašić"]})
    tiny.entities.append({"id": "romanian-ministry", "label": "Romanian Foreign Ministry", "type": "government-body"})
    tiny.entities.append({"id": "russian-ministry", "label": "Russian Foreign Ministry", "type": "government-body",
                          "aliases": ["the Foreign Ministry"]})
    tiny.add(id="a1", subject="serbia", relation="aligns-with", object="hungary", date="2025-04-03",
             quote="Serbia signed a military cooperation agreement with Hungary")
    with alliancegraph.open(tiny.write()) as workspace:
        compiled = workspace.compiled()
        assert compiled is not None and compiled.folded_names is not None
        entities = list(compiled.entities.values())
        typed = [n for e in entities for n in e.names] + ["GASIC", "the foreign ministry", "Serbiaa", "Nowhere"]
        for name in typed:
            try:
                expected: object = resolve_entity(entities, name).id
            except UnknownEntityError as error:
                expected = (type(error), error.candidates)
            try:
                found: object = workspace.resolve(name).id
            except UnknownEntityError as error:
                found = (type(error), error.candidates)
            assert found == expected, name
        assert workspace.resolve("Belgrade").id == "serbia"
        with pytest.raises(UnknownEntityError):
            workspace.resolve("the Foreign Ministry")
