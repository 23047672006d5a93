"""``/api/v1/store-contacts``: a bad phone, email or WeChat id is a 422 naming the field, in the
caller's language; another organisation's contact is a 404; staff name the organisation."""

from __future__ import annotations

import json

import pytest

from kefu.contacts.models import StoreContact
from kefu.testing import api_client

GOOD = {
    "store": "Acme JD store",
    "name": "Li Na",
    "role": "finance",
    "phone": "021-5555 1234",
    "email": "li.na@acme.test",
}


def _post(client, body):
    return client.post("/api/v1/store-contacts", json.dumps(body), content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "language", "says"),
    [
        ("phone", "12-34", "en", "Enter a phone number of 6 to 20 digits"),
        ("phone", "138 0013 8000 转 12", "zh-CN", "请填写 6 至 20 位数字的电话号码"),
        ("email", "li.na@", "en", "Enter a valid email address"),
        ("email", "li.na at acme", "zh-CN", "请填写有效的电子邮箱地址"),
        ("wechat", "1abc", "en", "A WeChat id has 6 to 20 letters"),
        ("wechat", "李娜", "zh-CN", "微信号为 6 至 20 位字母、数字、_ 或 -"),
    ],
)
def test_a_bad_contact_way_is_a_422_naming_the_field(personas, field, value, language, says):
    client = api_client(personas.anna, **{"Accept-Language": language})
    answer = _post(client, {**GOOD, field: value})
    assert answer.status_code == 422
    problem = answer.json()["detail"][0]
    assert problem["field"] == field and says in problem["msg"]
    assert not StoreContact.objects.exists()


@pytest.mark.django_db
def test_a_contact_without_any_way_to_reach_them_is_refused(personas):
    answer = _post(api_client(personas.anna), {**GOOD, "phone": "", "email": ""})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == "phone"


@pytest.mark.django_db
def test_the_main_account_adds_changes_and_removes_through_the_api(personas):
    client = api_client(personas.anna)
    created = _post(client, GOOD)
    assert created.status_code == 201 and created.json()["organization"] == "acme"
    contact_id = created.json()["id"]
    changed = client.put(
        f"/api/v1/store-contacts/{contact_id}",
        json.dumps({**GOOD, "wechat": "lina_acme"}),
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["wechat"] == "lina_acme"
    assert [c["name"] for c in client.get("/api/v1/store-contacts").json()] == ["Li Na"]
    assert client.delete(f"/api/v1/store-contacts/{contact_id}").status_code == 204
    assert not StoreContact.objects.exists()


@pytest.mark.django_db
def test_other_organisations_and_sub_accounts(personas):
    contact_id = _post(api_client(personas.anna), GOOD).json()["id"]
    otto = api_client(personas.otto)
    assert otto.get("/api/v1/store-contacts").json() == []
    assert otto.get("/api/v1/store-contacts?organization=acme").status_code == 404
    assert otto.delete(f"/api/v1/store-contacts/{contact_id}").status_code == 404
    sam = api_client(personas.sam)  # Acme's sub-account reads only
    assert [c["id"] for c in sam.get("/api/v1/store-contacts").json()] == [contact_id]
    assert _post(sam, GOOD).status_code == 403
    assert StoreContact.objects.count() == 1


@pytest.mark.django_db
def test_staff_read_and_add_an_organisations_contacts_by_its_account_id(personas):
    _post(api_client(personas.anna), GOOD)
    alice = api_client(personas.alice)
    assert alice.get("/api/v1/store-contacts").status_code == 422  # which organisation?
    assert [c["name"] for c in alice.get("/api/v1/store-contacts?organization=acme").json()] == [
        "Li Na"
    ]
    added = _post(alice, {**GOOD, "name": "Zhao Gang", "organization": "acme"})
    assert added.status_code == 201
    assert _post(api_client(personas.quinn), {**GOOD, "organization": "acme"}).status_code == 403
