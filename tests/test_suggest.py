"""Drafting candidate assertions from an article: sentences, mentions, cues, drafts, appending, measuring."""

from __future__ import annotations

import pytest
import yaml

from alliancegraph.cli import main
from alliancegraph.cues import RELATION_CUES, find_mentions, split_sentences
from alliancegraph.errors import AllianceGraphError
from alliancegraph.loading import check
from alliancegraph.suggest import append_drafts, drafts_yaml, suggest
from alliancegraph.vocabulary import RELATIONS

from conftest import TinyKB, cli_runner

ARTICLE = (
    "Serbia signed the Serbia–Hungary agreement with Hungary on April 3. "
    "Croatia, Albania and Kosovo signed the Croatia–Albania–Kosovo declaration in March. "
    "Kosovo's minister Ejup Maqedonci claimed that Bulgaria would join the declaration. "
    "Georg Georgiev denied that Bulgaria would join the declaration. "
    "Milorad Dodik signaled willingness to align with Serbia and Hungary.\n"
    "Bulgaria did not sign the Serbia–Hungary agreement.\n"
    "The declaration was signed by Croatia and Albania in Tirana last month.\n"
    "The weather in Belgrade was mild and sunny all week."
)


@pytest.fixture
def news(tmp_path) -> TinyKB:
    return TinyKB(tmp_path / "kb", ARTICLE)


def triples(drafts) -> list[tuple]:
    return [(d.subject, d.relation, d.object, d.polarity, d.modality, d.speaker) for d in drafts]


# -- sentences and mentions -----------------------------------------------------------


def test_sentences_keep_their_place_in_the_article():
    text = (
        "  The U.S.-led alliance met in Brussels on Friday. Mr. Smith said “the talks went well.” "
        "Then the ministers left the city for home.\n"
    )
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "The U.S.-led alliance met in Brussels on Friday.",
        "Mr. Smith said “the talks went well.”",
        "Then the ministers left the city for home.",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_headlines_and_captions_are_not_sentences():
    text = (
        "Bulgaria Denies Joining\nForeign Minister Georg Georgiev\n"
        "Serbia signed a military cooperation agreement with Hungary.\n"
    )
    assert [s.text for s in split_sentences(text)] == ["Serbia signed a military cooperation agreement with Hungary."]


def test_mentions_fold_case_and_diacritics_and_prefer_the_longest_name(tiny):
    kb = tiny.load()
    mentions = find_mentions("Bratislav Gasic met Republic Srpska officials and BELGRADE in the republika-srpska capital",
        kb.entities.values())
    assert [(m.entity, m.written) for m in mentions] == [
        ("bratislav-gasic", "Bratislav Gasic"),
        ("republika-srpska", "Republic Srpska"),
        ("serbia", "BELGRADE"),
        ("republika-srpska", "republika-srpska"),
    ]


def test_capitalised_acronyms_are_not_found_in_ordinary_words(tiny):
    tiny.entities.append({"id": "european-union", "label": "European Union", "type": "international-organization",
                          "aliases": ["EU"]})
    kb = tiny.load()
    assert [m.entity for m in find_mentions("The EU said eu is not a word", kb.entities.values())] == ["european-union"]


def test_every_relation_has_cues():
    assert set(RELATION_CUES) == set(RELATIONS)


# -- drafts ---------------------------------------------------------------------------


