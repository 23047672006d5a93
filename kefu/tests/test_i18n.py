"""Both catalogues are complete, and the placeholders of every translation match. The ten
catalogues of the chat widget and the bot (es, ru, pt, fr, ar, ko, ja, de, it, tr) translate
every widget and bot message."""

import io
import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.extract import extract_python
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[1] / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)(?:\.\d+)?[sdf]|\{\w*\}")
WIDGET_AND_BOT_LANGUAGES = ["es", "ru", "pt", "fr", "ar", "ko", "ja", "de", "it", "tr"]


def _catalogue(lang: str):
    with (LOCALE / lang / "LC_MESSAGES" / "django.po").open("rb") as po:
        return [m for m in read_po(po) if m.id]


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_every_message_is_translated_and_none_is_fuzzy(lang):
    messages = _catalogue(lang)
    assert messages
    untranslated = [
        m.id for m in messages if not (m.string if isinstance(m.string, str) else all(m.string))
    ]
    assert untranslated == []
    assert [m.id for m in messages if m.fuzzy] == []


def test_chinese_translations_keep_their_placeholders():
    for message in _catalogue("zh_Hans"):
        source = message.id if isinstance(message.id, str) else message.id[0]
        target = message.string if isinstance(message.string, str) else message.string[0]
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(target)), source


def test_chinese_is_really_chinese():
    han = re.compile(r"[\u4e00-\u9fff]")
    translated = [m for m in _catalogue("zh_Hans") if re.search("[A-Za-z]{3}", str(m.id))]
    without_han = [m.id for m in translated if not han.search(str(m.string))]
    assert len(without_han) <= len(translated) * 0.02, without_han  # brand names, "API"…


@pytest.mark.django_db
def test_pages_switch_language(client):
    assert (
        "登录客服中心"
        in client.get("/login/", headers={"Accept-Language": "zh-CN"}).content.decode()
    )
    assert "Sign in to the support centre" in client.get("/login/").content.decode()


GETTEXT_CALLS = [
    "gettext", "gettext_lazy", "gettext_noop", "_",
    "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy",
]  # fmt: skip


def _source_messages() -> set[tuple[str, str]]:
    """Every msgid the code and templates ask for, with the file asking (tests and migrations
    aside): Python read by Babel's extractor, templates first turned into Python by Django's
    ``templatize``, as ``makemessages`` does."""
    from django.utils.translation.template import templatize

    found = set()
    for path in LOCALE.parent.rglob("*"):
        if {"tests", "migrations"} & set(path.parts):
            continue
        if path.suffix == ".py":
            source = path.read_text()
        elif path.suffix in (".html", ".txt") and "templates" in path.parts:
            source = templatize(path.read_text(), origin=str(path))
        else:
            continue
        for _line, call, message, _comments in extract_python(
            io.BytesIO(source.encode()), GETTEXT_CALLS, [], {}
        ):
            if isinstance(message, tuple):  # (singular, plural) or (context, message, …)
                message = message[1] if call.startswith(("pgettext", "npgettext")) else message[0]
            if message:
                found.add((message, str(path.relative_to(LOCALE.parent))))
    return found


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_every_message_the_code_asks_for_is_in_the_catalogue(lang):
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalogue(lang)}
    assert sorted((m, f) for m, f in _source_messages() if m not in known) == []


ENTRY = re.compile(r'^(?:msgctxt (".*")\n)?msgid (".*"(?:\n".*")*)\n(?:msgid_plural|msgstr)', re.M)


@pytest.mark.parametrize("lang", ["zh_Hans", "en", *WIDGET_AND_BOT_LANGUAGES])
def test_no_message_is_in_a_catalogue_twice(lang):
    """Branches append to the catalogues and merge as a union: a string two of them added would
    be there twice, one translation silently winning (and GNU msgfmt refusing the file)."""
    text = (LOCALE / lang / "LC_MESSAGES" / "django.po").read_text()
    keys = Counter(ENTRY.findall(text))
    assert [key for key, n in keys.items() if n > 1] == []


def _widget_and_bot_messages() -> set[str]:
    """The widget's strings and every message of the bot (kefu/knowledge/bot.py)."""
    from django.utils import translation

    from kefu.intake.chat.views import WIDGET_STRINGS

    bot = (LOCALE.parent / "knowledge" / "bot.py").read_bytes()
    found = {str(message) for *_ignored, message, _comments in extract_python(
        io.BytesIO(bot), GETTEXT_CALLS, [], {}
    )}  # fmt: skip
    with translation.override(None):  # no catalogue: each lazy string is its msgid
        return found | {str(text) for text in WIDGET_STRINGS.values()}


@pytest.mark.parametrize("lang", WIDGET_AND_BOT_LANGUAGES)
def test_each_widget_and_bot_catalogue_translates_every_widget_and_bot_message(lang):
    messages = {str(m.id): m for m in _catalogue(lang)}
    assert sorted(_widget_and_bot_messages() - set(messages)) == []
    assert set(messages) == {str(m.id) for m in _catalogue("es")}  # the ten hold the same
    for msgid, message in messages.items():
        assert message.string and not message.fuzzy, msgid
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(message.string))


@pytest.mark.parametrize("lang", WIDGET_AND_BOT_LANGUAGES)
def test_widget_and_bot_catalogues_are_compiled_and_used(lang):
    from django.utils import translation

    expected = {str(m.id): m.string for m in _catalogue(lang)}["Talk to a person"]
    with translation.override(lang):
        assert translation.gettext("Talk to a person") == expected
