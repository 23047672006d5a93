"""Escalation paths are read once per process and forgotten when an admin edits them."""

import pytest

from kefu.escalation import queries
from kefu.testing import make_ticket


@pytest.mark.django_db
def test_paths_are_cached_until_a_path_is_saved(personas, settings, django_assert_num_queries):
    settings.TESTING = False  # the cache is off in tests unless asked for
    ticket = make_ticket(personas.anna, category="shipment_logistics")
    queries._paths.forget()
    path = queries.path_for(ticket)
    assert path is not None and path.category_id == ticket.category_id
    with django_assert_num_queries(0):
        assert queries.path_for(ticket) == path
    path.is_active = False
    path.save()  # forgets the cache: the default path answers now
    fallback = queries.path_for(ticket)
    assert fallback is not None and fallback.category_id is None
