"""Write a synthetic knowledge base in the real YAML format, for benchmarks.

    python bench/make_kb.py N OUTDIR [--seed S] [--files F]

The knowledge base looks like the curated one, scaled up: about 200 states and
organisations with Wikidata-like ids (Serbia, Hungary and a few other real
states among them, so the saved queries have something to answer), agreements,
issues, government bodies, thousands of persons with dated offices, N
assertions spread over F files (default 100) and over many sources, each
source a generated article whose text contains every quote cited from it —
some with curly quotes and dashes that the quote check has to fold. Relations,
polarities, modalities and date precisions follow the curated mix. The output
is deterministic for a given N and seed, and passes ``alliancegraph check``.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from alliancegraph.vocabulary import ACTOR_TYPES, RELATIONS

REAL_STATES = [
    ("serbia", "Serbia", "Q403"), ("hungary", "Hungary", "Q28"), ("bulgaria", "Bulgaria", "Q219"),
    ("romania", "Romania", "Q218"), ("albania", "Albania", "Q222"), ("croatia", "Croatia", "Q224"),
    ("russia", "Russia", "Q159"), ("ukraine", "Ukraine", "Q212"), ("greece", "Greece", "Q41"),
    ("turkey", "Turkey", "Q43"), ("germany", "Germany", "Q183"), ("france", "France", "Q142"),
    ("united-states", "United States", "Q30"), ("north-macedonia", "North Macedonia", "Q221"),
    ("montenegro", "Montenegro", "Q236"), ("slovenia", "Slovenia", "Q215"), ("poland", "Poland", "Q36"),
    ("italy", "Italy", "Q38"), ("austria", "Austria", "Q40"), ("china", "China", "Q148"),
]
REAL_ORGS = [("nato", "NATO", "Q7184"), ("european-union", "European Union", "Q458")]
SYLLABLES = "va lo ri sta mon ka del bor ven tar zu mi no las gor pel ran vik sel dra ost lun".split()
FIRST = "Ana Boris Cvet Daria Emil Filip Goran Hana Ivo Jana Kiril Lena Marko Nada Oleg Petra Radu Sara Toma Vera".split()
LAST = "Petrov Ivanova Horvat Kovac Novak Popescu Dimitrov Marin Stoica Lazar Pavlov Georgiev Tomic Babic Vasic".split()
ROLES = ["Minister of Foreign Affairs", "Minister of Defence", "Prime Minister", "President", "Ambassador",
         "Secretary General", "Deputy Prime Minister", "Spokesperson"]
CITIES = "Belgrade Sofia Budapest Tirana Zagreb Bucharest Skopje Podgorica Athens Vienna Brussels".split()
CONTEXTS = [
    "amid growing concern over regional security",
    "according to officials familiar with the talks",
    "in a statement released by the ministry",
    "during a joint press conference",
    "as the region reshapes its security landscape",
    "in an interview with a national broadcaster",
]

# The curated mix: relation -> weight.
RELATION_MIX = {
    "signs": 10, "member-of": 7, "cooperates-with": 8, "aligns-with": 10, "supports": 14, "opposes": 8,
    "criticizes": 10, "accuses": 5, "demands": 6, "rejects": 5, "appeals-to": 3, "meets": 8, "invites": 3,
    "holds-office": 3,
}
MODALITY_MIX = {"fact": 58, "claim": 16, "intention": 10, "opinion": 16}
#: Relations whose object must be an actor, as the vocabulary says.
ACTOR_OBJECT = {r.id for r in RELATIONS.values() if r.object_types == ACTOR_TYPES}


@dataclass
class Entity:
    id: str
    label: str
    type: str
    wikidata: str | None = None
    part_of: str | None = None
    aliases: list[str] = field(default_factory=list)
    offices: list[dict] = field(default_factory=list)


class Generator:
    def __init__(self, assertions: int, seed: int, files: int):
        self.n = assertions
        self.rng = random.Random(seed)
        self.files = max(1, min(files, assertions))
        self.qids: set[int] = {int(q[1:]) for _, _, q in REAL_STATES + REAL_ORGS}
        self.ids: set[str] = set()
        self.entities: list[Entity] = []
        self.by_type: dict[str, list[Entity]] = {}
        self.sources: list[dict] = []
        self.texts: dict[str, list[str]] = {}

    # -- names and ids ------------------------------------------------------------

    def qid(self) -> str:
        while True:
            number = self.rng.randrange(1000, 99_999_999)
            if number not in self.qids:
                self.qids.add(number)
                return f"Q{number}"

    def unique_id(self, label: str) -> str:
        base = "-".join("".join(c if c.isalnum() else " " for c in label.lower()).split())
        candidate, n = base, 2
        while candidate in self.ids:
            candidate, n = f"{base}-{n}", n + 1
        self.ids.add(candidate)
        return candidate

    def word(self, parts: int) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(parts)).capitalize()

    def add(self, label: str, type_: str, **extra) -> Entity:
        entity = Entity(self.unique_id(label), label, type_, **extra)
        self.entities.append(entity)
        self.by_type.setdefault(type_, []).append(entity)
        return entity

    # -- entities -------------------------------------------------------------------

    def make_entities(self) -> None:
        for id_, label, qid in REAL_STATES:
            self.ids.add(id_)
            entity = Entity(id_, label, "state", qid)
            self.entities.append(entity)
            self.by_type.setdefault("state", []).append(entity)
        for id_, label, qid in REAL_ORGS:
            self.ids.add(id_)
            entity = Entity(id_, label, "international-organization", qid)
            self.entities.append(entity)
            self.by_type.setdefault("international-organization", []).append(entity)
        for _ in range(150):
            self.add(self.word(3), "state", wikidata=self.qid())
        for _ in range(8):
            self.add(self.word(2) + "ia", "partially-recognized-state", wikidata=self.qid())
        states = self.by_type["state"]
        for _ in range(12):
            self.add("Republic of " + self.word(2), "sub-national-entity", wikidata=self.qid(),
                     part_of=self.rng.choice(states).id)
        for _ in range(28):
            self.add(f"{self.word(2)} {self.rng.choice(['Council', 'Union', 'Pact Organisation', 'Forum'])}",
                     "international-organization", wikidata=self.qid())
        for state in states[:120]:
            self.add(f"{state.label} Ministry of Foreign Affairs", "government-body", part_of=state.id)
        for _ in range(max(100, self.n // 250)):
            a, b = self.rng.sample(states, 2)
            kind = self.rng.choice(["Military Cooperation Agreement", "Declaration", "Defence Pact", "Treaty"])
            self.add(f"{a.label}–{b.label} {kind}", "agreement")
        for _ in range(max(60, self.n // 1000)):
            topic = self.rng.choice(["membership in NATO", "sanctions on", "a tribunal for", "troops in"])
            self.add(f"{topic.capitalize()} {self.word(2)}", "issue")
        self.make_people()

    def make_people(self) -> None:
        office_holders = self.by_type["state"] + self.by_type["international-organization"] + self.by_type[
            "government-body"]
        for _ in range(max(300, self.n // 25)):
            label = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}{self.word(1).lower()}"
            person = self.add(label, "person", wikidata=self.qid() if self.rng.random() < 0.7 else None)
            if self.rng.random() < 0.2:
                person.aliases.append(label.replace("c", "ć", 1) if "c" in label else label.upper())
            year = self.rng.randrange(2012, 2024)
            for held in range(self.rng.choice([1, 1, 2])):
                office = {"role": self.rng.choice(ROLES), "of": self.rng.choice(office_holders).id,
                          "start": f"{year}-{self.rng.randrange(1, 13):02d}-{self.rng.randrange(1, 29):02d}",
                          "source": "public-record-offices"}
                person.offices.append(office)
                if held == 0 and self.rng.random() < 0.4:
                    year += self.rng.randrange(0, 3)
                    office["end"] = f"{year}-12-31"
                    year += 1

    # -- sources and assertions ---------------------------------------------------------

    def new_source(self, index: int) -> dict:
        year = self.rng.randrange(2019, 2027)
        kind = "opinion" if self.rng.random() < 0.15 else "news"
        source = {
            "id": f"{'essay' if kind == 'opinion' else 'report'}-{index:06d}",
            "title": f"{self.rng.choice(self.by_type['state']).label} {self.rng.choice(['weighs', 'rejects', 'backs', 'eyes'])} "
                     f"{self.rng.choice(['new pact', 'alliance', 'talks', 'sanctions'])}",
            "kind": kind,
            "outlet": self.rng.choice(["Inter Bellum News", "Balkan Insight", "Regional Review", "The Observer"]),
            "published": f"{year}-{self.rng.randrange(1, 13):02d}-{self.rng.randrange(1, 29):02d}",
            "file": f"../seeds/{index:06d}.txt",
        }
        self.sources.append(source)
        self.texts[source["id"]] = [source["title"] + "\n"]
        return source

    def pick_subject(self, relation: str) -> Entity:
        if relation == "holds-office":
            return self.rng.choice(self.by_type["person"])
        roll = self.rng.random()
        if roll < 0.65:
            return self.rng.choice(self.by_type["state"])
        if roll < 0.75:
            return self.rng.choice(self.by_type["international-organization"])
        if roll < 0.9:
            return self.rng.choice(self.by_type["person"])
        return self.rng.choice(self.by_type["government-body"] + self.by_type["sub-national-entity"])

    def pick_object(self, relation: str, subject: Entity) -> Entity:
        types = {
            "signs": ["agreement"],
            "member-of": ["international-organization", "agreement"],
            "holds-office": ["state", "international-organization", "government-body"],
        }.get(relation)
        if types is None and relation in ACTOR_OBJECT:
            types = ["state", "state", "state", "international-organization", "person"]
        if types is None:
            types = ["state", "state", "agreement", "issue", "international-organization", "person"]
        while True:
            candidate = self.rng.choice(self.by_type[self.rng.choice(types)])
            if candidate.id != subject.id:
                return candidate

    def date_fields(self, relation: str) -> dict:
        year = self.rng.randrange(2018, 2027)
        if relation == "member-of":
            return {"start": year - self.rng.randrange(0, 20)}
        roll = self.rng.random()
        if roll < 0.7:
            return {"date": f"{year}-{self.rng.randrange(1, 13):02d}-{self.rng.randrange(1, 29):02d}"}
        if roll < 0.9:
            return {"date": f"{year}-{self.rng.randrange(1, 13):02d}"}
        return {"date": year}

    def sentence(self, relation: str, subject: Entity, obj: Entity, polarity: str, modality: str,
                 speaker: Entity | None) -> tuple[str, str]:
        """The sentence as printed in the article, and the quote a curator copies from it."""
        s, o = subject.label, obj.label
        clause = {
            "signs": f"{s} signed the {o}",
            "member-of": f"{s} has been a member of {o} for years",
            "cooperates-with": f"{s} and {o} agreed to deepen military cooperation",
            "aligns-with": f"{s} stands with {o} on regional security",
            "supports": f"{s} voiced support for {o}",
            "opposes": f"{s} opposes {o}",
            "criticizes": f"{s} called {o} “a provocative move that undermines stability”",
            "accuses": f"{s} accused {o} of interference in its internal affairs",
            "demands": f"{s} demanded that {o} withdraw its forces",
            "rejects": f"{s} rejected the proposal from {o}",
            "appeals-to": f"{s} called on {o} to keep talking",
            "meets": f"{s} met {o} in {self.rng.choice(CITIES)}",
            "invites": f"{s} invited {o} to talks",
            "holds-office": f"{s} serves as {self.rng.choice(ROLES)} of {o}",
        }[relation]
        if polarity == "denied":
            clause = f"{speaker.label if speaker else s} denied reports that {clause}"
        elif modality == "claim":
            clause = f"{speaker.label} claimed that {clause}"
        elif modality == "intention":
            clause = f"{s} signalled willingness — in principle — to act: {clause}"
        elif modality == "opinion":
            clause = f"In the author’s view, {clause}"
        printed = f"{clause}, {self.rng.choice(CONTEXTS)} ({self.rng.randrange(1, 10**6)})."
        return printed, printed.replace("“", '"').replace("”", '"').replace("’", "'")

    def assertion(self, number: int, source: dict) -> dict:
        relation = self.rng.choices(list(RELATION_MIX), weights=list(RELATION_MIX.values()))[0]
        subject = self.pick_subject(relation)
        obj = self.pick_object(relation, subject)
        modality = "fact" if relation == "holds-office" else self.rng.choices(
            list(MODALITY_MIX), weights=list(MODALITY_MIX.values()))[0]
        polarity = "denied" if relation != "holds-office" and self.rng.random() < 0.1 else "affirmed"
        speaker = None
        if modality == "claim" or polarity == "denied" or self.rng.random() < 0.1:
            speaker = self.rng.choice(self.by_type["person"])
        record: dict = {"id": f"{relation}-{subject.id}-{number:07d}", "subject": subject.id,
                        "relation": relation, "object": obj.id}
        if polarity != "affirmed":
            record["polarity"] = polarity
        if modality != "fact":
            record["modality"] = modality
        if speaker is not None:
            record["speaker"] = speaker.id
        if relation == "holds-office":
            record["role"] = self.rng.choice(ROLES)
        if relation in ("demands", "rejects") and self.rng.random() < 0.5:
            record["regarding"] = self.rng.choice(self.by_type["issue"]).id
        if self.rng.random() < 0.03 and subject.type == "person":
            record["on_behalf_of"] = self.rng.choice(self.by_type["state"]).id
        record.update(self.date_fields(relation))
        roll = self.rng.random()
        if roll < 0.1:
            record["dated_by"] = "publication"
        elif roll < 0.15:
            record["dated_by"] = "record"
        record["source"] = source["id"]
        printed, quote = self.sentence(relation, subject, obj, polarity, modality, speaker)
        self.texts[source["id"]].append(printed)
        record["quote"] = quote
        if self.rng.random() < 0.05:
            record["note"] = "Drafted by machine; date resolved from the article's wording."
        return record

    def assertion_files(self):
        per_source = 20
        source = None
        for f in range(self.files):
            count = self.n // self.files + (1 if f < self.n % self.files else 0)
            records = []
            for _ in range(count):
                if source is None or len(self.texts[source["id"]]) > per_source:
                    source = self.new_source(len(self.sources) + 1)
                records.append(self.assertion(sum(map(len, self.texts.values())), source))
            yield f"assertions/batch-{f:03d}.yaml", records


# -- writing YAML by hand: the block style curators write, fast at any size -------------


def scalar(value) -> str:
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and (value[:4].isdigit() and all(c in "0123456789-" for c in value)):
        return value  # a date stays plain: YYYY, YYYY-MM or YYYY-MM-DD
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    text = str(value)
    plain = text.replace("-", "").replace(" ", "").isalnum() and text[0].isalpha() and text.lower() not in (
        "yes", "no", "true", "false", "null", "on", "off")
    return text if plain else json.dumps(text, ensure_ascii=False)


def record_yaml(record: dict, indent: str = "  ") -> str:
    lines = []
    first = True
    for key, value in record.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{indent}  {key}:")
            for item in value:
                lines.append(record_yaml(item, indent + "    ").rstrip("\n"))
            continue
        lead = f"{indent}- " if first else f"{indent}  "
        lines.append(f"{lead}{key}: {scalar(value)}")
        first = False
    return "\n".join(lines) + "\n"


def section(name: str, records: list[dict]) -> str:
    return f"{name}:\n" + "".join(record_yaml(r) for r in records)


def entity_record(entity: Entity) -> dict:
    record: dict = {"id": entity.id, "label": entity.label, "type": entity.type}
    if entity.wikidata:
        record["wikidata"] = entity.wikidata
    if entity.aliases:
        record["aliases"] = entity.aliases
    if entity.part_of:
        record["part_of"] = entity.part_of
    if entity.offices:
        record["offices"] = entity.offices
    return record


def write_kb(n: int, out: Path, seed: int = 42, files: int = 100) -> Path:
    """Generate the knowledge base into ``out`` (replacing it); return ``out``."""
    gen = Generator(n, seed, files)
    gen.make_entities()
    if out.exists():
        shutil.rmtree(out)
    (out / "kg" / "entities").mkdir(parents=True)
    (out / "kg" / "assertions").mkdir()
    (out / "seeds").mkdir()  # the articles beside the knowledge base, where sources may name them
    kg = out / "kg"
    for name, records in gen.assertion_files():
        (kg / name).write_text(section("assertions", records), encoding="utf-8")
    groups = {
        "entities/states.yaml": ("state", "partially-recognized-state", "sub-national-entity"),
        "entities/organizations.yaml": ("international-organization", "government-body"),
        "entities/agreements.yaml": ("agreement",),
        "entities/issues.yaml": ("issue",),
    }
    for name, types in groups.items():
        records = [entity_record(e) for e in gen.entities if e.type in types]
        (kg / name).write_text(section("entities", records), encoding="utf-8")
    people = gen.by_type["person"]
    chunk = -(-len(people) // 10)
    for i in range(0, len(people), chunk):
        records = [entity_record(e) for e in people[i : i + chunk]]
        (kg / f"entities/people-{i // chunk:02d}.yaml").write_text(section("entities", records), encoding="utf-8")
    record_source = {"id": "public-record-offices", "title": "Public records of offices", "kind": "reference",
                     "url": "https://example.org/offices"}
    (kg / "sources.yaml").write_text(section("sources", [record_source] + gen.sources), encoding="utf-8")
    for source in gen.sources:
        sentences = gen.texts[source["id"]]
        body = sentences[0] + "\n" + "\n\n".join(" ".join(sentences[i : i + 3]) for i in range(1, len(sentences), 3))
        (out / "seeds" / Path(source["file"]).name).write_text(body + "\n", encoding="utf-8")
    return kg


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("assertions", type=int, help="number of assertions")
    parser.add_argument("outdir", type=Path, help="folder to write (replaced); the knowledge base is OUTDIR/kg")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--files", type=int, default=100, help="number of assertion files")
    args = parser.parse_args()
    print(write_kb(args.assertions, args.outdir, args.seed, args.files))


if __name__ == "__main__":
    main()
