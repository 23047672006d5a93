"""A callback task nobody did by its due time is reported once to who can act on it (the
on-duty lead of the ticket's team), in their language; a task done in time is not."""

from datetime import datetime

import pytest
from django.utils import translation

from kefu.intake.phone import actions, sweep
from kefu.intake.phone.defaults import install_hotline
from kefu.intake.phone.models import CallbackTask, IvrOption
from kefu.intake.phone.tests.conftest import SHANGHAI
from kefu.notifications.models import Kind, Notification
from kefu.notifications.texts import notification_text


def _voicemail(line, sid: str) -> CallbackTask:  # type: ignore[no-untyped-def]
    call = actions.start_call(line=line, call_sid=sid, from_number="+8613800138000",
                              to_number=line.number)  # fmt: skip
    choice = IvrOption.objects.get(menu=line.menu, key="2")
    actions.note_choice(call=call, menu=line.menu, choice=choice)
    actions.open_ticket_for_call(call=call)
    return actions.start_voicemail(call=call, reason=CallbackTask.Reason.VOICEMAIL)


@pytest.mark.django_db
def test_overdue_callback_is_reported_once_to_the_lead(personas, frozen):
    personas.otto.phone = "+8613800138000"
    personas.otto.save(update_fields=["phone"])
    frozen.set(datetime(2026, 11, 23, 20, 0, tzinfo=SHANGHAI))  # Monday evening: closed
    line = install_hotline(code="merchant", kind="merchant", name="商家热线",
                           number="+864008001234", secret="s")  # fmt: skip
    late = _voicemail(line, "CA" + "1" * 32)
    done = _voicemail(line, "CA" + "2" * 32)
    assert late.due_at == datetime(2026, 11, 24, 11, 0, tzinfo=SHANGHAI)
    actions.complete_callback(task=done, agent=personas.alice.agent)

    assert sweep.sweep(datetime(2026, 11, 24, 10, 59, tzinfo=SHANGHAI)) == 0
    assert sweep.next_due() == late.due_at
    assert sweep.sweep(datetime(2026, 11, 24, 11, 1, tzinfo=SHANGHAI)) == 1
    assert sweep.sweep(datetime(2026, 11, 24, 11, 2, tzinfo=SHANGHAI)) == 0
    assert sweep.next_due() is None

    told = Notification.objects.get(kind=Kind.SLA_BREACH)
    assert told.recipient == personas.lena and told.ticket == late.ticket
    with translation.override("zh-hans"):
        assert "回电" in notification_text(told) and late.ticket.number in notification_text(told)
    with translation.override("en"):
        assert "the callback was due at 2026-11-24 11:00" in notification_text(told)
