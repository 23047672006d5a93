"""Bearer tokens are read at most once a second per process (``accounts.token_cache``, issue
#18): a token revoked, or its user deactivated, by another process — an UPDATE no signal of this
process sees — is refused once the read is a second old; a revocation or an edit made in this
process is refused at once; each caller gets its own copy of the cached rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kefu.accounts import token_cache
from kefu.accounts.actions import create_api_token, revoke_api_token, token_digest
from kefu.accounts.models import ApiToken, User
from kefu.accounts.queries import live_token

USER = (ApiToken.Purpose.USER,)


@pytest.fixture
def clock(settings, monkeypatch):  # type: ignore[no-untyped-def]
    """The cache on (tests read afresh by default) and its clock in our hands."""
    settings.TESTING = False
    token_cache.forget()
    now = [1000.0]
    monkeypatch.setattr(token_cache.time, "monotonic", lambda: now[0])
    yield now
    token_cache.forget()


def _read_once(personas) -> tuple[str, ApiToken]:  # type: ignore[no-untyped-def]
    """Anna's new token, read once (so now in the cache)."""
    token = create_api_token(user=personas.anna, name="erp")
    found = live_token(token, purposes=USER)
    assert found is not None
    return token, found


@pytest.mark.django_db
def test_a_token_revoked_elsewhere_is_refused_within_a_second(personas, clock):
    token, _found = _read_once(personas)
    ApiToken.objects.filter(digest=token_digest(token)).update(revoked_at=timezone.now())

    clock[0] += 0.5
    with CaptureQueriesContext(connection) as reads:
        assert live_token(token, purposes=USER) is not None  # the read of half a second ago
    assert len(reads) == 0
    clock[0] += 0.6
    assert live_token(token, purposes=USER) is None  # over a second: read again, refused


@pytest.mark.django_db
def test_a_user_deactivated_elsewhere_is_refused_within_a_second(personas, clock):
    token, _found = _read_once(personas)
    User.objects.filter(pk=personas.anna.pk).update(is_active=False)
    clock[0] += 1.1
    assert live_token(token, purposes=USER) is None


@pytest.mark.django_db
def test_a_revocation_in_this_process_is_refused_at_once(personas, clock):
    token, found = _read_once(personas)
    revoke_api_token(token=found)
    assert live_token(token, purposes=USER) is None


@pytest.mark.django_db
def test_each_caller_gets_its_own_copy_and_the_purpose_still_counts(personas, clock):
    token, first = _read_once(personas)
    first.user.name = "changed by one request"
    second = live_token(token, purposes=USER)
    assert second is not None and second.user.name == "Anna"
    assert second.user.account.organization == personas.acme  # the profiles come along
    assert live_token(token, purposes=(ApiToken.Purpose.INTEGRATION,)) is None


@pytest.mark.django_db
def test_last_use_is_written_once_a_minute_not_on_every_call(personas, clock):
    client_token = create_api_token(user=personas.anna, name="erp")
    client = Client(headers={"Authorization": f"Bearer {client_token}"})
    assert client.get("/api/v1/tickets").status_code == 200
    with CaptureQueriesContext(connection) as calls:
        assert client.get("/api/v1/tickets").status_code == 200
    writes = [q["sql"] for q in calls.captured_queries if "accounts_apitoken" in q["sql"]]
    assert writes == []  # neither the token read nor its last_used_at again
    assert ApiToken.objects.get(digest=token_digest(client_token)).last_used_at is not None
