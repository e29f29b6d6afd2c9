"""Checker: verify every citation and quotation in a language model's answer before a member sees it.

The answer is read as claims: each run of text up to a citation such as ``[§3.3]`` is one claim, and
text after the last citation of a line is a claim that cites nothing. A claim is kept only when every
section it cites was retrieved for this question, it quotes at least one of them (three words or more, in any
quotation marks: “…”, "…", ‘…’ or '…'), every quotation in it appears verbatim in one of the sections it cites
(both in the text the model was shown and in the source document), and every figure it states appears in those
sections. A claim that only paraphrases is removed: its words cannot be checked, and a model was seen writing the
opposite of a rule and citing the rule's section. Other claims are removed and marked in place. Kept claims yield
``Citation`` objects built from the real section, so ``Answer.citations`` only ever lists checked ones. What
the model writes around a checked quotation is its own wording: the member reads the quotation beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from guidance.citing.citations import quote_in_source, quoted_citation
from guidance.models import Citation
from ingest.index import StoredIndex
from ingest.text import fold_whitespace

NOT_COVERED = "NOT_COVERED"  # the marker the answer prompt (prompts/answer-v2.md) asks for when the sections do not answer
CITATION_RUN = re.compile(r"(?:[ \t]*\[§[^\]\n]*\])+")
CITATION = re.compile(r"\[§([^\]\n]*)\]")
# Double quotes, then single ones: an opening single quote follows no letter and a closing one precedes none, so
# the apostrophes of "don't" and "residents' data" are not read as quotation marks.
QUOTATION = re.compile(r"“([^”\n]+)”|\"([^\"\n]+)\"|(?<![\w’])‘([^‘\n]+?)’(?!\w)|(?<![\w'])'([^'\n]+?)'(?!\w)")
MIN_QUOTE_WORDS = 3  # "the" quoted is verbatim in any section and supports nothing
HAS_WORDS = re.compile(r"[A-Za-z]{2}")
FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass
class RetrievedSection:
    """A section given to the model, under the tag it was told to cite (e.g. "3.3"), and the text it was shown."""

    tag: str
    section_id: str
    heading: str
    text: str


@dataclass
class RemovedClaim:
    text: str
    reason: str


@dataclass
class CheckedAnswer:
    text: str
    citations: list[Citation] = field(default_factory=list)
    kept: int = 0
    removed: list[RemovedClaim] = field(default_factory=list)
    not_covered: bool = False


class SectionLibrary:
    """Every section of the index with its chunks, quotable sentences and source text, for checking."""

    def __init__(self, index: StoredIndex):
        self.index = index
        self.sections = index.by_section

    def source(self, section_id: str) -> str:
        chunks = self.sections[section_id].chunks
        text = self.index.source_text(chunks[0].doc_id)
        return text[min(c.start for c in chunks) : max(c.end for c in chunks)]

    def verbatim(self, quote: str, section: RetrievedSection) -> bool:
        """In the text the model was shown for the section, and in the section's source document."""
        return quote_in_source(quote, section.text) and quote_in_source(quote, self.source(section.section_id))

    def heading(self, section_id: str) -> str:
        return self.sections[section_id].heading

    def exists(self, tag: str) -> bool:
        return tag in self.sections or any(section.key == tag for section in self.sections.values())

    def citation(self, section_id: str, quote: str) -> Citation:
        """A citation of ``quote`` (already checked to be in the section), labelled as its sentence is."""
        section = self.sections[section_id]
        sentence = next((s for s in section.sentences if quote_in_source(quote, s.text)), None)
        chunk = self.index.chunk_by_id[sentence.chunk_id] if sentence else next(
            (c for c in section.chunks if quote_in_source(quote, self.index.source_text(c.doc_id)[c.start : c.end])),
            section.chunks[0],
        )
        return quoted_citation(chunk, fold_whitespace(quote), sentence.label if sentence else None)


def section_tags(section_ids: list[str], library: SectionLibrary) -> dict[str, str]:
    """The tag to cite each section by: its number, or ``doc_id#number`` where two documents share a number."""
    numbers = [library.sections[s].key for s in section_ids]
    return {s: n if numbers.count(n) == 1 else s for s, n in zip(section_ids, numbers)}


