"""Document facts: find the rows that state a document's own facts — who wrote it, who owns it, when it was
approved or is next reviewed, its version, classification, how long it is kept — for a question that asks one.

Members never word these the way documents label them ("who wrote it?" vs "Author", "how long is it kept?" vs
"Date to Dispose"), and the encoder does not bridge the two. A small vocabulary of metadata concepts does:
each ``Concept`` says how a question asks for it (``asks``) and how documents label it (``labels``). A row
states a concept when its label (the key of a key/value row), its sub-section ("Document History") or, for
a table row, its own text matches the concept's ``labels``. Only questions that refer to the document
("the guidance", "this document", "the social media rules"…) or use a concept's own name ("who's the author?",
"what version are we on") are read as asking for a document fact, so "should I review my privacy settings?"
is not. A question asking one of these facts of a document that is not loaded ("who owns the planning
enforcement policy?") gets no rows: the loaded documents' rows do not state its facts, and the answerer declines
it, naming the document (``FactRows.unloaded_document_asked``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.chunks import Chunk, Sentence


@dataclass(frozen=True)
class Concept:
    name: str
    asks: re.Pattern
    labels: re.Pattern
    named: re.Pattern | None  # wording that asks about a document by itself, without naming the document


def _concept(name: str, asks: str, labels: str, named: str | None = None) -> Concept:
    return Concept(name, re.compile(asks, re.I), re.compile(labels, re.I), re.compile(named, re.I) if named else None)


WROTE = r"(wrote|writes|drafted|authored|prepared|produced|put\b.{0,30}\btogether|came up with)"
ROLE = r"(which|what)\s+(\w+\s+)?(officer|person|team|department|division|service|manager)"  # "which senior officer…"
CONCEPTS = (
    _concept("author", rf"\bwho\b(\s+\w+ly)?\s+{WROTE}|\b{ROLE}\s+{WROTE}"
             r"|\bauthor(s|ed)?\b|\bwritten by|\bwriter\b", r"\bauthor(s|ed)?\b|\bwritten by|\bprepared by", r"\bauthor\b"),
    _concept("owner", rf"\b(who|{ROLE})\s+(owns|is responsible for|looks after|maintains|manages)\b|\bowner"
             r"|\b(which|what) (team|department|division)\b"
             r"|\bwhose (job|responsibility)\b|\b(in charge|responsible|looks? after|maintains?|manages?)\b.{0,12}"
             r"\b(guidance|document|policy|rules|it|them)\b",
             r"\bowner|\bdivision|\bdepartment|\bservice area|\bresponsible officer"),
    _concept("approval", r"\bapprov|\bsign(ed|s)?\b.{0,30}\boff\b|\bratif|\bendors", r"\bapprov|\bsigned off|\bratified"),
    _concept("version", r"\bversion|\bedition\b|\brevision (number|history)|\bdocument history",
             r"\bversion|\bdocument history|\brevision", r"\bwhat version\b"),
    _concept("classification", r"\bclassif|\bprotective marking|\bsecurity (level|marking|rating|grading)|\bsensitivity",
             r"\bclassification|\bprotective marking|\bsecurity", r"\bclassification\b|\bprotective marking"),
    _concept("review", r"\breview|\bdue (an? )?(update|refresh|rewrite)|\bout of date|\bup to date|\bupdated?\b|\bexpir",
             r"\breview", r"\b(next|last) review\b|\breview (date|due)\b"),
    _concept("created", r"\bwhen was\b.{0,40}\b(written|created|made|produced|drafted|published|put together|first)"
             r"|\bdate (created|written)|\bhow old\b|\bfirst draft|\bcreated\b", r"\bcreated|\bfirst draft|\bdate written|\bissued"),
    _concept("retention", r"\bhow long\b.{0,40}\b(kept|keep|retained|held|stored|hang on)|\bretention|\bretain"
             r"|\bdestr(oy|uct)|\bdispos|\b(get|got|getting) rid of|\bthrown? away|\bshred|\bhang(ing)? on to",
             r"\bdispos|\bdestr(oy|uct)|\bretention|\bretain"),
    _concept("location", r"\bwhere\b.{0,40}\b(saved|stored|filed|held|located)\b|\bfile (location|path)|\bwhich (folder|drive)"
             r"|\bwhere\b.{0,40}\b(original|file)\b.{0,30}\bdrive\b", r"\blocation|\bfile path", r"\b(shared|network) drive\b"),
    _concept("format", r"\bwhat (file )?format (is|was|are)\b|\bfile type|\bwhat (kind|type) of (file|document)|\bword doc(ument)?\b.{0,12}\bor\b.{0,6}\bpdf",
             r"\bformat\b", r"\bword doc(ument)?\b.{0,12}\bor\b.{0,6}\bpdf"),
    _concept("keywords", r"\bkeywords?|\bfiled under|\btagged (with|as|under)", r"\bkeywords?", r"\bkeywords\b"),
    _concept("title", r"\b(full|official|proper) (title|name)|\bwhat is (it|this|the (guidance|document)) called|\btitle of",
             r"^title$|\bidentifier"),
)
# A question about the document itself names it or points at it.
# "it" alone is not enough: "does deleting a tweet get rid of it?" is about the tweet.
ABOUT_THE_DOCUMENT = re.compile(r"\b(guidance|guidence|guide|guidelines?|rules|document|policy|protocol|report|paper|this)\b", re.I)
# "the planning enforcement policy": a determiner, the words saying which document, and a kind of document.
NAMED_DOCUMENT = re.compile(r"\b(?:the|this|that|our|your|my|a|an|its)\s+((?:[\w']+\s+){0,3}?)(policy|scheme|strategy|constitution"
                            r"|form|code|procedure|plan|protocol|standing orders|handbook|charter|report|minutes|agenda|accounts)\b", re.I)
# Kinds that do not say which document on their own ("the policy", "the report"); "the constitution" does.
GENERIC_KINDS = frozenset({"policy", "procedure", "protocol", "plan", "form", "report", "minutes", "agenda"})
# Words between the determiner and the kind that do not say which document it is: whose it is ("the council's",
# "the parish code": a council of whatever kind) or which edition.
NOT_NAMING = frozenset({"council's", "councils", "council", "members'", "member's", "councillors'", "current", "new",
                        "latest", "own", "parish", "town", "community", "borough", "district", "county", "city"})
ROW_KINDS = ("table_row", "table_cell")


def asked_concepts(question: str) -> list[Concept]:
    """The metadata concepts ``question`` asks about; none unless it refers to the document or names the concept."""
    refers = bool(ABOUT_THE_DOCUMENT.search(question))
    return [concept for concept in CONCEPTS if concept.asks.search(question)
            and (refers or (concept.named is not None and concept.named.search(question)))]


def title_words(titles: list[str]) -> list[frozenset[str]]:
    """Each distinct title's words, lower-cased, as ``names_other_document`` compares them."""
    return list({frozenset(re.findall(r"[\w']+", title.lower())) for title in titles})


