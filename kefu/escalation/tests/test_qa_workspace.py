"""Must show 4: QA's whole flow without admin rights — an unsatisfied rating and a complaint
mail naming A1024 open reviews due in 2 and 3 working days; QA scores them on the rubric with
feedback; the agent sees the result, and may appeal once."""

from datetime import datetime
from email.message import EmailMessage

import pytest

from kefu.accounts.actions import create_agent
from kefu.escalation import qa
from kefu.escalation.models import QaReview
from kefu.intake.chat import service
from kefu.intake.email.inbound import deliver
from kefu.intake.models import ChatSession
from kefu.testing import PASSWORD, authenticated, make_ticket, session_client

from .conftest import SHANGHAI

SCORES = {"greeting": 8, "accuracy": 20, "resolution": 20, "tone": 12, "compliance": 25}


def post(client, url, data):  # type: ignore[no-untyped-def]
    if "csrftoken" not in client.cookies:
        client.get("/desk/qa/")
    return client.post(url, data, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)


def complaint_mail(text: str) -> bytes:
    mail = EmailMessage()
    mail["From"], mail["To"] = "anna@acme.test", "complaint@kefu.example"
    mail["Subject"], mail["Message-ID"] = "【投诉】- Acme - 客服态度", "<c1@acme.test>"
    mail["Date"] = "Mon, 23 Nov 2026 10:00:00 +0800"
    mail.set_content(text)
    return mail.as_bytes()


@pytest.mark.django_db
def test_qa_reviews_from_rating_and_complaint_mail_to_the_agents_answer(personas, frozen, mail_dns):
    zhang = create_agent(email="agent@example.com", code="A1024", password=PASSWORD,
                         teams=[personas.orders], language="zh-hans")  # fmt: skip
    qa_user = create_agent(email="qa@example.com", code="Q1001", password=PASSWORD,
                           role="qa", language="en").user  # fmt: skip
    assert not qa_user.is_staff
    # Friday 16:00: the weekend does not count.
    frozen.set(datetime(2026, 11, 27, 16, tzinfo=SHANGHAI))
    chat_ticket = make_ticket(personas.anna, channel="chat")
    session = ChatSession.objects.create(token="t1", ticket=chat_ticket, agent=zhang)
    service.rate(session, "unsatisfied", "rude")
    rated = QaReview.objects.get(source="rating")
    assert rated.due_at == datetime(2026, 12, 1, 16, tzinfo=SHANGHAI)

    raw = authenticated(complaint_mail("工号 A1024 态度很差，A9999 不存在。"), mail_dns)
    result = deliver(raw, "complaint")
    mailed = QaReview.objects.get(source="complaint_mail")
    assert (mailed.ticket, mailed.agent) == (result.ticket, zhang)
    assert mailed.due_at == datetime(2026, 12, 2, 16, tzinfo=SHANGHAI)

    reviewer = session_client(qa_user)
    queue = reviewer.get("/desk/qa/").content.decode()
    assert rated.ticket.number in queue and mailed.ticket.number in queue
    bad = post(reviewer, f"/desk/qa/{rated.pk}/act", {"action": "score", "score_tone": "99"})
    assert bad.status_code == 302 and QaReview.objects.get(pk=rated.pk).state == "open"
    form = {f"score_{k}": v for k, v in SCORES.items()}
    post(reviewer, f"/desk/qa/{rated.pk}/act", {"action": "score", **form,
                  "outcome": "Coached", "feedback": "Greet the customer first."})  # fmt: skip
    rated.refresh_from_db()
    assert (rated.state, rated.score, rated.reviewer.code) == ("done", 85.0, "Q1001")

    agent = session_client(zhang.user)
    mine = agent.get(f"/desk/qa/{rated.pk}/").content.decode()
    assert "85.0%" in mine and "Greet the customer first." in mine
    assert agent.get(f"/desk/qa/{mailed.pk}/").status_code == 404  # not scored yet
    post(agent, f"/desk/qa/{rated.pk}/act", {"action": "appeal", "reason": "He was rude first."})
    post(agent, f"/desk/qa/{rated.pk}/act", {"action": "appeal", "reason": "Again."})
    rated.refresh_from_db()
    assert (rated.appeal_state, rated.appeal_reason) == ("open", "He was rude first.")

    post(reviewer, f"/desk/qa/{rated.pk}/act", {"action": "overturn", **form, "score_tone": "15",
                  "answer": "Agreed, tone was fine."})  # fmt: skip
    rated.refresh_from_db()
    assert (rated.appeal_state, rated.score) == ("overturned", 88.0)
    assert personas.alice.notifications.count() == 0
    assert zhang.user.notifications.filter(kind="qa_result").count() == 2


@pytest.mark.django_db
def test_the_weekly_sample_draws_per_agent_from_last_weeks_closed_tickets(personas, frozen):
    from kefu.escalation.models import QaSettings
    from kefu.testing import assigned_ticket
    from kefu.tickets import actions

    QaSettings.objects.create(sample_per_agent=1)
    for _ in range(3):
        ticket = assigned_ticket(personas)
        actions.change_status(ticket=ticket, actor=personas.viewer(personas.alice),
                              status="resolved")  # fmt: skip
    opened = qa.sample_week(now=datetime(2026, 11, 30, 9, tzinfo=SHANGHAI))
    assert [(r.agent, r.source) for r in opened] == [(personas.alice.agent, "sample")]
    assert qa.sample_week(now=datetime(2026, 12, 7, 9, tzinfo=SHANGHAI)) == []
