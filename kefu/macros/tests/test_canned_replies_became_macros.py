"""The data migration: the six fixed chat canned replies are admin-wide macros, their
``{customer}``-style placeholders turned into the macros' ``{{customer.name}}`` names."""

import pytest

from kefu.macros.models import Macro, Scope
from kefu.macros.placeholders import unknown_names
from kefu.macros.queries import rendered, usable_macros
from kefu.testing import assigned_ticket


@pytest.mark.django_db
def test_the_six_canned_replies_are_admin_wide_macros_with_known_placeholders(personas):
    macros = Macro.objects.filter(scope=Scope.GLOBAL)
    assert sorted(macros.values_list("title_en", flat=True)) == [
        "Ask for the order", "Checking", "Closing", "Follow up by ticket", "Greeting",
        "Security reminder",
    ]  # fmt: skip
    for macro in macros:
        assert macro.text_zh and macro.text_en and macro.title_zh
        assert unknown_names(macro.text_zh + macro.text_en) == []
        assert "{customer}" not in macro.text_en and "{ticket}" not in macro.text_zh
    alice = personas.viewer(personas.alice)
    assert set(usable_macros(alice)) >= set(macros)
    greeting = macros.get(title_en="Greeting")
    ticket = assigned_ticket(personas)
    assert rendered(greeting.text_en, ticket, alice) == (
        "Hello Anna, this is agent A0001. I'm looking at your question now."
    )
    follow = macros.get(title_en="Follow up by ticket")
    assert ticket.number in rendered(follow.text_zh, ticket, alice)
