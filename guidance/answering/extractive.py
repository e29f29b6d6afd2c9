"""Extractive: the default ``Answerer``. It quotes the guidance verbatim, with no language model.

From the top retrieved sections it scores every sentence against the question (``guidance.answering.scoring``), quotes
the unit of the best one (its bullet, row or short paragraph) and a second only when that one answers the
question on its own merits, and composes a short answer in a fixed shape: a lead in the guidance's own terms
(a "Don't" is never presented as advice), the quotes with their citations, and, where the guidance warns, who
to ask. When no quote is strong enough, or none contains enough of what the question asks, it says the
documents do not cover the question instead of guessing; ``Answer.reasons`` says why, from the score's parts.
"""

from __future__ import annotations

import re

import numpy as np

from guidance.answering.answer_type import asked_type, has_answer_type
from guidance.answering.likeness import LabelledQuestions, Likeness
from guidance.answering.named_documents import DocumentNames
from guidance.answering.answerer import PreparedQuestion
from guidance.answering.stream import AnswerStream
from guidance.citing.citations import format_quote, quoted_citation
from guidance.models import Answer, Citation
from guidance.retrieval.search import HybridSearcher, SectionHit
from guidance.answering.scoring import AnswerSettings, ScoredSentence, SentenceScorer, explain
from ingest.embedding import EmbedFunction
from ingest.index import StoredIndex

PROHIBITION = re.compile(r"\b(do not|don't|don’t|should not|must not|never|cannot|is a breach)\b", re.I)
CODE_OF_CONDUCT_QUESTION = re.compile(r"code of conduct", re.I)
# Matters only a Code of Conduct settles; guidance on social media would be a guess at them.
CODE_ONLY_TOPIC = re.compile(
    r"\b(declar\w*|register\w*)\b.{0,40}\binterests?\b|\bpecuniary\b|\bgifts?\b|\bhospitality\b"
    r"|\bdispensation\b|\bstandards (committee|panel|board|sub-committee|hearing)\b"
    r"|\bcomplain\w*\b.{0,40}\b(councillor|member|code)\b"
    # a member's own interests: the code's kinds, or one to tell or withdraw for ("is that an interest I have to tell
    # people about?"), not "the public interest" or a hobby ("can I post about my interests?")
    r"|\b(personal|prejudicial|registrable|disclosable|non-pecuniary) interests?\b"
    r"|\b(an?|my) interests?\b.{0,40}\b(tell\w*|declar\w*|disclos\w*|register\w*|vote|voting|speak\w*|leave)\b"
    # breaking the code and what follows ("who investigates if I broke the code?", "sanctions for a breach")
    r"|\b(sanctions?|breach\w*|break\w*|broke|broken|investigat\w*)\b.{0,40}\bcode\b"
    # a gift or hospitality named by what it is ("invited me out for dinner", "a bottle of wine from a developer")
    # or by what it is worth ("offered me £50"); "acceptable" is not accepting
    r"|\b(invit\w*|offer\w*|treat\w*|bought|accept(ed|ing|s)?|gave|given|sent)\b.{0,40}"
    r"\b(dinner|lunch|meals?|tickets?|freebies?|presents?|hampers?|bottles?|wine|whisky|champagne|chocolates"
    r"|flowers|vouchers?|gift cards?)\b"
    r"|\b(offer\w*|accept(ed|ing|s)?|gave|given|receiv\w*)\b.{0,40}£\s?\d"
    # withdrawing for an interest ("do I have to leave the room when…")
    r"|\b(leave|withdraw from|step out of) the (room|meeting|chamber)\b",
    re.I,
)
HELP_QUERY = "who is happy to help members with additional guidance and advice"
# Councils title their signposting section in a few familiar ways; the guidance's is "6.0 Further guidance".
HELP_SECTION_TITLE = re.compile(r"\b(further (guidance|information|advice)|contacts?|help|advice and support)\b", re.I)
# Quotes looked at, best first, for the first that answers the question on both checks.
QUOTES_CHECKED = 5


