"""Generative: an ``Answerer`` writing fluent answers with a chat model, as a LangChain chain whose every
citation is checked.

condense the question with the earlier ones → hybrid retriever → prompt from ``prompts/`` → chat model →
citation checker (``guidance/citing/checker.py``), one Runnable (``GenerativeAnswerer.chain``); streaming runs
the same steps with the model's part streamed. The extractive answer is worked out first: when its
calibrated coverage test finds the documents do not cover the question (or it is declined), that is the
answer and the model is not asked; otherwise it is the fallback. When the model fails in any way (down, timed out,
rate-limited, empty or unusable output), the member gets the extractive answer with a short note. When the
extractive answer rests on an officer's correction, the corrected section is given to the model first, and an
answer that does not cite it gives way to the officer's.
"""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from collections.abc import Callable, Generator

from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda, RunnablePassthrough

from guidance.answering.answerer import Answerer, PreparedQuestion
from guidance.answering.extractive import ExtractiveAnswerer
from guidance.answering.safety import INSTRUCTION_OVERRIDE
from guidance.answering.stream import AnswerStream
from guidance.backends import DEFAULT_TIMEOUT_S
from guidance.citing.checker import CheckedAnswer, RetrievedSection, SectionLibrary, check, section_tags
from guidance.config import MAX_QUESTION_CHARS, REPO_ROOT
from guidance.models import Answer
from guidance.retrieval.langchain_retriever import GuidanceRetriever
from guidance.retrieval.spelling import Speller
from guidance.timing import elapsed_ms, within
from ingest.text import fold_whitespace

PROMPTS_DIR = REPO_ROOT / "prompts"
ANSWER_PROMPT = "answer-v2"
CONDENSE_PROMPT = "condense-v1"
SECTIONS_GIVEN = 4
# Text in a document that mimics the prompt's own delimiters must not close the data block early.
DELIMITER = re.compile(r"</?\s*sections\s*>", re.I)
# A passage that addresses instructions to the assistant is not guidance: the model never sees it,
# so nothing can be quoted from it.
WITHHELD = "[passage withheld: it addresses instructions to the assistant]"
REMOVED_NOTE = "Removed a statement from the model's answer"
PROMPT_PART = re.compile(r"^## (system|human)\s*$", re.M)
URL_SETTING = "GUIDANCE_LLM_URL or --llm-url"

log = logging.getLogger(__name__)


class EmptyReply(Exception):
    """The model replied with nothing."""


class IgnoredCorrection(Exception):
    """The model's checked answer did not cite the section an officer confirmed for the question."""


class FoundNothing(Exception):
    """The model said the sections do not answer the question, where the extractive answerer found a quote that does."""


class Unchecked(Exception):
    """No claim in the model's reply survived the citation check."""

    def __init__(self, checked: CheckedAnswer):
        super().__init__(f"{len(checked.removed)} claims removed, none kept")
        self.checked = checked


def load_prompt(name: str) -> ChatPromptTemplate:
    """A versioned prompt file: a description, then ``## system`` and ``## human`` parts."""
    path = PROMPTS_DIR / f"{name}.md"
    parts = PROMPT_PART.split(path.read_text(encoding="utf-8"))
    messages = [(role, body.strip()) for role, body in zip(parts[1::2], parts[2::2])]
    if [role for role, _ in messages] != ["system", "human"]:
        raise ValueError(f"{path} must have a '## system' part followed by a '## human' part.")
    return ChatPromptTemplate.from_messages(messages)


def as_data(text: str) -> str:
    """Section text as it may be shown to the model: passages that give it instructions withheld."""
    lines = (WITHHELD if INSTRUCTION_OVERRIDE.search(line) else DELIMITER.sub("", line) for line in text.splitlines())
    return "\n".join(lines)


def removal_notes(checked: CheckedAnswer) -> list[str]:
    """One note per removed claim, giving the reason but not the words, which were not checked."""
    for removed in checked.removed:
        log.info("Checker removed %r: %s", removed.text, removed.reason)
    return [f"{REMOVED_NOTE}: {r.reason}." for r in checked.removed]