def claims(draft: str) -> list[tuple[str, list[str]]]:
    """The draft as (claim text with its citations, cited tags) pairs, in order, line breaks kept."""
    found: list[tuple[str, list[str]]] = []
    for line in draft.splitlines(keepends=True):
        at = 0
        for run in CITATION_RUN.finditer(line):
            tags = [t.strip().lstrip("§").strip() for c in CITATION.findall(run.group()) for t in re.split(r"[,;]", c)]
            found.append((line[at : run.end()], [t for t in tags if t]))
            at = run.end()
        found.append((line[at:], []))
    return found


def check(draft: str, retrieved: list[RetrievedSection], library: SectionLibrary) -> CheckedAnswer:
    if draft.strip().strip(".").strip() == NOT_COVERED:
        return CheckedAnswer(text=NOT_COVERED, not_covered=True)
    by_tag = {s.tag: s for s in retrieved} | {s.section_id: s for s in retrieved}
    result = CheckedAnswer(text="")
    pieces: list[str] = []
    for text, tags in claims(draft):
        claim = CITATION_RUN.sub("", text)
        if not HAS_WORDS.search(claim):
            # Punctuation and line breaks stay; a citation with nothing before it claims nothing.
            pieces.append("" if tags else text)
            continue
        reason, sources = _verdict(claim, tags, by_tag, library)
        if reason:
            pieces.append(_removed(result, claim, reason))
            continue
        result.kept += 1
        for section_id, quote in sources:
            citation = library.citation(section_id, quote)
            if citation not in result.citations:
                result.citations.append(citation)
        references = " ".join(dict.fromkeys(f"[{by_tag[t].heading}]" for t in tags))
        line_break = "\n" if text.endswith("\n") else ""
        pieces.append(f"{claim.rstrip()} {references}{line_break}")
    result.text = "".join(pieces).strip()
    return result


def _verdict(
    claim: str, tags: list[str], by_tag: dict[str, RetrievedSection], library: SectionLibrary
) -> tuple[str | None, list[tuple[str, str]]]:
    """Why the claim must go (or None), and the (section id, verbatim quote) pairs that cite it."""
    if not tags:
        return "it cites no section", []
    reason = _invalid_citation(tags, by_tag, library)
    if reason:
        return reason, []
    cited = [by_tag[t] for t in tags]
    if _unsupported_figures(QUOTATION.sub("", claim), cited):
        return f"it states a figure that is not in the text of {', '.join('§' + s.tag for s in cited)}", []
    quotes = quotations(claim)
    homes = {q: next((s for s in cited if library.verbatim(q, s)), None) for q in quotes}
    if any(home is None for home in homes.values()):
        return f"a quotation in it is not in the text of {', '.join('§' + s.tag for s in cited)}", []
    sources = [(home.section_id, q) for q, home in homes.items() if len(q.split()) >= MIN_QUOTE_WORDS]
    if not sources:
        return f"it quotes nothing from {', '.join('§' + s.tag for s in cited)}, so what it says could not be checked", []
    return None, sources


def quotations(claim: str) -> list[str]:
    """The text inside each pair of quotation marks in ``claim``, whichever marks the model used."""
    return [next(part for part in match.groups() if part) for match in QUOTATION.finditer(claim)]


def _unsupported_figures(claim: str, cited: list[RetrievedSection]) -> list[str]:
    """Numbers in the claim (amounts, dates, percentages) that none of its cited sections contains.

    Paraphrase is allowed, but a figure cannot be paraphrased: a weak model was seen inventing a £ fine
    and citing a real section for it.
    """
    shown = " ".join(s.text for s in cited)
    tags = {s.tag for s in cited}
    return [f for f in FIGURE.findall(claim) if f not in tags and not re.search(rf"(?<![\d.,]){re.escape(f)}(?!\d)", shown)]


def _invalid_citation(tags: list[str], by_tag: dict[str, RetrievedSection], library: SectionLibrary) -> str | None:
    for tag in tags:
        if tag not in by_tag:
            where = "was not among the sections retrieved for this question" if library.exists(tag) else "does not exist in the documents"
            return f"it cites §{tag}, which {where}"
    return None


def _removed(result: CheckedAnswer, claim: str, reason: str) -> str:
    result.removed.append(RemovedClaim(text=claim.strip(), reason=reason))
    lead = " " if claim[:1].isspace() else ""
    trailing = "\n" if claim.endswith("\n") else ""
    return f"{lead}[removed: a statement here could not be checked — {reason}]{trailing}"
