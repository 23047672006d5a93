"""Tickets resolved before the upgrade get a resolution window whose timers start at the
upgrade, so they too close by themselves, without a burst of mail for old resolutions."""

import importlib
from datetime import datetime

import pytest
from django.apps import apps

from kefu.ratings.models import Resolution
from kefu.testing import make_ticket

from .conftest import SHANGHAI, resolve

upgrade = importlib.import_module("kefu.ratings.migrations.0002_windows_for_resolved_tickets")


@pytest.mark.django_db
def test_resolved_tickets_get_a_window_from_the_upgrade(personas, frozen):
    old = resolve(personas)
    still_open = make_ticket(personas.anna)
    Resolution.objects.all().delete()  # as before this release
    frozen.set(datetime(2026, 12, 4, 16, tzinfo=SHANGHAI))  # the upgrade, a Friday
    upgrade.open_windows(apps, None)
    window = Resolution.objects.get()
    assert (window.ticket_id, window.resolved_at) == (old.pk, old.resolved_at)
    assert window.remind_at == datetime(2026, 12, 8, 16, tzinfo=SHANGHAI)
    assert window.close_at == datetime(2026, 12, 9, 16, tzinfo=SHANGHAI)
    upgrade.open_windows(apps, None)  # run twice: still one window
    assert Resolution.objects.count() == 1 and not still_open.resolutions.exists()
