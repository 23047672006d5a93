"""Placeholders are a substitution of known names, never template evaluation (pure, no DB)."""

from kefu.macros.placeholders import fill, unknown_names, used_names

VALUES = {"customer.name": "Anna", "ticket.number": "KF20261204001", "agent.code": "A0001"}


def test_known_names_are_filled_with_or_without_spaces_inside_the_braces():
    text = "Hello {{customer.name}}, ticket {{ ticket.number }} — {{agent.code}}"
    assert fill(text, VALUES) == "Hello Anna, ticket KF20261204001 — A0001"


def test_template_syntax_and_unknown_names_stay_as_written():
    text = "{% load static %}{{ request.user.password }} {{ settings.SECRET_KEY }} {# x #}"
    assert fill(text, VALUES) == text
    assert unknown_names(text) == ["request.user.password", "settings.SECRET_KEY"]


def test_a_value_that_looks_like_a_placeholder_is_not_expanded_again():
    values = {**VALUES, "customer.name": "{{ticket.number}} {% debug %}"}
    assert fill("Hi {{customer.name}}", values) == "Hi {{ticket.number}} {% debug %}"


def test_a_known_name_without_a_value_becomes_empty():
    assert fill("Order {{ticket.order_id}}.", VALUES) == "Order ."
    assert used_names("{{ticket.order_id}} {{x}}") == {"ticket.order_id", "x"}
    assert unknown_names("{{ticket.order_id}} {{sla.resolution_due}}") == []
