"""The closed vocabularies of alliancegraph, each defined once.

Everything that names a kind of thing — entity types, relations, polarities,
modalities, date bases — is a plain dict here. The loader validates against
these dicts, the CLI builds its choices from them, the ontology, the JSON
Schema and the docs are generated from them, and tests are parametrised over
them, so nothing registered goes unchecked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Namespaces of the compiled graph. Entities, assertions and sources get IRIs
#: under BASE; the vocabulary (classes and properties) lives under VOCAB and the
#: relations under RELATION so that a relation's truthy triple reads
#: ``id:serbia rel:signs id:serbia-hungary-military-cooperation-agreement``.
BASE = "https://w3id.org/alliancegraph/"
VOCAB = BASE + "vocab#"
ENTITY = BASE + "id/"
ASSERTION = BASE + "assertion/"
SOURCE = BASE + "source/"
EVIDENCE = BASE + "evidence/"
RELATION = BASE + "relation/"
PROPOSITION = BASE + "proposition/"
WIKIDATA = "http://www.wikidata.org/entity/"

#: Prefixes used in every serialisation and every saved query.
PREFIXES = {
    "ag": VOCAB,
    "id": ENTITY,
    "asr": ASSERTION,
    "src": SOURCE,
    "ev": EVIDENCE,
    "rel": RELATION,
    "prop": PROPOSITION,
    "wd": WIKIDATA,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "sh": "http://www.w3.org/ns/shacl#",
}


@dataclass(frozen=True)
class EntityType:
    id: str
    label: str
    definition: str
    class_name: str  # the RDF class, under VOCAB


ENTITY_TYPES: dict[str, EntityType] = {
    t.id: t
    for t in [
        EntityType("state", "state", "A sovereign state recognised by most other states.", "State"),
        EntityType(
            "partially-recognized-state",
            "partially recognised state",
            "A state whose independence is recognised by some states but not others (e.g. Kosovo).",
            "PartiallyRecognizedState",
        ),
        EntityType(
            "sub-national-entity",
            "sub-national entity",
            "A constituent entity or region within a state (e.g. Republika Srpska).",
            "SubNationalEntity",
        ),
        EntityType(
            "international-organization",
            "international organisation",
            "An organisation of states with members (e.g. NATO, the European Union).",
            "InternationalOrganization",
        ),
        EntityType(
            "agreement",
            "alliance, pact or agreement",
            "A signed instrument binding its parties: an alliance, pact, treaty, declaration or agreement.",
            "Agreement",
        ),
        EntityType("person", "person", "A person; offices held say whom they speak for.", "Person"),
        EntityType(
            "government-body",
            "government body",
            "A ministry, office or other body of a state or organisation; it speaks for what it is part of.",
            "GovernmentBody",
        ),
        EntityType(
            "issue",
            "issue",
            "A proposition or proposal actors take positions on (e.g. Ukraine's NATO membership).",
            "Issue",
        ),
    ]
}

#: Types that act in the world; the others are things acted upon.
ACTOR_TYPES = frozenset(
    {"state", "partially-recognized-state", "sub-national-entity", "international-organization", "person", "government-body"}
)
GROUP_TYPES = frozenset({"international-organization", "agreement"})


@dataclass(frozen=True)
class Relation:
    """One relation of the vocabulary.

    ``sign`` is +1 for cooperative, -1 for conflictual and 0 for neutral ties;
    ``position`` is how an affirmed assertion of this relation reads as a
    stance on its object (see :data:`POSITIONS`).
    """

    id: str
    label: str
    definition: str
    sign: int
    position: str
    symmetric: bool = False
    inverse: str | None = None
    inverse_label: str | None = None
    plover: str | None = None
    cameo: str | None = None
    subject_types: frozenset[str] = field(default=ACTOR_TYPES)
    object_types: frozenset[str] | None = None  # None: any type


RELATIONS: dict[str, Relation] = {
    r.id: r
    for r in [
        Relation(
            "signs",
            "signs",
            "The subject signs, or is a party to, an agreement, pact, alliance or declaration.",
            sign=+1,
            position="signs",
            inverse="signed-by",
            inverse_label="signed by",
            plover="AGREE",
            cameo="057 sign formal agreement (+8.0)",
            object_types=frozenset({"agreement"}),
        ),
        Relation(
            "member-of",
            "member of",
            "The subject is a member of an organisation or alliance (Wikidata P463).",
            sign=+1,
            position="member",
            inverse="has-member",
            inverse_label="has member",
            plover="COOPERATE",
            object_types=frozenset({"international-organization", "agreement"}),
        ),
        Relation(
            "cooperates-with",
            "cooperates with",
            "The two actors cooperate in practice (e.g. military or defence cooperation, troop deployments).",
            sign=+1,
            position="supports",
            symmetric=True,
            plover="COOPERATE",
            cameo="062 cooperate militarily (+7.4)",
            object_types=ACTOR_TYPES,
        ),
        Relation(
            "aligns-with",
            "aligns with",
            "The two actors align politically or strategically; with modality 'intention', a willingness to align.",
            sign=+1,
            position="supports",
            symmetric=True,
            plover="AGREE",
            cameo="0312/032 express intent to cooperate (+5.2/+4.5)",
            object_types=ACTOR_TYPES,
        ),
        Relation(
            "supports",
            "supports",
            "The subject supports, backs or endorses an actor, issue or proposal.",
            sign=+1,
            position="supports",
            inverse="supported-by",
            inverse_label="supported by",
            plover="SUPPORT",
            cameo="051 praise or endorse (+3.4)",
        ),
        Relation(
            "opposes",
            "opposes",
            "The subject opposes an actor, issue or proposal.",
            sign=-1,
            position="opposes",
            inverse="opposed-by",
            inverse_label="opposed by",
            plover="REJECT",
            cameo="12 reject (-4.0)",
        ),
        Relation(
            "criticizes",
            "criticizes",
            "The subject criticises or denounces an actor, agreement or policy.",
            sign=-1,
            position="opposes",
            inverse="criticized-by",
            inverse_label="criticized by",
            plover="ACCUSE:disapprove",
            cameo="111 criticize or denounce (-2.0)",
        ),
        Relation(
            "accuses",
            "accuses",
            "The subject accuses an actor of wrongdoing (pressure, aggression, interference).",
            sign=-1,
            position="opposes",
            inverse="accused-by",
            inverse_label="accused by",
            plover="ACCUSE:allege",
            cameo="112 accuse (-2.0)",
            object_types=ACTOR_TYPES,
        ),
        Relation(
            "demands",
            "demands of",
            "The subject demands something of the object; 'regarding' names what is demanded.",
            sign=-1,
            position="demands",
            inverse="demanded-by",
            inverse_label="faces demand from",
            plover="REQUEST:yield",
            cameo="1056 demand de-escalation (-5.0)",
        ),
        Relation(
            "rejects",
            "rejects",
            "The subject rejects or refuses a demand, proposal or initiative of the object.",
            sign=-1,
            position="rejects",
            inverse="rejected-by",
            inverse_label="rejected by",
            plover="REJECT:yield",
            cameo="12x reject (-4.0)",
        ),
        Relation(
            "appeals-to",
            "appeals to",
            "The subject calls on the object to act (e.g. to keep talking); a request, neither alignment nor hostility.",
            sign=0,
            position="appeals",
            plover="REQUEST",
            cameo="02 make public statement/appeal",
            object_types=ACTOR_TYPES,
        ),
        Relation(
            "meets",
            "meets",
            "The two actors meet, hold talks or a joint press conference.",
            sign=0,
            position="meets",
            symmetric=True,
            plover="CONSULT",
            cameo="04 consult",
            object_types=ACTOR_TYPES,
        ),
        Relation(
            "invites",
            "invites",
            "The subject invites the object to a visit, talks or membership.",
            sign=0,
            position="invites",
            inverse="invited-by",
            inverse_label="invited by",
            plover="CONSULT",
            cameo="036 express intent to meet or negotiate",
        ),
        Relation(
            "holds-office",
            "holds office in",
            "A person holds an office (the assertion's role) in a state, organisation or body, and speaks for it.",
            sign=0,
            position="holds-office",
            inverse="has-office-holder",
            inverse_label="has office holder",
            subject_types=frozenset({"person"}),
            object_types=frozenset(ACTOR_TYPES - {"person"}),
        ),
    ]
}

#: How an assertion reads as a stance (the ``position`` column of the stance
#: queries). Affirmed assertions take their relation's position; a denial
#: reads as "denies" and a doubt as "doubts".
POSITIONS: dict[str, str] = {
    "supports": "backs the target (supports, endorses, aligns or cooperates with it)",
    "opposes": "stands against the target (opposes, criticises, accuses)",
    "demands": "demands something of the target",
    "rejects": "rejects or refuses the target's demand, proposal or initiative",
    "signs": "signs or is party to the target agreement",
    "member": "is a member of the target organisation",
    "appeals": "calls on the target to act",
    "meets": "meets the target",
    "invites": "invites the target",
    "holds-office": "holds office in the target",
    "intends": "signals willingness or intent towards the target (modality 'intention')",
    "denies": "denies that the relation holds (polarity 'denied')",
    "doubts": "doubts that the relation holds (polarity 'doubted')",
}

def position_of(polarity: str, modality: str, relation: str) -> str:
    """How an assertion reads as a stance (a key of :data:`POSITIONS`): a denial or a
    doubt first, then an intention, else its relation's position."""
    if polarity == "denied":
        return "denies"
    if polarity == "doubted":
        return "doubts"
    return "intends" if modality == "intention" else RELATIONS[relation].position