def failure_reason(error: BaseException) -> str:
    """A short, member-readable account of why the model gave no usable answer."""
    if isinstance(error, EmptyReply):
        return "returned an empty reply"
    if isinstance(error, Unchecked):
        return "gave an answer whose citations could not be checked against the guidance"
    if isinstance(error, IgnoredCorrection):
        return "did not use the section an officer confirmed for this question"
    if isinstance(error, FoundNothing):
        return "found no answer in the sections it was given"
    names = {kind.__name__ for kind in type(error).__mro__}
    status = getattr(error, "status_code", None)
    if names & {"APITimeoutError", "TimeoutException", "TimeoutError", "ReadTimeout"}:
        return "did not answer in time"
    if "RateLimitError" in names or status == 429:
        return "is rate-limited just now"
    if names & {"APIConnectionError", "ConnectError", "ConnectionError"}:
        return "could not be reached"
    if status == 404:
        return f"was not found at its address (HTTP 404: check {URL_SETTING})"
    if status:
        return f"returned an error (HTTP {status})"
    if isinstance(error, (ValueError, LookupError)):  # JSON that does not parse, no choices, a reply of no text
        return "sent a reply that could not be read"
    return f"failed ({type(error).__name__})"


def corrected_section(baseline: Answer) -> str | None:
    """The section an officer confirmed, when the extractive answer rests on a correction."""
    return baseline.cited_sections[0] if baseline.basis == "officer_correction" else None