def test_drafts_guess_subject_relation_object_polarity_modality_and_speaker(news):
    drafts = suggest(news.load(), ARTICLE, "art")
    assert triples(drafts) == [
        ("serbia", "signs", "srb-hun", "affirmed", "fact", None),
        ("hungary", "signs", "srb-hun", "affirmed", "fact", None),  # "signed ... with Hungary": both sign
        ("croatia", "signs", "declaration", "affirmed", "fact", None),
        ("albania", "signs", "declaration", "affirmed", "fact", None),
        ("kosovo", "signs", "declaration", "affirmed", "fact", None),
        ("ejup-maqedonci", "holds-office", "kosovo", "affirmed", "fact", None),
        # a claimed intention ("would join") and its denial stay intentions, each with its speaker
        ("bulgaria", "signs", "declaration", "affirmed", "intention", "ejup-maqedonci"),
        ("bulgaria", "signs", "declaration", "denied", "intention", "georg-georgiev"),
        ("milorad-dodik", "aligns-with", "serbia", "affirmed", "intention", None),
        ("milorad-dodik", "aligns-with", "hungary", "affirmed", "intention", None),
        ("bulgaria", "signs", "srb-hun", "denied", "claim", "bulgaria"),
        ("croatia", "signs", "declaration", "affirmed", "fact", None),
        ("albania", "signs", "declaration", "affirmed", "fact", None),
    ]


def test_a_draft_quotes_its_sentence_verbatim_cites_the_source_and_asks_for_review(news):
    draft = suggest(news.load(), ARTICLE, "art")[0]
    assert draft.record() == {
        "id": "serbia-signs-srb-hun",
        "subject": "serbia",
        "relation": "signs",
        "object": "srb-hun",
        "polarity": "affirmed",
        "modality": "fact",
        "date": "2025-04-03",
        "dated_by": "article",
        "source": "art",
        "quote": "Serbia signed the Serbia–Hungary agreement with Hungary on April 3.",
        "review": "needed",
    }


def test_an_office_draft_takes_its_role_from_the_title_and_stays_a_fact(news):
    [office] = [d for d in suggest(news.load(), ARTICLE, "art") if d.relation == "holds-office"]
    assert office.record()["role"] == "Minister"
    assert (office.modality, office.speaker) == ("fact", None)  # the sentence's "claimed" is not about the title


def test_draft_ids_are_unique_and_new(news):
    news.add(id="serbia-signs-srb-hun", subject="serbia", relation="signs", object="srb-hun", date=2025,
             source="record")
    drafts = suggest(news.load(), ARTICLE, "art")
    ids = [d.id for d in drafts]
    assert len(set(ids)) == len(ids)
    assert "serbia-signs-srb-hun" not in ids
    assert "serbia-signs-srb-hun-2" in ids and "croatia-signs-declaration-2" in ids


def test_sentences_already_quoted_for_the_same_source_are_skipped(news):
    news.add(id="dodik", subject="milorad-dodik", relation="aligns-with", object="serbia", date="2025-04",
             modality="intention", quote="signaled willingness to align with Serbia")
    drafts = suggest(news.load(), ARTICLE, "art")
    assert "milorad-dodik" not in {d.subject for d in drafts}
    assert len(drafts) == 11


def test_a_quote_from_another_source_does_not_cover_a_sentence(news):
    kb = news.load()
    assert len(suggest(kb, ARTICLE, "record")) == len(suggest(kb, ARTICLE, "art"))


def test_the_loader_refuses_drafts_nobody_reviewed(news):
    kb = news.load()
    (news.root / "drafts.yaml").write_text(drafts_yaml(suggest(kb, ARTICLE, "art"), "art"), encoding="utf-8")
    _, problems = check(news.root)
    assert problems and all(p.is_draft and "draft left to review" in p.message for p in problems)
    assert len(problems) == 13


def test_a_reviewed_draft_passes_check(news):
    kb = news.load()
    record = suggest(kb, ARTICLE, "art")[0].record()
    del record["review"]
    (news.root / "drafts.yaml").write_text(yaml.safe_dump({"assertions": [record]}, allow_unicode=True), encoding="utf-8")
    assert check(news.root)[1] == []


# -- appending --------------------------------------------------------------------------


def test_appending_comments_the_drafts_out_and_keeps_the_file_meaning_the_same(news):
    root = news.write()
    target = root / "kb.yaml"
    before = target.read_text(encoding="utf-8")
    drafts = suggest(news.load(), ARTICLE, "art")
    append_drafts(target, drafts, "art")
    after = target.read_text(encoding="utf-8")
    assert after.startswith(before)
    assert "#   - id: serbia-signs-srb-hun\n" in after
    assert check(root)[1] == []


