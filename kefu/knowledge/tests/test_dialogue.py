"""What the bot reads in a conversation: requests for a person, sentiment, vagueness, streaks
of unresolved turns, summaries (pure)."""

import pytest

from kefu.knowledge.dialogue import (
    Role,
    Turn,
    Vagueness,
    asks_for_person,
    is_strongly_negative,
    negativity,
    summary,
    unresolved_streak,
    vagueness,
)


@pytest.mark.parametrize(
    ("text", "asks"),
    [("人工客服", True), ("转人工！", True), ("人工", True), ("找个客服", True), ("human", True),
     ("AGENT", True), ("real person please", True), ("let me talk to a human", True),
     ("I need a representative", True), ("人工智能", False), ("customs agent", False),
     ("the user agent string of my browser", False), ("human error in the invoice", False)],
)  # fmt: skip
def test_asks_for_person(text, asks):
    assert asks_for_person(text) is asks


def test_negativity_counts_strong_words_complaints_and_shouting():
    assert negativity("谢谢") == 0
    assert negativity("有点失望") == 1
    assert negativity("垃圾平台") == 2
    assert is_strongly_negative("垃圾平台！！！")
    assert is_strongly_negative("THIS IS RIDICULOUS AND UNACCEPTABLE")
    assert not is_strongly_negative("the delivery was terrible, where is my parcel")


@pytest.mark.parametrize(
    ("text", "vague"),
    [("", Vagueness.EMPTY), ("😀👍", Vagueness.NO_WORDS), ("123", Vagueness.NO_WORDS),
     ("你好！", Vagueness.GREETING), ("hello?", Vagueness.GREETING), ("在吗", Vagueness.GREETING),
     ("没用", Vagueness.NOT_SOLVED), ("still not working", Vagueness.NOT_SOLVED),
     ("退款", Vagueness.TOO_SHORT), ("refund", Vagueness.TOO_SHORT),
     ("我要退款", None), ("card declined", None), ("付款不行", None),
     ("still not working, my card is declined", None)],
)  # fmt: skip
def test_vagueness(text, vague):
    assert vagueness(text) == vague


def test_unresolved_streak():
    bot_no, bot_yes = Turn(Role.BOT, "?", False), Turn(Role.BOT, "!", True)
    visitor = Turn(Role.VISITOR, "q")
    assert unresolved_streak([], "hi") == 0
    assert unresolved_streak([visitor, bot_no, visitor, bot_no], "hi") == 2
    assert unresolved_streak([bot_no, bot_yes, visitor, bot_no], "hi") == 1
    assert unresolved_streak([bot_no, bot_yes], "没用") == 2  # the answer did not help
    assert unresolved_streak([bot_no, Turn(Role.AGENT, "hi"), bot_no], "hi") == 1


def test_turns_from_dicts():
    assert Turn.of({"role": "bot", "text": "x", "resolved": 0}) == Turn("bot", "x", False)
    assert Turn.of({"role": "visitor", "text": "y"}).resolved is None


def test_summary_lists_the_visitors_latest_messages():
    conversation = [Turn(Role.VISITOR, f"message {i}") for i in range(8)]
    conversation.insert(3, Turn(Role.BOT, "bot text"))
    lines = summary(conversation, "x" * 500).splitlines()
    assert len(lines) == 6 and lines[0] == "- message 3"
    assert lines[-1].endswith("…") and len(lines[-1]) <= 202
    assert "bot text" not in "".join(lines)
