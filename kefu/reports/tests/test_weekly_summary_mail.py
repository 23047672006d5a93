"""Each lead gets last week's figures for their teams by mail on Monday morning (Asia/Shanghai),
in their language, through the outbox and a real SMTP conversation; once a week, not twice."""

from datetime import datetime

import pytest

from kefu.delivery import outbox
from kefu.delivery.tests.test_email_smtp import (  # noqa: F401 (smtp is a fixture)
    parts,
    smtp,
)
from kefu.reports import rollup, weekly
from kefu.reports.models import ReportSettings
from kefu.testing import make_ticket
from kefu.tickets import actions

from .conftest import SHANGHAI


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.django_db
def test_leads_get_last_weeks_figures_on_monday_morning(personas, frozen, smtp):  # noqa: F811
    frozen.set(at(10, 13, 10))  # Tuesday in the week of 12–18 October
    ticket = make_ticket(personas.anna)  # the orders team, which Lena leads
    frozen.set(at(10, 13, 10, 2))
    actions.add_message(ticket=ticket, actor=personas.viewer(personas.alice), body="On its way")
    actions.record_event(ticket, personas.viewer(personas.anna), "nudged")
    while rollup.sweep(frozen.now):
        pass
    personas.lena.language = "zh-hans"
    personas.lena.save(update_fields=["language"])

    frozen.set(at(10, 15, 12))
    assert weekly.sweep(frozen.now) == 0  # the first turn only schedules the next Monday
    assert ReportSettings.current().next_weekly_at == at(10, 19, 9)
    frozen.set(at(10, 19, 9, 1))
    sent = weekly.sweep(frozen.now)
    assert sent >= 1 and weekly.sweep(frozen.now) == 0
    assert ReportSettings.current().next_weekly_at == at(10, 26, 9)
    outbox.send_due(frozen.now)

    [mail] = [smtp.parsed(i) for i in range(len(smtp.received))
              if "lena@kefu.test" in smtp.received[i][1]]  # fmt: skip
    assert mail["Subject"].strip() == "客服周报 2026-10-12 至 2026-10-18"
    text = parts(mail)["text/plain"]
    assert "新建工单: 1 (" in text
    # Seconds read as durations, rates as percentages and counts per 100 tickets as numbers,
    # as on the dashboard.
    assert "首次响应中位数（工作时间秒）: 2.0 分钟 (" in text
    assert "24 小时内解决: 0.0% (" in text
    assert "每百单催办数: 100.0 (" in text
