"""The reports' CSAT reads each ticket's latest ``rated`` event: ticket ratings (and their
changes) count exactly like chat ratings, with no change to the reports."""

import pytest

from kefu.ratings import actions
from kefu.ratings.models import Rating
from kefu.reports import rollup
from kefu.reports.figures import cohort_figures
from kefu.reports.models import DailyBucket, TicketFact

from .conftest import resolve


@pytest.mark.django_db
def test_a_ticket_rating_and_its_change_reach_the_csat_figures(personas):
    rated, unrated = resolve(personas), resolve(personas)
    anna = personas.viewer(personas.anna)
    actions.rate_ticket(ticket=rated, actor=anna, score="neutral", via=Rating.Via.API)
    rollup.refresh([rated.pk, unrated.pk])
    assert TicketFact.objects.get(ticket_id=rated.pk).rating == "neutral"
    actions.rate_ticket(ticket=rated, actor=anna, score="satisfied", via=Rating.Via.PORTAL)
    rollup.refresh([rated.pk, unrated.pk])
    csat = cohort_figures(TicketFact.objects.all(), DailyBucket.objects.all())["csat"]
    assert (csat["ratings"], csat["satisfied"], csat["response_rate"]) == (1, 1.0, 0.5)
