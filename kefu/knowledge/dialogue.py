"""What the chat bot reads in a conversation (pure: no Django, no database).

The bot (``bot.py``) asks these questions of every visitor message: does the visitor want a
person, are they strongly upset, is the message too vague to search, how many turns in a row
went unresolved. The answers are plain data; the bot turns them into a reply.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from kefu.knowledge.text import fold, is_cjk, tokens

MAX_UNRESOLVED_TURNS = 3  # the charter: three turns the bot could not resolve → a person
SUMMARY_MESSAGES = 6
SUMMARY_MESSAGE_CHARS = 200


class Role(StrEnum):
    VISITOR = "visitor"
    BOT = "bot"
    AGENT = "agent"
    SYSTEM = "system"


@dataclass(frozen=True)
class Turn:
    """One message of a chat. ``resolved``: for bot turns, whether the bot answered it."""

    role: str
    text: str
    resolved: bool | None = None

    @classmethod
    def of(cls, item: Turn | Mapping[str, object]) -> Turn:
        """A Turn from itself or from a stored dict ``{"role", "text", "resolved"?}``."""
        if isinstance(item, Turn):
            return item
        resolved = item.get("resolved")
        return cls(
            str(item["role"]), str(item["text"]), None if resolved is None else bool(resolved)
        )


class HandoffReason(StrEnum):
    REQUESTED = "requested"  # the visitor asked for a person
    URGENT = "urgent"  # urgent or emergency triage
    NEGATIVE_SENTIMENT = "negative_sentiment"
    UNRESOLVED = "unresolved"  # MAX_UNRESOLVED_TURNS turns in a row without an answer
    NO_ANSWER = "no_answer"  # the knowledge base has nothing relevant


# --- asking for a person --------------------------------------------------------------------

_PERSON_ZH = re.compile(
    r"人工客服|转人工|找人工|要人工|接人工|人工服务|人工坐席|真人|活人|客服人员|"
    r"(找|叫|要|转|接|换)(个|一个)?(客服|专员)|^(人工|客服)$"
)
_PERSON_EN = re.compile(
    r"\b(real|live|actual)\s+(person|human|agent|people)\b"
    r"|\b(talk|speak|chat)\s+(to|with)\s+(a|an|the|your|some)?\s*"
    r"(human|person|agent|someone|somebody|representative|rep|operator|staff)\b"
    r"|\b(human|person|agent|representative|operator)\s+(please|pls|plz|now)\b"
    r"|\b(need|want|get)\s+(a|an)\s+(human|person|agent|representative)\b"
    r"|^(human|agent|person|representative|operator)$"
)


# The bot's ten other languages (folded: lower case, Arabic alef and yaa forms alike): request
# phrases only, as in English — "agente" or "оператор" alone is too common inside a question.
_PERSON_OTHER = re.compile(
    # es, pt, it: "hablar con una persona", "falar com um atendente", "parlare con un operatore"
    r"\b(hablar|falar|parlare)\s+(con|com)\s+(un|una|um|uma|alguien|alguém|qualcuno)?\s*"
    r"(persona|pessoa|humano|umano|agente|asesor|operador|operatore|atendente|ser humano)\b"
    r"|\b(agente|operador|atendente|operatore)\s+(humano|umano)\b"
    r"|\b(persona|pessoa)\s+(real|reale)\b"
    # fr: "parler à un conseiller", "une vraie personne"
    r"|\bparler\s+(a|à|avec)\s+(un|une|quelqu.un)?\s*(personne|humain|agent|conseiller|"
    r"conseillère|opérateur)\b|\bvraie\s+personne\b|\bconseiller\s+humain\b"
    # de: "mit einem Menschen sprechen", "echter Mensch"
    r"|\bmit\s+(einem|einer)\s+(menschen|person|mitarbeiter|mitarbeiterin|berater)\s+"
    r"(sprechen|reden|verbinden)\b|\becht(er|en)\s+menschen?\b"
    # ru: "соедините с оператором", "живой человек"
    r"|\b(поговорить|связаться|соединить|соедините|свяжите)\s+(меня\s+)?с\s+"
    r"(человеком|оператором|сотрудником|менеджером|консультантом|живым)"
    r"|\bживо(й|го)\s+(человек|оператор)"
    # tr: "müşteri temsilcisiyle görüşmek", "canlı destek", "gerçek bir insan"
    r"|\b(insanla|temsilciyle|temsilcisiyle|yetkiliyle|operatörle)\s+(konuşmak|görüşmek|"
    r"konuşabilir|görüşebilir|bağla)|\bcanlı\s+desteke?\s+(bağla|istiyorum|lütfen)"
    r"|\bgerçek\s+(bir\s+)?insan\b"
    # ar: "أريد التحدث إلى موظف", "شخص حقيقي"
    r"|(التحدث|اتحدث|اكلم|التكلم)\s+(مع|الي)\s+(شخص|موظف|انسان|ممثل|وكيل)"
    r"|(شخص|موظف|انسان)\s+حقيقي"
)
# ja and ko, read without spaces: "オペレーターと話したい", "상담원 연결해 주세요"
_PERSON_JA_KO = re.compile(
    r"(オペレーター|担当者|スタッフ|人間|有人)(と話|に繋|につな|に代わ|をお願い|対応)"
    r"|(상담원|상담사|사람)(과|와|이랑|랑|하고)?(연결|통화|대화|얘기|이야기)"
)


def asks_for_person(text: str) -> bool:
    """The visitor asks for a person ("人工客服", "转人工", "人工", "human", "agent", …), in any
    of the bot's twelve languages.

    Words alone are too common inside real questions ("customs agent", "user agent"), so they
    count as a request only as the whole message or in a request phrase.
    """
    folded = " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())
    unspaced = folded.replace(" ", "")
    return bool(
        _PERSON_ZH.search(unspaced)
        or _PERSON_JA_KO.search(unspaced)
        or _PERSON_EN.search(folded)
        or _PERSON_OTHER.search(folded)
    )


# --- sentiment --------------------------------------------------------------------------------

# Strong words count 2, ordinary complaint words 1; "strongly negative" is a score of 3 or more
# (one strong word plus emphasis, or several complaints at once).
_NEGATIVE_STRONG = (
    "垃圾", "骗子", "骗人", "诈骗", "气死", "滚", "去死", "妈的", "他妈", "操你", "傻逼", "煞笔",
    "sb", "狗屎", "坑人", "太恶心", "无耻", "投诉你们", "曝光你们", "报警",
    "fuck", "fucking", "shit", "scam", "scammers", "bullshit", "disgusting", "worst",
    "pathetic", "furious", "outrageous", "lawyer", "sue",
)  # fmt: skip
_NEGATIVE = (
    "太差", "差劲", "失望", "生气", "愤怒", "无语", "离谱", "什么破", "烂", "坑", "投诉", "受够",
    "忍无可忍", "不满意", "没用", "废物", "搞什么", "太慢", "急死",
    "terrible", "awful", "horrible", "useless", "ridiculous", "unacceptable", "angry", "annoyed",
    "frustrated", "frustrating", "fed up", "joke", "incompetent", "complaint", "hate", "sick of",
)  # fmt: skip
STRONGLY_NEGATIVE = 3


def _count(words: Iterable[str], folded: str) -> int:
    count = 0
    for word in words:
        if word.isascii():
            count += len(re.findall(rf"\b{re.escape(word)}\b", folded))
        else:
            count += folded.count(word)
    return count


def negativity(text: str) -> int:
    """A small bilingual lexicon score: strong words 2, complaints 1, shouting and !!! 1 each."""
    folded = fold(text)
    score = 2 * _count(_NEGATIVE_STRONG, folded) + _count(_NEGATIVE, folded)
    if re.search(r"[!！]{3,}|[?？!！]{4,}", text):
        score += 1
    letters = [c for c in text if c.isascii() and c.isalpha()]
    if len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.7:
        score += 1  # SHOUTING
    return score


def is_strongly_negative(text: str) -> bool:
    return negativity(text) >= STRONGLY_NEGATIVE


# --- vagueness --------------------------------------------------------------------------------


class Vagueness(StrEnum):
    EMPTY = "empty"  # nothing but spaces
    NO_WORDS = "no_words"  # emoji, punctuation, digits only
    GREETING = "greeting"  # hello / 在吗 / help, and nothing else
    NOT_SOLVED = "not_solved"  # "没用" / "still not working", and nothing new
    TOO_SHORT = "too_short"  # a word or two: enough to offer articles, not to answer


_GREETING_ONLY = re.compile(
    r"^(你好|您好|在吗|在不在|有人吗|哈喽|嗨|hi|hello|hey|hallo|help|帮帮我|帮忙|求助|问一下|请问|"
    r"hola|olá|ola|bonjour|salut|ciao|buongiorno|merhaba|gutentag|привет|здравствуйте|"
    r"こんにちは|안녕하세요|مرحبا|السلامعليكم|"
    r"有问题|我有问题|有个问题|咨询|咨询一下|客服|thanks|thank you|谢谢|ok|好的|嗯|哦|\?|？)+$"
)
_NOT_SOLVED = re.compile(
    r"没用|没有用|不行|还是不|没解决|不是这个|答非所问|看不懂|不对|"
    r"\b(not (helpful|working|solved|it|what i)|(didn'?t|did not|doesn'?t|does not) (help|work)|"
    r"still (not|doesn'?t|can'?t|cannot|the same)( work\w*| help\w*)?|wrong answer|useless|"
    r"no help)\b"
)
MIN_CJK_CHARS = 4
MIN_LATIN_WORDS = 2


def says_not_solved(text: str) -> bool:
    """The visitor says the last answer did not help ("没用", "still not working", …)."""
    return bool(_NOT_SOLVED.search(fold(text)))


def _content(text: str) -> tuple[int, int]:
    """(CJK characters, other words) of ``text`` that carry meaning (no stop words)."""
    words = tokens(text)
    return sum(len(w) for w in words if is_cjk(w)), sum(1 for w in words if not is_cjk(w))


def _says_little(text: str) -> bool:
    cjk_chars, latin_words = _content(text)
    return (
        cjk_chars < MIN_CJK_CHARS and latin_words < MIN_LATIN_WORDS and cjk_chars + latin_words < 3
    )


def vagueness(text: str) -> Vagueness | None:
    """Why ``text`` is too vague to answer, or None when it says enough to search."""
    if not text.strip():
        return Vagueness.EMPTY
    if not any(unicodedata.category(c)[0] == "L" for c in text):
        return Vagueness.NO_WORDS
    folded = fold(text)
    if _GREETING_ONLY.match(re.sub(r"[\s,.!¡¿，。！~～、]+", "", folded)):
        return Vagueness.GREETING
    if _NOT_SOLVED.search(folded):
        cjk_chars, latin_words = _content(_NOT_SOLVED.sub(" ", folded))
        if cjk_chars < 2 and not latin_words:  # nothing but "that did not help"
            return Vagueness.NOT_SOLVED
    return Vagueness.TOO_SHORT if _says_little(text) else None


# --- turns and summaries ----------------------------------------------------------------------


def unresolved_streak(conversation: Sequence[Turn], text: str) -> int:
    """Bot turns in a row, most recent first, that did not resolve the visitor's question.

    An answered turn counts as unresolved when the visitor's next message (``text`` for the
    latest) says it did not help; a person's (agent's) message ends the streak.
    """
    streak = 0
    following = text  # what the visitor said after the bot turn being looked at
    for turn in reversed(conversation):
        if turn.role == Role.AGENT:
            break
        if turn.role == Role.VISITOR:
            following = turn.text
        elif turn.role == Role.BOT:
            if turn.resolved and not says_not_solved(following):
                break
            streak += 1
    return streak


def visitor_language(conversation: Sequence[Turn], detect: Callable[[str], str]) -> str | None:
    """The language of the visitor's latest message that had one (``detect`` names it)."""
    for turn in reversed(conversation):
        if turn.role == Role.VISITOR:
            language = detect(turn.text)
            if language != "und":
                return language
    return None


def summary(conversation: Sequence[Turn], text: str) -> str:
    """The visitor's latest messages, one per line, oldest first, each cut to a readable size."""
    said = [t.text for t in conversation if t.role == Role.VISITOR] + [text]
    lines = []
    for message in said[-SUMMARY_MESSAGES:]:
        line = " ".join(message.split())
        if len(line) > SUMMARY_MESSAGE_CHARS:
            line = line[: SUMMARY_MESSAGE_CHARS - 1] + "…"
        if line:
            lines.append(f"- {line}")
    return "\n".join(lines)
