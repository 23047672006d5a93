"""Must show 6: every audited action writes one entry, and the log cannot be edited or deleted
through the admin or the API (nor through the model)."""

import pytest
from django.test import Client

from kefu.accounts.actions import create_api_token, revoke_api_token, set_account_scopes
from kefu.accounts.models import ApiToken
from kefu.audit.models import AppendOnly, AuditEntry
from kefu.testing import PASSWORD, api_client


def kinds() -> list[str]:
    return list(AuditEntry.objects.order_by("id").values_list("kind", flat=True))


def csrf_post(client: Client, url: str, data: dict) -> None:  # type: ignore[type-arg]
    client.get(url if "change" in url or "delete" in url else "/admin/")
    client.post(url, data, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)


@pytest.mark.django_db
def test_sign_ins_and_failures_are_logged_without_the_address(personas):
    client = Client()
    client.post("/login/", {"username": "alice@kefu.test", "password": "wrong"})
    client.post("/login/", {"username": "nobody@else.test", "password": "wrong"})
    client.post("/login/", {"username": "alice@kefu.test", "password": PASSWORD})
    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.kind for e in entries] == ["sign_in_failed", "sign_in_failed", "sign_in"]
    assert entries[0].actor_label == entries[2].actor_label == "A0001"
    assert entries[1].detail == {"attempted": "no***@else.test"}
    assert entries[2].address == "127.0.0.1"


@pytest.mark.django_db
def test_tokens_scopes_exports_and_admin_edits_are_logged(personas):
    before = AuditEntry.objects.count()
    create_api_token(user=personas.anna, name="erp")
    revoke_api_token(token=ApiToken.objects.get(name="erp"))
    set_account_scopes(account=personas.sam.account, scopes=["create_tickets"])
    assert kinds()[before:] == ["token_created", "token_revoked", "permission_changed"]

    admin = Client()
    admin.force_login(personas.ada)
    csrf_post(admin, f"/admin/accounts/agent/{personas.bob.agent.pk}/change/",
              {"user": personas.bob.pk, "code": "A0002", "role": "lead", "teams": [personas.billing.pk],
               "languages": '["zh"]', "skills": "[]", "shift_calendar": "cn-standard",
               "status": "offline", "max_chats": 3})  # fmt: skip
    csrf_post(
        admin,
        "/admin/archive/retentionrule/add/",
        {"kind": "raw_mail", "action": "purge", "after_days": 365},
    )
    admin.get("/desk/audit/export?format=xlsx")
    tail = list(AuditEntry.objects.order_by("id"))[-3:]
    assert [e.kind for e in tail] == ["permission_changed", "admin_edit", "export"]
    assert tail[0].target.startswith("accounts.agent:") and "bob" not in tail[0].target.lower()
    assert tail[1].actor_label == "ADM01"


@pytest.mark.django_db
def test_the_log_cannot_be_changed_or_deleted(personas):
    create_api_token(user=personas.anna, name="erp")
    entry = AuditEntry.objects.latest("id")
    admin = Client()
    admin.force_login(personas.ada)
    assert admin.get(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    admin.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"target": "x"})
    assert "action-select" not in admin.get("/admin/audit/auditentry/").content.decode()
    api = api_client(personas.ada)
    assert api.get("/api/v1/audit").status_code == 200
    assert api.delete(f"/api/v1/audit/{entry.pk}").status_code in (404, 405)
    assert api.patch(f"/api/v1/audit/{entry.pk}", {}).status_code in (404, 405)
    assert api_client(personas.lena).get("/api/v1/audit").status_code == 403
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(target="x")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).target == entry.target
