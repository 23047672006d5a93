import os
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kefu.accounts.models import Agent
from kefu.intake.phone.defaults import install_hotline
from kefu.intake.phone.models import PhoneLine
from kefu.intake.phone.tests.fake_platform import FakeTelephony
from kefu.sla.testing import FrozenClock
from kefu.testing import Personas

# The fake platform calls Kefu on 127.0.0.1 (pytest-django's live server says "localhost").
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

SHANGHAI = ZoneInfo("Asia/Shanghai")
SECRET = "line-secret-7f3a"
NUMBER = "+864008001234"
# Otto (Orbit Merchants' main account) registered this mobile in his profile.
OTTO_MOBILE = "+8613800138000"
LENA_MOBILE = "+8613900139000"


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    """Monday 23 November 2026, 10:00 in Shanghai: a working day, the line is open."""
    return FrozenClock(monkeypatch, datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI))


@pytest.fixture
def hotline(personas: Personas, settings, live_server) -> PhoneLine:  # type: ignore[no-untyped-def]
    """The merchant hotline with the charter's menus, called at the live server's address;
    Alice takes orders, Bob payments, both online; Lena leads the orders team."""
    settings.KEFU_VOICE_PUBLIC_URL = live_server.url
    personas.otto.phone = "+86 138 0013 8000"
    personas.otto.save(update_fields=["phone"])
    personas.lena.phone = LENA_MOBILE
    personas.lena.save(update_fields=["phone"])
    for user, skills in ((personas.alice, ["orders"]), (personas.bob, ["payments"])):
        Agent.objects.filter(user=user).update(skills=skills, status=Agent.Status.ONLINE)
    return install_hotline(code="merchant", kind="merchant", name="商家热线", number=NUMBER,
                           secret=SECRET)  # fmt: skip


@pytest.fixture
def call_from(live_server, hotline: PhoneLine) -> Callable[..., FakeTelephony]:  # type: ignore[no-untyped-def]
    def make(caller: str, call_sid: str = "CA" + "1" * 32) -> FakeTelephony:
        return FakeTelephony(live_server.url, hotline.code, SECRET, caller=caller,
                             number=NUMBER, call_sid=call_sid)  # fmt: skip

    return make
