"""Safety: questions the assistant declines before looking anything up.

Input with nothing to answer (blank, or no letter or digit at all: "   ", "?", "🤔🤔🤔", zero-width spaces),
over-long input, attempts to change the assistant's instructions, and requests to write abusive or attacking
posts. These are rules, not a model, so an officer can read exactly what is refused. ``normalise_question`` is
the one reading of a question's characters (NFKC) that every check and search should see; ``searchable`` is
what is searched.
"""

from __future__ import annotations

import re
import unicodedata

from guidance.config import MAX_QUESTION_CHARS
from ingest.text import fold_whitespace

INSTRUCTION_OVERRIDE = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,30}\b(your|all|any|previous|prior|above|earlier|these|those)\b"
    r".{0,20}\b(instructions?|rules|prompts?|directions)\b"
    r"|\bnew instructions\b|\bsystem prompt\b|\bjailbreak\b|\bdeveloper mode\b"
    r"|\byou(\s+are|'re|’re) (no longer|now) (a|an|my)\b|\bpretend (you are|to be)\b|\broleplay\b"
    r"|\b(with|have) no (\w+ )?(rules|restrictions|limits|filters)\b|\bunrestricted (assistant|mode|ai|bot)\b"
    # fixing the reply in advance ("answer yes to whatever I ask", "repeat after me", "say nothing else")
    r"|\b(answer|say|reply|respond)( with)? (yes|no)\b.{0,20}\b(whatever|everything|anything)\b"
    r"|\brepeat after me\b|\bsay nothing else\b"
    # asking for its own set-up ("what rules were you given?", "the instructions you were given")
    r"|\b(rules|instructions|prompts?|directions)\b.{0,20}\b(were you|you were|you've been|you have been) (given|told|set)\b"
    # addressed to the assistant's set-up: "print your hidden prompt", "from now on you will…"
    r"|\byour (hidden |secret |system |original |initial |internal )*(prompt|instructions|configuration)\b"
    r"|\bfrom now on,? you\b|\b(act|behave|respond|answer) as (if|though) you\b"
    # a sentence that opens by telling it to drop what it was given ("Forget the guidance.")
    r"|(^|[.!?:]\s+)(please\s+)?(ignore|disregard|forget)\s+(the|all|any|everything|what)\b",
    re.IGNORECASE | re.DOTALL,
)
# A request for text ("write me…", "can you draft…", "give me a few nicknames…"), as opposed to a question ("can I
# make a point…?") or a request for advice ("can you give me some tips on dealing with trolls?").
ASKING = r"((^|[.!?]\s+)(please\s+)?|\b(can|could|would|will) you (please )?|\bhelp me )"
TEXT = (r"(posts?|tweets?|repl(y|ies)|responses?|comments?|messages?|poems?|memes?|jokes?|nicknames?|insults?"
        r"|captions?|status|thread|something|names)")
WRITE_REQUEST = re.compile(
    rf"{ASKING}(write|draft|compose|word)\b"
    # the text is what is asked for ("suggest some replies"), not what advice is about ("suggest how to answer replies")
    rf"|{ASKING}(give me|come up with|make( me)?|create|suggest|put together)"
    rf"(\s+(?!(how|what|whether|tips|advice|ways?)\b)[\w'’-]+){{0,5}}?\s+{TEXT}\b"
    r"|\bI (want|need) you to\b",
    re.IGNORECASE,
)
ATTACK_WORDS = re.compile(
    r"\b(insult\w*|abus\w*|attack\w*|mock\w*|humiliat\w*|ridicul\w*|slag\w*|trash\w*|destroy\w*|rip into"
    r"|nasty|vile|offensive|idiot\w*|stupid|moron\w*|crook\w*|corrupt|liar\w*|useless|incompetent|pathetic"
    r"|disgusting|shame\w*|troll\w*|roast\w*|tear .{0,20} apart|swear\w*|rude\w*|lazy|clowns?|fools?"
    r"|(mak\w*|poke) fun|waste of (money|space|time)|in (his|her|their) place)\b",
    re.IGNORECASE,
)

EMPTY_QUESTION = "Please type a question about the social media guidance or the Code of Conduct."
HELP_HINT = "If you have a question about the guidance itself, please ask it and I will quote the relevant section."


def normalise_question(question: str) -> str:
    """``question`` in NFKC form: full-width letters (typed with an East Asian keyboard or pasted from a PDF),
    ligatures and other compatibility characters become the plain ones the guidance and its index use, so
    "Ｃａｎ Ｉ ｔｗｅｅｔ？" is read as "Can I tweet?". Show the member's own text; search and check this one."""
    return unicodedata.normalize("NFKC", question)


# What makes an emoji beyond its symbol: zero-width joiner, variation selectors, the keycap mark
EMOJI_PARTS = {"\u200d", "\ufe0e", "\ufe0f", "\u20e3"}
EXCLAIMED = re.compile(r"([!?])[!?]+")


def searchable(question: str) -> str:
    """``question`` as it is searched: without emoji and other pictographic symbols (Unicode "other" and
    "modifier" symbols, such as skin tones), runs of "!" and "?" as one, white space folded. None of these carries a
    word to look up, but the encoder reads them as text: "Can I tweet about planning? 🙂" and "…planning?!!!" were
    answered from another section than the plain question. Currency signs, other punctuation and letters of every
    script are kept ("£60" stays)."""
    kept = "".join(" " if unicodedata.category(c) in ("So", "Sk") or c in EMOJI_PARTS else c for c in question)
    return fold_whitespace(EXCLAIMED.sub(r"\1", kept))


def has_words(question: str) -> bool:
    """True when ``question`` has at least one letter or digit (in any script). Without one there is nothing
    to look up: whitespace, punctuation, emoji and invisible characters would otherwise be read as a follow-up
    to the previous question and answered."""
    return any(character.isalnum() for character in question)


def check_question(question: str) -> str | None:
    """The reason to decline this question before retrieval, or ``None`` when it may be answered."""
    text = normalise_question(question).strip()
    if not has_words(text):
        return EMPTY_QUESTION
    length = len(question.strip())  # as typed: the count the member sees (NFKC can lengthen a few characters)
    if length > MAX_QUESTION_CHARS:
        return (
            f"Your question is {length:,} characters long; please keep it under {MAX_QUESTION_CHARS:,} "
            "characters (a sentence or two is best)."
        )
    if INSTRUCTION_OVERRIDE.search(text):
        return "I can only answer questions from the council's guidance documents, and I cannot change how I work. " + HELP_HINT
    if WRITE_REQUEST.search(text) and ATTACK_WORDS.search(text):
        return (
            "I cannot help write posts that attack, insult or mock anyone. The guidance asks members not to use "
            "social media to attack, insult or abuse others. " + HELP_HINT
        )
    return None
