"""Scopes: admin-wide macros for everyone, team macros for the team, personal ones for their
owner. Agents edit only their own, leads also their teams', admins every macro; a macro or a
ticket out of reach is not found."""

import pytest

from kefu.errors import Forbidden
from kefu.macros import actions
from kefu.macros.models import Macro, Scope
from kefu.macros.queries import usable_macros
from kefu.testing import assigned_ticket, make_ticket, session_client


def _post(client, url: str, data: dict):
    client.get("/desk/macros/")
    return client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, **data})


def _make(scope, *, team=None, owner=None, title="M") -> Macro:
    return Macro.objects.create(title_en=title, title_zh=title, text_en="x", text_zh="x",
                                scope=scope, team=team, owner=owner)  # fmt: skip


FORM = {"title_zh": "退款", "title_en": "Refund", "text_zh": "已退款。", "text_en": "Refunded.",
        "set_status": "", "set_priority": "", "add_tags": "refund, paid", "note": "",
        "is_active": "on"}  # fmt: skip


@pytest.mark.django_db
def test_each_agent_uses_everyones_their_teams_and_their_own_macros(personas):
    orders = _make(Scope.TEAM, team=personas.orders, title="orders")
    billing = _make(Scope.TEAM, team=personas.billing, title="billing")
    mine = _make(Scope.PERSONAL, owner=personas.alice.agent, title="alice")
    alice = set(usable_macros(personas.viewer(personas.alice)))
    bob = set(usable_macros(personas.viewer(personas.bob)))
    assert {orders, mine} <= alice and billing not in alice
    assert billing in bob and not {orders, mine} & bob
    assert not usable_macros(personas.viewer(personas.quinn)).exists()  # QA reviews, never replies


@pytest.mark.django_db
def test_a_macro_or_ticket_out_of_reach_is_not_found(personas):
    billing = _make(Scope.TEAM, team=personas.billing)
    mine = _make(Scope.PERSONAL, owner=personas.alice.agent)
    ticket = assigned_ticket(personas)
    other = make_ticket(personas.otto, category="payment_billing")
    alice = session_client(personas.alice)
    assert alice.get(f"/desk/macros/{billing.pk}/render/?ticket={ticket.number}").status_code == 404
    assert alice.get(f"/desk/macros/{mine.pk}/render/?ticket={other.number}").status_code == 404
    assert alice.get(f"/desk/macros/{mine.pk}/render/?ticket={ticket.number}").status_code == 200
    bob = session_client(personas.bob)
    assert bob.get(f"/desk/macros/{mine.pk}/").status_code == 404  # not his to edit
    response = _post(alice, f"/desk/t/{ticket.number}/", {"body": "Hi", "macro": billing.pk})
    assert response.status_code == 200  # refused, nothing sent
    assert ticket.messages.count() == 1


@pytest.mark.django_db
def test_an_agent_creates_personal_macros_only(personas):
    alice = session_client(personas.alice)
    _post(alice, "/desk/macros/new/", {**FORM, "scope": "team", "team": personas.orders.pk})
    assert not Macro.objects.filter(title_en="Refund").exists()  # not a choice for an agent
    response = _post(alice, "/desk/macros/new/", {**FORM, "scope": "personal"})
    assert response.status_code == 302
    macro = Macro.objects.get(title_en="Refund")
    assert (macro.scope, macro.owner, macro.add_tags) == ("personal", personas.alice.agent,
                                                           ["paid", "refund"])  # fmt: skip
    global_macro = _make(Scope.GLOBAL)
    assert alice.get(f"/desk/macros/{global_macro.pk}/").status_code == 404
    with pytest.raises(Forbidden):
        global_macro.title_en = "changed"
        actions.save_macro(actor=personas.viewer(personas.alice), macro=global_macro)


@pytest.mark.django_db
def test_a_lead_edits_their_teams_macros_and_an_admin_every_macro(personas):
    lena = session_client(personas.lena)
    response = _post(lena, "/desk/macros/new/",
                     {**FORM, "scope": "team", "team": personas.orders.pk})  # fmt: skip
    assert response.status_code == 302
    _post(lena, "/desk/macros/new/", {**FORM, "title_en": "B", "scope": "team",
                                      "team": personas.billing.pk})  # fmt: skip
    assert not Macro.objects.filter(title_en="B").exists()  # not her team
    _post(lena, "/desk/macros/new/", {**FORM, "title_en": "G", "scope": "global"})
    assert not Macro.objects.filter(title_en="G").exists()  # admin-wide: admins only
    ada = session_client(personas.ada)
    assert (
        _post(ada, "/desk/macros/new/", {**FORM, "title_en": "G", "scope": "global"}).status_code
        == 302
    )
    team_macro = Macro.objects.get(title_en="Refund")
    assert lena.get(f"/desk/macros/{team_macro.pk}/").status_code == 200
    assert session_client(personas.alice).get(f"/desk/macros/{team_macro.pk}/").status_code == 404


@pytest.mark.django_db
def test_an_unknown_placeholder_is_refused_with_the_known_names(personas):
    alice = session_client(personas.alice)
    response = _post(alice, "/desk/macros/new/",
                     {**FORM, "scope": "personal", "text_en": "Hi {{ request.user }}"})  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200 and "Unknown placeholder" in page
    assert "{{customer.name}}" in page
    assert not Macro.objects.filter(title_en="Refund").exists()


@pytest.mark.django_db
def test_a_malformed_macro_id_is_not_found(personas):
    from kefu.errors import NotFound
    from kefu.macros.queries import usable_macro

    alice = personas.viewer(personas.alice)
    for bad in ("abc", "-1", "1e3", {"id": 1}, "9" * 40, None):
        with pytest.raises(NotFound):
            usable_macro(alice, bad)


@pytest.mark.django_db
def test_only_whoever_may_edit_a_macro_deletes_it(personas):
    mine = _make(Scope.PERSONAL, owner=personas.alice.agent)
    bob = session_client(personas.bob)
    assert _post(bob, f"/desk/macros/{mine.pk}/delete/", {}).status_code == 404
    assert Macro.objects.filter(pk=mine.pk).exists()
    alice = session_client(personas.alice)
    assert _post(alice, f"/desk/macros/{mine.pk}/delete/", {}).status_code == 302
    assert not Macro.objects.filter(pk=mine.pk).exists()
