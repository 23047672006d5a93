"""Admins edit macros in the Django admin too, under the same rules: unknown placeholders and
a team macro without its team are refused; the usage count is read-only there."""

import pytest
from django.test import Client

from kefu.macros.models import Macro

FIELDS = {"title_zh": "退款进度", "title_en": "Refund status", "text_zh": "{{customer.name}}您好",
          "text_en": "Hello {{customer.name}}", "is_active": "on", "scope": "global",
          "set_status": "", "set_priority": "", "add_tags": '["refund"]', "note": ""}  # fmt: skip


def _admin(personas) -> Client:
    client = Client()
    client.force_login(personas.ada)
    client.get("/admin/")
    return client


def _post(client: Client, data: dict):
    return client.post("/admin/macros/macro/add/", data,
                       HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)  # fmt: skip


@pytest.mark.django_db
def test_an_admin_adds_a_macro_and_sees_its_usage(personas):
    client = _admin(personas)
    assert _post(client, FIELDS).status_code == 302
    macro = Macro.objects.get(title_en="Refund status")
    assert (macro.scope, macro.add_tags) == ("global", ["refund"])
    page = client.get(f"/admin/macros/macro/{macro.pk}/change/").content.decode()
    assert 'name="usage_count"' not in page  # counted by use, not typed in


@pytest.mark.django_db
def test_the_admin_refuses_what_the_desk_refuses(personas):
    client = _admin(personas)
    page = _post(client, {**FIELDS, "text_en": "{{ settings.SECRET_KEY }}"}).content.decode()
    assert "Unknown placeholder" in page
    page = _post(client, {**FIELDS, "scope": "team"}).content.decode()
    assert "Choose the team" in page
    assert not Macro.objects.filter(title_en="Refund status").exists()