def other_document_named(question: str, loaded: list[frozenset[str]]) -> str | None:
    """The document ``question`` names ("the planning enforcement policy") when none of the loaded ones is it
    (``loaded``: each title's ``title_words``): the words saying which one it is ("planning enforcement"), or its
    kind when that says which ("constitution"), are not all in one loaded title."""
    for match in NAMED_DOCUMENT.finditer(question):
        kind = match.group(2).lower()
        naming = {w for w in match.group(1).lower().split() if w not in NOT_NAMING} | ({kind} - GENERIC_KINDS)
        if not any(naming <= words for words in loaded):
            return match.group(0)
    return None


def row_key(sentence: Sentence, chunk: Chunk) -> tuple[str, ...] | None:
    """What says which fact a row states: its label, its sub-section and, for a table row, its own text; None
    for a sentence that is not a row (a key/value cell, a history-table row, or a labelled front-matter line)."""
    if sentence.kind not in ROW_KINDS and not (sentence.label and sentence.kind == "paragraph"):
        return None
    return (sentence.label, chunk.subsection) + ((sentence.text,) if sentence.kind == "table_row" else ())


@lru_cache(maxsize=4096)
def stated_concepts(key: tuple[str, ...]) -> frozenset[str]:
    """Names of the concepts a row with this ``row_key`` states (rows repeat across documents, so cached)."""
    return frozenset(concept.name for concept in CONCEPTS if any(concept.labels.search(part) for part in key if part))


class FactRows:
    """The sentence positions stating each concept in each document, found the first time a question asks for
    one, so a process that is never asked about a document's facts never looks for them."""

    def __init__(self, sentences: list[Sentence], chunk_by_id: dict[str, Chunk], titles: list[str]):
        """``titles``: the loaded documents' titles, to tell a question about a document that is not loaded."""
        self.sentences = sentences
        self.chunk_by_id = chunk_by_id
        self.title_words = title_words(titles)
        self._positions: dict[tuple[str, str], list[int]] | None = None

    def positions(self, concept: Concept, doc_id: str) -> list[int]:
        if self._positions is None:
            self._positions = {}
            for position, sentence in enumerate(self.sentences):
                chunk = self.chunk_by_id[sentence.chunk_id]
                key = row_key(sentence, chunk)
                for name in stated_concepts(key) if key else ():
                    self._positions.setdefault((name, chunk.doc_id), []).append(position)
        return self._positions.get((concept.name, doc_id), [])

    def unloaded_document_asked(self, question: str) -> str | None:
        """The document ``question`` asks one of these facts of ("who owns the planning enforcement policy?"),
        when it is not loaded: no loaded document's rows state them, so no quote can answer."""
        if not any(concept.asks.search(question) for concept in CONCEPTS):
            return None
        return other_document_named(question, self.title_words)

    def for_question(self, question: str, doc_ids: list[str]) -> dict[int, str]:
        """Position → concept name, for the rows of ``doc_ids`` (the documents the question's search found)
        stating what ``question`` asks about the document."""
        if other_document_named(question, self.title_words):
            return {}
        return {position: concept.name for concept in asked_concepts(question)
                for doc_id in doc_ids for position in self.positions(concept, doc_id)}