class GenerativeAnswerer:
    def __init__(self, model, backend: str, fallback: Answerer, extractive: ExtractiveAnswerer, speller: Speller,
                 reply_deadline_s: float = DEFAULT_TIMEOUT_S):
        """``fallback`` gives the extractive answer (officers' corrections applied), worked out first and given
        when the model fails; ``extractive`` searches and says what the documents do not cover; ``speller``
        corrects a rewritten question's spelling before it is searched with, as on the extractive path;
        ``reply_deadline_s`` bounds a streamed reply as a whole (the client's own timeout is per piece, so a model
        sending a word a second would never time out)."""
        self.backend = backend
        self.reply_deadline_s = reply_deadline_s
        self.fallback = fallback
        self.extractive = extractive
        self.speller = speller
        self.claims = Counter()  # claims the checker kept and removed since start, for monitoring and evals
        self.library = SectionLibrary(extractive.index)
        self.retriever = GuidanceRetriever(searcher=extractive.searcher, embed_fn=extractive.embed_fn, k=SECTIONS_GIVEN)
        self.condense_chain = load_prompt(CONDENSE_PROMPT) | model | StrOutputParser()
        prompt_inputs = RunnableLambda(lambda asked: {"sections": asked["sections"], "question": asked["prompt_question"]})
        self.draft_chain = prompt_inputs | load_prompt(ANSWER_PROMPT) | model | StrOutputParser()
        self.retrieval_chain = RunnableLambda(self.condense) | RunnableLambda(self.retrieve)
        self.chain = self.retrieval_chain | RunnablePassthrough.assign(draft=self.draft_chain) | RunnableLambda(self.checked)

    def condense(self, asked: dict) -> dict:
        """The question to answer (``prompt_question``) and its ``search_text``: as prepared when it stands
        alone, else as the model rewrote it with the earlier questions, else as the follow-up rule read it."""
        prepared: PreparedQuestion = asked["prepared"]
        if prepared.history:
            history = "\n".join(f"- {q}" for q in prepared.history)
            rewritten = fold_whitespace(self.condense_chain.invoke({"question": prepared.question, "history": history}))
            if rewritten and len(rewritten) <= MAX_QUESTION_CHARS:
                return {**asked, "prompt_question": rewritten, "search_text": self.speller.correct(rewritten)}
            return {**asked, "prompt_question": prepared.search_text, "search_text": prepared.search_text}
        return {**asked, "prompt_question": prepared.question, "search_text": prepared.search_text}

    def retrieve(self, asked: dict) -> dict:
        documents = self.retriever.invoke(asked["search_text"])
        texts = {d.metadata["section_id"]: d.page_content for d in documents}
        corrected = corrected_section(asked["baseline"])
        if corrected:  # first, whatever retrieval found
            texts = {corrected: "\n".join(c.body for c in self.library.sections[corrected].chunks), **texts}
        ids = list(texts)[:SECTIONS_GIVEN]
        tags = section_tags(ids, self.library)
        retrieved = [
            RetrievedSection(tag=tags[section_id], section_id=section_id, heading=self.library.heading(section_id),
                             text=as_data(texts[section_id]))
            for section_id in ids
        ]
        blocks = [f"[§{s.tag}] {s.heading}\n{s.text}" for s in retrieved]
        return {**asked, "retrieved": retrieved, "sections": "\n\n".join(blocks)}

    def answer(self, prepared: PreparedQuestion) -> Answer:
        return AnswerStream(self._answering(prepared, self._invoked)).final()

    def stream(self, prepared: PreparedQuestion) -> AnswerStream:
        return AnswerStream(self._answering(prepared, self._streamed))

    def _answering(self, prepared: PreparedQuestion, write: Callable[[dict], Generator[str, None, Answer]]
                   ) -> Generator[str, None, Answer]:
        """The baseline first, then the model's answer by ``write`` unless the baseline did not answer; any
        failure of the model reaches the member as the baseline, with a note, never as a traceback."""
        baseline = self.fallback.answer(prepared)
        if baseline.status != "answered":
            yield baseline.answer
            return baseline
        try:
            return (yield from write({"prepared": prepared, "baseline": baseline}))
        except Exception as error:
            return self.fall_back(baseline, error)

    def _invoked(self, asked: dict) -> Generator[str, None, Answer]:
        """The whole chain at once: its checked answer, as one piece."""
        answer = self.chain.invoke(asked)
        yield answer.answer
        return answer

    def _streamed(self, asked: dict) -> Generator[str, None, Answer]:
        """The draft as the model writes it, then the checked answer."""
        prepared = self.retrieval_chain.invoke(asked)
        draft = []
        for chunk in within(self.draft_chain.stream(prepared), self.reply_deadline_s):
            draft.append(chunk)
            yield chunk
        return self.checked({**prepared, "draft": "".join(draft)})

    def checked(self, drafted: dict) -> Answer:
        """The chain's last step: the draft, checked, as the member's answer (or an exception to fall back on)."""
        question = drafted["prepared"].question
        if not drafted["draft"].strip():
            raise EmptyReply()
        checking = time.perf_counter()
        checked = check(drafted["draft"], drafted["retrieved"], self.library)
        self.claims.update(kept=checked.kept, removed=len(checked.removed))
        if checked.not_covered:  # the baseline answered (or the model is not asked): the member gets its quote
            raise FoundNothing()
        if not checked.kept:
            raise Unchecked(checked)
        answer = Answer(question=question, status="answered", answer=checked.text, citations=checked.citations,
                        notes=removal_notes(checked))
        answer.mode, answer.backend = "generative", self.backend
        baseline = drafted["baseline"]
        if corrected_section(baseline):
            if corrected_section(baseline) not in answer.cited_sections:
                raise IgnoredCorrection()
            answer.basis, answer.correction_id = baseline.basis, baseline.correction_id
            answer.answer = f"{baseline.answer.splitlines()[0]}\n{answer.answer}"
        answer.timings_ms = {"check": elapsed_ms(checking)}
        return answer

    def fall_back(self, baseline: Answer, error: Exception) -> Answer:
        log.warning("LLM backend %s failed, answering extractively: %r", self.backend, error)
        note = f"Note: the language model ({self.backend}) {failure_reason(error)}, so this answer quotes the guidance directly."
        answer = baseline.model_copy(deep=True)
        answer.mode = "extractive_fallback"
        answer.answer = f"{answer.answer}\n\n{note}"
        answer.notes.append(note)
        if isinstance(error, Unchecked):
            answer.notes.extend(removal_notes(error.checked))
        return answer