POLARITIES: dict[str, str] = {
    "affirmed": "The relation is said to hold.",
    "denied": "The relation is said not to hold (a denial).",
    "doubted": "The relation is said to be in doubt, neither affirmed nor denied (e.g. an author's doubts).",
}

MODALITIES: dict[str, str] = {
    "fact": "Reported by the source as having happened or holding.",
    "claim": "Asserted by a named speaker; the source does not vouch for it.",
    "intention": "The subject signals intent or willingness; it has not happened.",
    "opinion": "The author's own analysis or interpretation.",
}

#: Where an assertion's date comes from.
DATE_BASES: dict[str, str] = {
    "article": "Stated in the article or resolved from its relative wording ('on Tuesday', 'last month').",
    "publication": "The article gives no date; the source's publication date is used.",
    "record": "Taken from the public record, not from the article.",
}

#: Kinds of sources.
SOURCE_KINDS: dict[str, str] = {
    "news": "A news report.",
    "opinion": "An opinion or analysis essay; its interpretations belong to its author.",
    "reference": "Well-established public records (e.g. membership lists); no text to quote.",
}


def is_fact(polarity: str, modality: str) -> bool:
    """Whether an assertion holds as fact and so gets the direct (truthy) triple."""
    return polarity == "affirmed" and modality == "fact"


