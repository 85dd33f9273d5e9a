"""`alliancegraph add`: an article copied in, its source record written, its assertions drafted
for review; nothing invented, no duplicate, no file a curator wrote overwritten."""

from __future__ import annotations

import pytest

from alliancegraph.articles import guess_title, source_id_for
from alliancegraph.cli import main
from alliancegraph.loading import check
from alliancegraph.yamlsafe import safe_load

from conftest import REPO, TinyKB, cli_runner

#: Test material written for these tests, not a real news report.
ARTICLE = (
    "Serbia and Hungary Sign Defence Agreement\n"
    "\n"
    "Serbia signed the Serbia–Hungary agreement with Hungary on April 3, the two governments said.\n"
)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A checkout: kg/ with a tiny knowledge base (its article in seeds/), and a new article to add."""
    monkeypatch.delenv("ALLIANCEGRAPH_KG", raising=False)
    tiny = TinyKB(tmp_path / "repo" / "kg")
    (tmp_path / "repo" / "seeds").mkdir()
    (tiny.root / "article.txt").rename(tmp_path / "repo" / "seeds" / "article.txt")
    tiny.sources[0]["file"] = "../seeds/article.txt"
    (tiny.root / "assertions").mkdir()
    tiny.write()
    (tiny.root / "sources.yaml").write_text("sources:\n", encoding="utf-8")  # what marks a knowledge base folder
    (tmp_path / "new.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "repo")
    return tmp_path / "repo"


def add(*arguments, input=None):
    return cli_runner().invoke(main, ["add", *arguments], input=input)


def files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_add_copies_the_text_writes_the_source_and_drafts_for_review(repo):
    result = add("../new.txt", "--url", "https://example.org/a", "--published", "2025-04-05", "--outlet", "Test Wire",
                 "--kind", "news", "--no-ask")
    assert result.exit_code == 0, result.output
    name = "2025-04-serbia-and-hungary-sign-defence-agreement"
    assert (repo / "seeds" / f"{name}.txt").read_text(encoding="utf-8") == ARTICLE
    drafts_file = repo / "kg" / "assertions" / f"{name}.yaml"
    data = safe_load(drafts_file.read_text(encoding="utf-8"))
    assert data["sources"] == [{
        "id": "serbia-and-hungary-sign-defence-agreement",
        "title": "Serbia and Hungary Sign Defence Agreement",
        "kind": "news",
        "outlet": "Test Wire",
        "published": "2025-04-05",
        "url": "https://example.org/a",
        "file": f"../../seeds/{name}.txt",
        "review": "title taken from the text",
    }]
    assert data["assertions"] and all(record["review"] for record in data["assertions"])
    assert f"Copied the article to seeds/{name}.txt" in result.stdout


def test_check_lists_the_drafts_and_passes_once_they_are_accepted(repo):
    add("../new.txt", "--title", "Serbia and Hungary Sign Defence Agreement", "--url", "https://example.org/a",
        "--published", "2025-04-05", "--outlet", "Test Wire", "--kind", "news", "--no-ask")
    result = cli_runner().invoke(main, ["check"])
    assert result.exit_code == 1
    drafts = [line for line in result.stderr.splitlines() if ": draft left to review" in line]
    assert drafts and all(line.startswith("kg/assertions/2025-04-serbia-and-hungary-sign") for line in drafts)
    plural = "s" if len(drafts) > 1 else ""
    assert result.stderr.splitlines()[-1] == f"Error: {len(drafts)} draft{plural} left to review in the knowledge base"
    accepted = cli_runner().invoke(main, ["review", "accept", "--all"])
    assert accepted.exit_code == 0, accepted.output
    result = cli_runner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output


def test_what_is_missing_is_left_for_review_not_invented(repo):
    result = add("../new.txt", "--no-ask")
    assert result.exit_code == 0, result.output
    drafts_file = repo / "kg" / "assertions" / "undated-serbia-and-hungary-sign-defence-agreement.yaml"
    data = safe_load(drafts_file.read_text(encoding="utf-8"))
    [source] = data["sources"]
    assert {"published", "url", "outlet", "author"}.isdisjoint(source)
    assert source["review"] == ("title taken from the text; kind 'news' assumed (opinion for an essay); "
                                "no publication date; no url; no outlet")
    assert all(record.get("dated_by") != "publication" for record in data["assertions"])


def test_at_a_terminal_add_asks_for_what_is_missing(repo):
    result = add("../new.txt", "--ask", "--kind", "opinion", input="2025-04\nhttps://example.org/b\nTest Wire\n\n")
    assert result.exit_code == 0, result.output
    [source] = safe_load((repo / "kg" / "assertions" / "2025-04-serbia-and-hungary-sign-defence-agreement.yaml")
                              .read_text(encoding="utf-8"))["sources"]
    assert (source["published"], source["url"], source["outlet"], source["kind"]) == (
        "2025-04", "https://example.org/b", "Test Wire", "opinion")
    assert "author" not in source


def test_an_article_already_present_is_refused_and_nothing_is_written(repo, tmp_path):
    before = files(repo)
    same = tmp_path / "same.txt"
    same.write_text(ARTICLE.replace("–", "-").replace(" ", "  ").upper(), encoding="utf-8")
    assert add("../new.txt", "--no-ask").exit_code == 0
    written = files(repo)
    result = add(str(same), "--no-ask", "--id", "another-id")
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {same} is already in the knowledge base as "
                             "seeds/undated-serbia-and-hungary-sign-defence-agreement.txt; nothing was written\n")
    assert files(repo) == written and len(written) == len(before) + 2
    seed = add(str(repo / "seeds" / "article.txt"), "--no-ask", "--title", "A title")
    assert "is already in the knowledge base as seeds/article.txt" in seed.stderr


def test_a_taken_name_or_id_is_refused_and_the_curators_file_is_kept(repo):
    taken = repo / "seeds" / "2025-serbia-and-hungary-sign-defence-agreement.txt"
    taken.write_text("A curator's own file.\n", encoding="utf-8")
    result = add("../new.txt", "--no-ask", "--published", "2025")
    assert result.exit_code == 1
    assert "seeds/2025-serbia-and-hungary-sign-defence-agreement.txt already exists" in result.stderr
    assert taken.read_text(encoding="utf-8") == "A curator's own file.\n"
    assert not (repo / "kg" / "assertions" / "2025-serbia-and-hungary-sign-defence-agreement.yaml").exists()
    result = add("../new.txt", "--no-ask", "--id", "art")
    assert result.exit_code == 1
    assert "a source with the id 'art' already exists" in result.stderr


@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (b"\n  \n", "is empty"),
    (b"caf\xe9 au lait\n", "is not UTF-8 text (byte 3)"),
    (b"PK\x03\x04\x00\x00binary", "is not a text file"),
], ids=["empty", "blank", "latin-1", "binary"])
def test_an_article_that_is_not_text_is_refused(repo, tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    before = files(repo)
    result = add(str(bad), "--no-ask", "--title", "A title")
    assert result.exit_code == 1, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert files(repo) == before


def test_without_a_headline_the_title_must_be_given(repo, tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text("serbia signed the serbia–hungary agreement with hungary.\n", encoding="utf-8")
    result = add(str(plain), "--no-ask")
    assert result.exit_code == 2
    assert "no headline found" in result.stderr and "--title" in result.stderr


def test_a_bad_date_is_a_usage_error(repo):
    result = add("../new.txt", "--published", "2025-02-30", "--no-ask")
    assert result.exit_code == 2
    assert "February 2025 has no day 30" in result.stderr


def test_add_needs_a_knowledge_base_folder(repo):
    result = cli_runner().invoke(main, ["--kg", "kg/kb.yaml", "add", "../new.txt", "--no-ask"])
    assert result.exit_code == 2
    assert "is not a knowledge base folder" in result.stderr


def test_suggest_keeps_working_on_a_registered_article(repo):
    result = cli_runner().invoke(main, ["suggest", "seeds/article.txt"])
    assert result.exit_code == 0, result.output
    assert "review: needed" in result.stdout


SEED_TITLES = {
    "2022-01-russia-tells-nato-get-out-of-romania-and-bulgaria.txt":
        "Get Out of Romania and Bulgaria, Russia Tells NATO Amid Ukraine Tensions",
    "2023-07-bulgaria-backs-ukraine-nato-bid-sofia-declaration.txt":
        "Kyiv’s Measured Path to NATO Membership: Signals, Steps, and Alliance Realities",
    "2025-04-bulgaria-denies-joining-balkan-military-alliance.txt": "Bulgaria Denies Joining New Balkan Military Alliance",
    "2026-bulgaria-exit-from-nato-not-through-front-door.txt": "Bulgaria’s Exit from NATO Will Not Come Through the Front Door",
}


@pytest.mark.parametrize("name, title", SEED_TITLES.items(), ids=list(SEED_TITLES))
def test_the_headline_is_found_among_page_furniture(name, title):
    assert guess_title((REPO / "seeds" / name).read_text(encoding="utf-8")) == title


def test_ids_are_kebab_case_and_cut_at_a_word():
    assert source_id_for("Bulgaria’s Exit from NATO: Will Not Come — Through the Front Door") == (
        "bulgarias-exit-from-nato-will-not-come-through-the-front-door")
    long = source_id_for("word " * 40)
    assert len(long) <= 72 and not long.endswith("-")


def test_the_drafts_file_validates_against_the_shipped_schema(repo):
    import jsonschema

    from alliancegraph.schema import generate_schema
    from alliancegraph.yamlsafe import safe_load

    add("../new.txt", "--no-ask", "--published", "2025-04-05")
    [drafts] = (repo / "kg" / "assertions").glob("*.yaml")
    document = safe_load(drafts.read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(generate_schema()).iter_errors(document)) == []
    assert check(repo / "kg")[1]  # and check still refuses it: drafts are not curated


def test_outside_a_curated_tree_add_refuses_to_write_into_the_shipped_copy(tmp_path, monkeypatch):
    monkeypatch.delenv("ALLIANCEGRAPH_KG", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "new.txt").write_text(ARTICLE, encoding="utf-8")
    before = files(REPO / "kg") + files(REPO / "seeds")
    for arguments in (["add", "new.txt", "--no-ask"], ["review", "accept", "--all"], ["review", "drop", "x"]):
        result = cli_runner().invoke(main, arguments)
        assert result.exit_code == 2, arguments
        assert "writes into the knowledge base you curate" in result.stderr
    assert files(REPO / "kg") + files(REPO / "seeds") == before


def test_suggest_shows_the_new_entities_its_drafts_name_and_reads_pending_drafts(repo):
    article = repo / "seeds" / "article.txt"
    article.write_text(article.read_text(encoding="utf-8") + "\nCroatian Defence Minister Ivan Anusic criticized Serbia.\n",
                       encoding="utf-8")
    assert add("../new.txt", "--no-ask").exit_code == 0  # drafts now pending in the knowledge base
    printed = cli_runner().invoke(main, ["suggest", "seeds/article.txt"])
    assert printed.exit_code == 0, printed.output
    document = safe_load(printed.stdout)
    assert "ivan-anusic" in [e["id"] for e in document["entities"]]
    assert {"subject": "croatia", "relation": "criticizes", "object": "serbia"}.items() <= document["assertions"][-1].items()
    target = repo / "kg" / "more.yaml"
    written = cli_runner().invoke(main, ["suggest", "seeds/article.txt", "--write", str(target)])
    assert written.exit_code == 0, written.output
    text = target.read_text(encoding="utf-8")
    assert "# New entities these drafts name; add them to an entities file:\n" in text and "#   - id: ivan-anusic\n" in text
    assert safe_load(text) == {"assertions": None}


@pytest.mark.parametrize("option, value, message", [
    ("--id", "../../outside", "must be lowercase kebab-case"),
    ("--id", "Not An Id", "must be lowercase kebab-case"),
    ("--url", "not a url", "must be an http(s) URL"),
], ids=["traversal", "spaces", "url"])
def test_an_id_or_url_that_is_none_is_refused_before_anything_is_written(repo, option, value, message):
    before = files(repo.parent)
    result = add("../new.txt", "--no-ask", option, value)
    assert result.exit_code == 2
    assert message in result.stderr
    assert files(repo.parent) == before
