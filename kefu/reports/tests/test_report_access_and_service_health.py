"""Who sees reports (leads for their teams, QA and admins everywhere, agents not at all), bad
parameters are 422 naming the field, and the service health is public only when switched on."""

import pytest
from django.test import Client
from django.utils import timezone

from kefu.reports import rollup
from kefu.reports.models import ReportSettings
from kefu.testing import api_client, make_ticket, session_client
from kefu.tickets.models import Team


@pytest.mark.django_db
def test_leads_see_their_teams_and_agents_see_no_reports(personas):
    make_ticket(personas.anna)  # routed to the orders team
    make_ticket(personas.anna, category="payment_billing")
    rollup.sweep(timezone.now())
    assert Team.objects.filter(tickets__isnull=False).count() == 2
    lead = api_client(personas.lena).get("/api/v1/reports/summary").json()
    admin = api_client(personas.ada).get("/api/v1/reports/summary").json()
    assert (lead["tickets_created"], admin["tickets_created"]) == (1, 2)
    assert api_client(personas.quinn).get("/api/v1/reports/summary").json()["tickets_created"] == 2
    assert api_client(personas.alice).get("/api/v1/reports/summary").status_code == 403
    assert session_client(personas.alice).get("/desk/reports/").status_code == 404
    assert session_client(personas.lena).get("/desk/reports/").status_code == 200
    bad = api_client(personas.ada, **{"Accept-Language": "zh-hans"}).get(
        "/api/v1/reports/summary?from=2026-02-30&team=nope"
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "from"
    assert "YYYY-MM-DD" in bad.json()["detail"][0]["msg"]
    unknown = api_client(personas.ada).get("/api/v1/reports/summary?team=nope")
    assert (unknown.status_code, unknown.json()["detail"][0]["field"]) == (422, "team")
    page = session_client(personas.lena).get("/desk/reports/?from=2026-13-01")
    assert page.status_code == 422
    csv = session_client(personas.ada).get("/desk/reports/export?format=csv").content.decode()
    assert "Tickets created,2," in csv


@pytest.mark.django_db
def test_service_health_is_public_only_when_switched_on(personas):
    make_ticket(personas.anna)
    rollup.sweep(timezone.now())
    month = f"{timezone.localdate():%Y-%m}"
    anonymous = Client()
    assert anonymous.get(f"/api/v1/reports/service-health?month={month}").status_code == 404
    assert anonymous.get("/service-health/").status_code == 404
    ReportSettings.objects.update_or_create(defaults={"service_health_public": True})
    found = anonymous.get(f"/api/v1/reports/service-health?month={month}").json()
    assert (found["month"], found["tickets"]) == (month, 1)
    assert anonymous.get("/service-health/").status_code == 200
    wrong = anonymous.get("/api/v1/reports/service-health?month=2026-13")
    assert (wrong.status_code, wrong.json()["detail"][0]["field"]) == (422, "month")
