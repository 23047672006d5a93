"""Every HTML page, for each persona that can open it, answers with a Content-Security-Policy
that runs scripts only from Kefu's own files (no 'unsafe-inline', no 'unsafe-eval', no other
host), and carries no inline script or inline event handler that such a policy would block.

The browser test (test_pages_run_under_the_csp_in_chromium.py) proves the pages still work
under it; this one walks many more pages, cheaply, with the test client.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from kefu.knowledge.models import Article
from kefu.testing import assigned_ticket

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def assert_strict(url: str, response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, (url, response.status_code)
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"], url
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"], url
    html = response.content.decode()
    inline = [a for a in SCRIPT_TAG.findall(html) if "src=" not in a and "json" not in a]
    assert inline == [], (url, inline)
    assert HANDLER.search(html) is None, (url, HANDLER.search(html))


def _admin_pages() -> Iterator[str]:
    """The change list of every model the admin shows."""
    for model in admin.site._registry:
        yield reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.fixture
def pages(personas) -> dict[str, tuple[Client, list[str]]]:  # type: ignore[no-untyped-def]
    ticket = assigned_ticket(personas)
    article = Article.objects.filter(status="published").first()
    assert article is not None  # the shipped articles come with the migrations
    anonymous = Client()
    customer, agent, administrator = Client(), Client(), Client()
    customer.force_login(personas.anna)
    agent.force_login(personas.alice)
    administrator.force_login(personas.ada)
    return {
        "anonymous": (anonymous, ["/login/", "/help/", "/help/?q=refund", "/api/v1/docs",
                                  article.get_absolute_url(), "/demo/order/PO-88123/"]),
        "customer": (customer, ["/portal/", "/portal/?show=done", "/portal/new/",
                                f"/portal/t/{ticket.number}/", "/help/", "/demo/order/PO-88123/",
                                "/portal/stores/", "/portal/appointments/"]),
        "agent": (agent, ["/desk/", "/desk/?status=open", f"/desk/t/{ticket.number}/",
                          "/desk/chat/", "/notifications/", "/notifications/preferences/"]),
        "admin": (administrator, ["/admin/", f"/admin/tickets/ticket/{ticket.pk}/change/",
                                  *_admin_pages()]),
    }  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "customer", "agent", "admin"])
@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_every_page_of_each_persona_has_a_strict_script_policy(pages, who, language):
    client, urls = pages[who]
    for url in urls:
        assert_strict(url, client.get(url, headers={"Accept-Language": language}))


@pytest.mark.django_db
def test_only_the_admin_may_use_inline_styles(pages):
    client, _urls = pages["admin"]
    admin_policy = directives(client.get("/admin/")["Content-Security-Policy"])
    assert admin_policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert admin_policy["script-src"] == ["'self'"]
    portal_policy = directives(pages["customer"][0].get("/portal/")["Content-Security-Policy"])
    assert portal_policy["style-src"] == ["'self'"]


@pytest.mark.django_db
def test_error_pages_and_the_api_carry_the_policy_too(client):
    for url in ("/no-such-page/", "/api/v1/tickets", "/chat/widget.js"):
        assert directives(client.get(url)["Content-Security-Policy"])["script-src"] == ["'self'"]