#: Modalities that count towards alignment: what happened, and signalled willingness.
COUNTED_MODALITIES = ("fact", "intention")


def tie_sign(polarity: str, modality: str, relation_sign: int, own_voice: bool = True) -> int:
    """The sign an assertion gives the tie between its actor and counterpart.

    An assertion counts towards alignment when it is affirmed and a fact or an
    intention: its tie is then cooperative (+1) or conflictual (-1) as its
    relation is. Claims, denials, opinions and neutral relations tie nobody (0).
    An intention is the actor's own signal: reported by a speaker who does not
    speak for the actor (``own_voice`` false), it is that speaker's claim and
    ties nobody either ("Bulgaria had confirmed its intention to join", said by
    Kosovo's minister).
    """
    counts = polarity == "affirmed" and modality in COUNTED_MODALITIES and (modality == "fact" or own_voice)
    return relation_sign if counts else 0


def is_stance(modality: str, own_voice: bool) -> bool:
    """Whether an assertion is its actor's own position (the stance queries' rule).

    A fact always is; an intention, a claim, a denial or a doubt is when the
    actor's own side voices it (no speaker is named, or the speaker speaks for
    the actor); a third party's word about the actor never is, and neither is
    an opinion.
    """
    return modality == "fact" or (modality in ("intention", "claim") and own_voice)