class ExtractiveAnswerer:
    def __init__(self, index: StoredIndex, searcher: HybridSearcher, embed_fn: EmbedFunction,
                 settings: AnswerSettings = AnswerSettings(), labelled: LabelledQuestions | None = None):
        """``labelled``: questions officers labelled as answered or not, to measure a question's likeness to them."""
        self.index = index
        self.labelled = labelled
        self.searcher = searcher
        self.embed_fn = embed_fn
        self.settings = settings
        self.scorer = SentenceScorer(index)
        self.has_code_of_conduct = any(d.kind == "code_of_conduct" for d in index.documents)
        self.document_names = DocumentNames(index.documents)
        self._signpost: ScoredSentence | None | bool = False

    def signpost(self) -> ScoredSentence | None:
        """The corpus's own sentence about who helps members (the guidance's §6.0), found once by search."""
        if self._signpost is False:
            vector = self.embed_fn([HELP_QUERY])[0]
            titled = {c.section_id for c in self.index.chunks if HELP_SECTION_TITLE.search(c.section_title)}
            hits = self.searcher.search(HELP_QUERY, vector, k=len(self.index.by_section))
            scored = self.score_sentences(HELP_QUERY, vector, [h for h in hits if h.section_id in titled] or hits)
            self._signpost = scored[0] if scored and scored[0].score >= self.settings.coverage_threshold else None
        return self._signpost

    @property
    def signpost_words(self) -> int:
        """Words of the signpost line, which counts against the answer's word budget when shown."""
        signpost = self._signpost if self._signpost not in (False, None) else None
        return len(self.signpost_text(signpost).split()) if signpost else 0

    def score_sentences(self, question: str, query_vector: np.ndarray, hits: list[SectionHit]) -> list[ScoredSentence]:
        return self.scorer.score(question, query_vector, hits, self.settings)

    def likeness(self, query_vector: np.ndarray) -> Likeness | None:
        """The question's likeness to unanswered questions, when it counts (a weight and labelled questions)."""
        if not self.settings.likeness_weight or self.labelled is None:
            return None
        return self.labelled.likeness(query_vector)

    def needed_score(self, likeness: Likeness | None) -> float:
        """The score a quote needs to answer a question of this likeness to unanswered questions."""
        shift = self.settings.likeness_weight * likeness.value if likeness else 0.0
        return self.settings.coverage_threshold + shift

    def answers_question(self, question: str, scored: ScoredSentence, needed: float | None = None) -> bool:
        """Strong enough (``needed``, by default the threshold), its unit contains enough of the question's
        words, and the kind of thing asked for."""
        settings = self.settings
        needed = settings.coverage_threshold if needed is None else needed
        return scored.score >= needed and self.addresses(question, scored) and (
            settings.min_word_coverage <= 0 or self.scorer.coverage(question, scored) >= settings.min_word_coverage
        )

    def addresses(self, question: str, scored: ScoredSentence) -> bool:
        """A time for "when…?", a figure for "how many…?" (``guidance.answering.answer_type``), in the quote or its label."""
        return has_answer_type(question, f"{self.index.sentences[scored.position].label} {self.scorer.unit_text(scored.position)}")

    def choose_quotes(self, question: str, scored: list[ScoredSentence],
                      needed: float | None = None) -> list[ScoredSentence]:
        """The best quote that answers the question, and a second close behind it that answers it on its own
        merits and fits the word budget; none when no quote answers it (scores ``needed``). A question that names
        two or more documents (``guidance.answering.named_documents``) gets the best answering quote of each instead."""
        best = next((s for s in scored[:QUOTES_CHECKED] if self.answers_question(question, s, needed)), None)
        if best is None:
            return []
        groups = self.document_names.groups(question)
        if len(groups) > 1:
            return self._one_per_document(question, scored, best, groups, needed)
        for candidate in scored[:QUOTES_CHECKED]:
            if candidate.score < best.score * (1 - self.settings.second_quote_margin):
                break
            if self._fits_beside(question, candidate, [best], needed):
                return [best, candidate]
        return [best]

    def _one_per_document(self, question: str, scored: list[ScoredSentence], best: ScoredSentence,
                          groups: list[frozenset[str]], needed: float | None) -> list[ScoredSentence]:
        chosen = [best]
        for group in groups:
            if not any(self.doc_of(s) in group for s in chosen):
                chosen += next(([s] for s in scored
                                if self.doc_of(s) in group and self._fits_beside(question, s, chosen, needed)), [])
        return chosen

    def _fits_beside(self, question: str, candidate: ScoredSentence, chosen: list[ScoredSentence],
                     needed: float | None) -> bool:
        """Answers the question itself, repeats none of ``chosen``, and fits the word budget beside them (and
        beside the signpost, shown below a warning)."""
        shown = {p for s in chosen for p in self.scorer.unit(s.position)}
        words = sum(len(self.scorer.unit_text(s.position).split()) for s in [*chosen, candidate])
        signpost = self.signpost_words if self.warns(self.citation(chosen[0])) else 0
        texts = {self.index.sentences[s.position].text for s in chosen}
        return (shown.isdisjoint(self.scorer.unit(candidate.position))
                and words + signpost <= self.settings.max_quoted_words
                and self.index.sentences[candidate.position].text not in texts
                and self.answers_question(question, candidate, needed))

    def doc_of(self, scored: ScoredSentence) -> str:
        return self.index.chunk_by_id[self.index.sentences[scored.position].chunk_id].doc_id

    def citation(self, scored: ScoredSentence) -> Citation:
        sentence = self.index.sentences[scored.position]
        return quoted_citation(self.index.chunk_by_id[sentence.chunk_id], self.scorer.unit_text(scored.position), sentence.label)

    def quote_lines(self, citations: list[Citation]) -> list[str]:
        """An answer's lead line and its quotes, each with its citation."""
        return [self.lead(citations[0])] + [f"• {format_quote(c)}" for c in citations]

    def quoted_text(self, scored: ScoredSentence) -> str:
        """What an answer quoting ``scored`` alone shows of it (calibration checks its must-mention words in it)."""
        return "\n".join(self.quote_lines([self.citation(scored)]))

    def reasons(self, question: str, scored: list[ScoredSentence], quoted: list[ScoredSentence],
                likeness: Likeness | None = None) -> list[str]:
        """Why each quote was chosen, or, when none was, why the best candidate was not enough."""
        needed = f"needs score ≥ {self.needed_score(likeness):.2f}"
        if likeness:
            needed += f" ({self.settings.coverage_threshold:.2f}, {likeness.explain(self.settings.likeness_weight)})"
        if quoted:
            return [f"quoted {self.scorer.section_of(s.position)}: {explain(s, self.scorer.coverage(question, s))}"
                    for s in quoted] + ([needed] if likeness else [])
        if not scored:
            return ["no passage of the loaded documents matched the question"]
        best = scored[0]
        kind = "" if self.addresses(question, best) else f"; the question asks for a {asked_type(question).name} it does not state"
        return [f"declined: best candidate {self.scorer.section_of(best.position)} {explain(best, self.scorer.coverage(question, best))}"
                f"; {needed} and ≥ {self.settings.min_word_coverage:.0%} of the words{kind}"]

    def stream(self, prepared: PreparedQuestion) -> AnswerStream:
        return AnswerStream.of(self.answer(prepared))

    def outright_decline(self, question: str, search_text: str) -> Answer | None:
        """The answer to a question no quote of the loaded documents can answer, whatever it scores: a matter only
        a Code of Conduct settles when none is loaded, or a fact of a document that is not loaded ("who owns the
        planning enforcement policy?"); None for any other question."""
        if CODE_ONLY_TOPIC.search(question) and not self.has_code_of_conduct:
            return self.not_covered(question, needs_code=True)
        unloaded = self.scorer.facts.unloaded_document_asked(search_text)
        if unloaded is None:
            return None
        answer = self.not_covered(question, missing=unloaded)
        answer.reasons = [f"declined: the question asks about {unloaded}, which is not among the loaded documents"]
        return answer

    def answer(self, prepared: PreparedQuestion) -> Answer:
        question, search_text, query_vector = prepared.question, prepared.search_text, prepared.query_vector
        declined = self.outright_decline(question, search_text)
        if declined:
            return declined
        hits = self.searcher.search(search_text, query_vector, k=self.settings.sections_considered)
        scored = self.score_sentences(search_text, query_vector, hits)
        signpost = self.signpost()  # before choosing quotes: its length counts in their word budget
        likeness = self.likeness(query_vector)
        quoted = self.choose_quotes(search_text, scored, self.needed_score(likeness))
        if not quoted:
            answer = self.not_covered(question)
            answer.reasons = self.reasons(search_text, scored, quoted, likeness)
            return answer
        citations = [self.citation(s) for s in quoted]
        lines = self.quote_lines(citations)
        notes = []
        if signpost and self.warns(citations[0]) and self.signpost_quote(signpost) not in {c.quote for c in citations}:
            lines.append(f"If you are unsure, ask first: {self.signpost_text(signpost)}")
        if CODE_OF_CONDUCT_QUESTION.search(question) and not self.has_code_of_conduct:
            notes.append(self.code_not_loaded_note(citations[0]))
        lines.append(self.sources_line(citations))
        return Answer(question=question, status="answered", answer="\n".join(lines + notes), citations=citations,
                      notes=notes, reasons=self.reasons(search_text, scored, quoted, likeness))

    @staticmethod
    def warns(citation: Citation) -> bool:
        return citation.label == "Don't" or bool(PROHIBITION.search(citation.quote))

    def lead(self, citation: Citation) -> str:
        """One line in the guidance's own terms; each quote below carries its own reference."""
        if citation.label == "Don't":
            return f"The {citation.doc_title} lists this among the things not to do:"
        if citation.label == "Do":
            return f"The {citation.doc_title} recommends this:"
        if PROHIBITION.search(citation.quote):
            return f"The {citation.doc_title} warns against this:"
        return f"The {citation.doc_title} says:"

    @staticmethod
    def edition(citation: Citation) -> str:
        """The cited document with its version and date, e.g. "Social Media Guidance (version 1.0, 6 September 2017)"."""
        stamp = ", ".join(filter(None, [f"version {citation.doc_version}" if citation.doc_version else "", citation.doc_date]))
        return f"{citation.doc_title} ({stamp})" if stamp else citation.doc_title

    def sources_line(self, citations: list[Citation]) -> str:
        """Which edition of each cited document the answer rests on, so a superseded one is noticed."""
        return "Source: " + "; ".join(dict.fromkeys(self.edition(c) for c in citations)) + "."

    def signpost_quote(self, signpost: ScoredSentence) -> str:
        return self.scorer.unit_text(signpost.position)

    def signpost_text(self, signpost: ScoredSentence) -> str:
        chunk = self.index.chunk_by_id[self.index.sentences[signpost.position].chunk_id]
        return f"“{self.signpost_quote(signpost)}” ({chunk.doc_title} {chunk.heading})"

    def code_not_loaded_note(self, citation: Citation) -> str:
        return (
            f"Note: the Members' Code of Conduct itself is not loaded here. This answer rests on the "
            f"{self.edition(citation)}, which refers to the Code as it stood then; ask the Monitoring Officer for "
            "the current Code."
        )

    def not_covered(self, question: str, needs_code: bool = False, missing: str = "") -> Answer:
        """``missing``: the document the question asks about, not loaded ("the planning enforcement policy")."""
        names = sorted({d.citation_title for d in self.index.documents})
        titles = f"{', '.join(names[:-1])} and {names[-1]}" if len(names) > 1 else names[0]
        if needs_code or CODE_OF_CONDUCT_QUESTION.search(question) and not self.has_code_of_conduct:
            text = (
                "This needs the Members' Code of Conduct, which is not loaded here, so I cannot answer it from the "
                f"documents I have ({titles})."
            )
        elif missing:
            text = f"{missing[0].upper()}{missing[1:]} is not among the documents loaded here ({titles}), so I will not guess."
        else:
            text = f"The documents loaded here ({titles}) do not cover this, so I will not guess."
        signpost = self.signpost()
        if signpost:
            text += f" For help, {self.signpost_text(signpost)}"
        return Answer(question=question, status="not_covered", answer=text)
