"""Triage rules are admin data: seeded from the shipped defaults, validated with clear bilingual
errors naming the field, and used by the pipeline as soon as they are saved."""

import pytest

from kefu.intake.base import InboundMessage
from kefu.intake.ingest import ingest
from kefu.testing import session_client
from kefu.triage.actions import save_rule, validate_rule
from kefu.triage.models import EvidenceRequirement, TriageRule
from kefu.triage.rules import RuleError, default_rules
from kefu.triage.store import snapshot

RULE = {
    "code": "CUSTOMS-HOLD", "name_en": "Customs hold", "name_zh": "海关扣货", "stage": "before",
    "order": 5, "enabled": True, "stop": False,
    "conditions": {"keywords_any": ["customs hold", "海关扣"]},
    "effects": {"category": "shipment_logistics", "priority": "high", "tags": ["customs"]},
}  # fmt: skip


def _form(token, **changes):
    import json

    data = {**RULE, **changes}
    form = {k: v for k, v in data.items() if k not in ("conditions", "effects", "enabled", "stop")}
    form |= {"conditions": json.dumps(data["conditions"]), "effects": json.dumps(data["effects"])}
    if data["enabled"]:
        form["enabled"] = "on"
    return {**form, "csrfmiddlewaretoken": token}


@pytest.mark.django_db
def test_the_shipped_rules_and_evidence_are_seeded():
    assert set(TriageRule.objects.values_list("code", flat=True)) == {
        r["code"] for r in default_rules()
    }
    assert {r.code for r in snapshot().rules} == {r["code"] for r in default_rules()}
    assert EvidenceRequirement.objects.filter(code="funds").exists()


@pytest.mark.django_db
def test_a_rule_added_in_the_admin_is_used_at_once(personas):
    client = session_client(personas.ada)
    client.get("/admin/")
    response = client.post(
        "/admin/triage/triagerule/add/", _form(client.cookies["csrftoken"].value)
    )
    assert response.status_code == 302
    result = ingest(InboundMessage(channel="email", external_id="c@x", subject="Customs hold on PO-7",
                                   text="Our container is on customs hold since Monday.",
                                   sender_address="anna@acme.test"))  # fmt: skip
    ticket = result.ticket
    assert ticket.category.code == "shipment_logistics" and ticket.priority == "high"
    assert "customs" in ticket.tags and ticket.triage["rules"] == ["CUSTOMS-HOLD"]


@pytest.mark.django_db
def test_a_disabled_rule_does_not_fire(personas):
    save_rule(RULE)
    save_rule({**RULE, "enabled": False})  # an edit: the cache notices
    ticket = ingest(InboundMessage(channel="email", external_id="c@x", subject="Customs hold",
                                   text="Our container is on customs hold.",
                                   sender_address="anna@acme.test")).ticket  # fmt: skip
    assert "CUSTOMS-HOLD" not in ticket.triage["rules"] and "customs" not in ticket.tags


@pytest.mark.parametrize(("change", "field", "zh"), [
    ({"conditions": {"keywords_any": "customs"}}, "conditions.keywords_any", "必须是文本列表"),
    ({"conditions": {"patterns_any": ["(unclosed"]}}, "conditions.patterns_any[0]", "正则表达式无效"),
    ({"effects": {"priority": "asap"}}, "effects.priority", "优先级无效"),
    ({"effects": {"category": "no_such_category"}}, "effects.category", "类别 'no_such_category' 不存在"),
    ({"effects": {"team": "no-such-team"}}, "effects.team", "必须是类似"),
    ({"effects": {"team": "nosuchteam"}}, "effects.team", "团队 'nosuchteam' 不存在"),
    ({"conditions": {"colour": ["red"]}}, "conditions.colour", "未知字段"),
])  # fmt: skip
@pytest.mark.django_db
def test_bad_rules_are_refused_naming_the_field_in_both_languages(change, field, zh):
    with pytest.raises(RuleError) as caught:
        validate_rule({**RULE, **change})
    assert caught.value.field == field
    assert caught.value.message("zh").startswith(
        f"规则 'CUSTOMS-HOLD' 的字段 {field}："
    ) and zh in caught.value.message("zh")
    assert field in caught.value.message("en")


@pytest.mark.django_db
def test_the_admin_form_shows_the_error_on_the_field_in_the_admins_language(personas):
    client = session_client(personas.ada)
    client.get("/admin/")
    token = client.cookies["csrftoken"].value
    page = client.post("/admin/triage/triagerule/add/", _form(token, effects={"category": "nope"}),
                       headers={"Accept-Language": "zh-CN"})  # fmt: skip
    assert page.status_code == 200 and not TriageRule.objects.filter(code="CUSTOMS-HOLD").exists()
    html = page.content.decode()
    assert (
        "规则 &#x27;CUSTOMS-HOLD&#x27; 的字段 effects.category：类别 &#x27;nope&#x27; 不存在"
        in html
    )
    page = client.post("/admin/triage/triagerule/add/", _form(token, effects={"category": "nope"}))
    assert "effects.category: no category &#x27;nope&#x27;" in page.content.decode()


@pytest.mark.django_db
def test_evidence_requirements_are_validated_too(personas):
    client = session_client(personas.ada)
    client.get("/admin/")
    form = {"code": "x", "name_en": "X", "name_zh": "X", "categories": '["order_trade"]', "tags_any": "[]",
            "keywords_any": "[]", "items": '["selfie"]', "order": "1", "enabled": "on",
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value}  # fmt: skip
    page = client.post("/admin/triage/evidencerequirement/add/", form)
    assert page.status_code == 200 and "unknown item &#x27;selfie&#x27;" in page.content.decode()