def test_uncommenting_an_appended_draft_puts_it_in_the_assertions_section(news):
    news.assertions.append({"id": "a1", "subject": "serbia", "relation": "signs", "object": "srb-hun", "date": 2025,
                            "source": "record"})
    root = news.write()
    target = root / "kb.yaml"
    append_drafts(target, suggest(news.load(), ARTICLE, "art")[:1], "art")
    kept, drafts = target.read_text(encoding="utf-8").split("# Uncomment a draft to accept it.\n")
    accepted = [line[2:] for line in drafts.splitlines() if "review: needed" not in line]  # what a curator does
    target.write_text(kept + "\n".join(accepted) + "\n", encoding="utf-8")
    kb, problems = check(root)
    assert problems == []
    assert [a.id for a in kb.assertions if a.source == "art"] == ["serbia-signs-srb-hun"]


def test_appending_to_a_new_file_starts_an_assertions_section(news, tmp_path):
    target = news.root / "drafts.yaml"
    append_drafts(target, suggest(news.load(), ARTICLE, "art"), "art")
    assert "\nassertions:\n#   # draft: cue 'signed'" in target.read_text(encoding="utf-8")
    assert check(news.root)[1] == []


def test_appending_refuses_a_file_whose_assertions_are_not_last(news):
    target = news.write_raw("mixed.yaml", "assertions:\nentities:\n  - {id: x-y, label: X, type: issue}\n")
    before = target.read_text(encoding="utf-8")
    with pytest.raises(AllianceGraphError, match="'assertions' section is not the last one"):
        append_drafts(target, suggest(news.load(), ARTICLE, "art"), "art")
    assert target.read_text(encoding="utf-8") == before


def test_appending_refuses_a_broken_file_with_one_located_line(news):
    target = news.write_raw("broken.yaml", "assertions: [\n")
    with pytest.raises(AllianceGraphError, match=r"broken.yaml:2:1: YAML syntax error: .*; fix it first$") as raised:
        append_drafts(target, [], "art")
    assert "\n" not in str(raised.value)
    assert target.read_text(encoding="utf-8") == "assertions: [\n"


def test_appending_refuses_a_file_that_is_not_utf8(news):
    target = news.root / "latin1.yaml"
    target.write_bytes(b"assertions:\n  - id: caf\xe9\n")
    with pytest.raises(AllianceGraphError, match=r"latin1.yaml:2:12: file is not valid UTF-8 text; fix it first$"):
        append_drafts(target, [], "art")
    assert target.read_bytes() == b"assertions:\n  - id: caf\xe9\n"


# -- command line -------------------------------------------------------------------------


def run(news, *args):
    root = news.write()
    return cli_runner().invoke(main, ["--kg", str(root), "suggest", *args])


def test_cli_prints_drafts_for_the_source_whose_file_the_article_is(news):
    result = run(news, str(news.root / "article.txt"))
    assert result.exit_code == 0, result.output
    assert "  - id: serbia-signs-srb-hun\n" in result.stdout
    assert result.stderr == "13 drafts from source art\n"


def test_cli_names_an_unknown_source(news):
    result = run(news, str(news.root / "article.txt"), "--source", "artt")
    assert result.exit_code == 1
    assert "Error: unknown source 'artt' (did you mean 'art'?)" in result.stderr


def test_cli_asks_for_the_source_of_an_unknown_article(news, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text(ARTICLE, encoding="utf-8")
    result = run(news, str(other))
    assert result.exit_code == 1
    assert "is not the file of any source; name its source with --source ID" in result.stderr


def test_cli_writes_only_with_write(news, tmp_path):
    target = tmp_path / "drafts.yaml"
    result = run(news, str(news.root / "article.txt"), "--write", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "#   - id: serbia-signs-srb-hun" in target.read_text(encoding="utf-8")
