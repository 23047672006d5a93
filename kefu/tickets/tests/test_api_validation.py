import pytest

from kefu.testing import api_client


@pytest.mark.django_db
def test_missing_subject_is_422_naming_the_field_in_chinese(personas):
    client = api_client(personas.anna, **{"Accept-Language": "zh-CN"})
    response = client.post("/api/v1/tickets", {"body": "货没到"}, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    [error] = body["detail"]
    assert error["loc"] == ["body", "subject"]
    assert error["field"] == "subject"
    assert error["msg"] == "主题：此项为必填项。"


@pytest.mark.django_db
def test_errors_default_to_english(personas):
    response = api_client(personas.anna).post(
        "/api/v1/tickets", {"body": "x"}, content_type="application/json"
    )
    assert response.json()["detail"][0]["msg"] == "Subject: This field is required."


@pytest.mark.django_db
def test_every_broken_rule_is_listed_with_its_field(personas):
    client = api_client(personas.anna, **{"Accept-Language": "zh-CN"})
    response = client.post(
        "/api/v1/tickets",
        {"subject": "   ", "body": "x", "priority": "asap", "expected_by": "tomorrow"},
        content_type="application/json",
    )
    assert response.status_code == 422
    fields = {e["field"]: e["msg"] for e in response.json()["detail"]}
    assert set(fields) == {"subject", "priority", "expected_by"}
    assert fields["subject"] == "主题：此项不能为空。"
    assert fields["priority"].startswith("优先级：请从以下选项中选择")
    assert fields["expected_by"] == "期望时间：请输入日期，格式为 YYYY-MM-DD。"


@pytest.mark.django_db
def test_unknown_category_is_named(personas):
    response = api_client(personas.anna).post(
        "/api/v1/tickets", {"subject": "s", "body": "b", "category": "nope"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "category"
