"""Pages that fail (404, 403, 500) are Kefu's own, styled, in the reader's language (the 500
page in both: nothing may be relied on when it shows); the API keeps answering in JSON."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.utils import translation

from kefu import error_pages
from kefu.testing import api_client


@pytest.mark.django_db
@pytest.mark.parametrize("language,words", [("en", "Page not found"), ("zh-hans", "页面不存在")])
def test_a_missing_page_is_styled_in_the_readers_language(language, words):
    client = Client()
    client.cookies["django_language"] = language
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert words in html and "kefu/app.css" in html and 'class="error-code">404' in html


@pytest.mark.django_db
def test_a_forbidden_page_and_a_server_error_are_styled():
    request = RequestFactory().get("/desk/")
    request.user = AnonymousUser()
    with translation.override("en"):
        denied = error_pages.permission_denied(request, PermissionDenied())
    assert denied.status_code == 403 and "Not allowed" in denied.content.decode()
    failed = error_pages.server_error(request)
    text = failed.content.decode()
    assert failed.status_code == 500
    assert "出错了" in text and "Something went wrong" in text and "kefu/app.css" in text


@pytest.mark.django_db
def test_the_api_still_answers_json():
    response = Client().get("/api/v1/no-such-thing")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize("language,words", [("en", "not allowed"), ("zh-hans", "不允许")])
def test_a_method_the_api_does_not_take_is_refused_in_json(personas, language, words):
    client = api_client(personas.anna, **{"Accept-Language": language})
    response = client.delete("/api/v1/tickets")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"
    assert words in response.json()["detail"]
    assert "GET" in response["Allow"] and "POST" in response["Allow"]
