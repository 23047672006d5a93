"""Public pages for people without an account: the contact form and its verification link, the
status lookup and its read-only view."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from kefu.errors import KefuError
from kefu.intake.base import InboundAttachment
from kefu.tickets.models import Category
from kefu.tickets.uploads import read_upload
from kefu.visitors import contact, status

CONTACT_FIELDS = ("name", "company", "email", "phone", "category", "order_id", "description")


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


@require_http_methods(["GET", "POST"])
def status_lookup(request: HttpRequest) -> HttpResponse:
    """GET asks for a number and an email; POST answers the same sentence whatever they are."""
    context: dict[str, object] = {"number": "", "email": ""}
    if request.method == "POST":
        number = request.POST.get("number", "")[: status.MAX_NUMBER]
        email = request.POST.get("email", "")[: status.MAX_EMAIL]
        context.update(number=number, email=email)
        try:
            status.request_link(number=number, email=email, address=client_address(request))
        except KefuError as error:
            context["error"] = error.message
            return render(request, "visitors/status_lookup.html", context, status=error.status)
        context["answer"] = status.NEUTRAL_ANSWER
    return render(request, "visitors/status_lookup.html", context)


def status_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        view = status.open_link(token)
    except KefuError as error:
        return render(request, "visitors/status_view.html", {"error": error.message},
                      status=error.status)  # fmt: skip
    return render(request, "visitors/status_view.html", {"view": view})


def _submission(request: HttpRequest) -> contact.Submission:
    post = request.POST
    files = [
        InboundAttachment(
            filename=upload.name or "file", data=read_upload(upload.name or "", upload)
        )
        for upload in request.FILES.getlist("files")[: contact.MAX_FILES + 1]
    ]
    return contact.Submission(
        name=post.get("name", "")[:150], email=post.get("email", "")[:254],
        description=post.get("description", "")[: contact.MAX_TEXT],
        company=post.get("company", "")[:200], phone=post.get("phone", "")[:40],
        category=post.get("category", "")[:40], order_id=post.get("order_id", "")[:64],
        files=files,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
def contact_form(request: HttpRequest) -> HttpResponse:
    """GET: the form (name and email prefilled from ``?name=&email=``, as the chat passes them);
    POST: keep it and mail the verification link."""
    values = request.POST if request.method == "POST" else request.GET
    context: dict[str, object] = {
        "categories": Category.objects.filter(is_active=True),
        "values": {key: values.get(key, "") for key in CONTACT_FIELDS},
    }
    if request.method == "POST":
        try:
            contact.submit(_submission(request), address=client_address(request),
                           honeypot=request.POST.get("website", ""))  # fmt: skip
        except KefuError as error:
            context.update(error=error.message, error_field=error.field or "")
            return render(request, "visitors/contact.html", context, status=error.status)
        context["sent_to"] = request.POST.get("email", "")
    return render(request, "visitors/contact.html", context)


@require_http_methods(["GET", "POST"])
def contact_verify(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners fetch links); POST turns the message into a ticket."""
    try:
        pending = contact.open_link(token)
        if request.method == "POST":
            ticket = contact.verify(pending)
            return render(request, "visitors/contact_verify.html", {"ticket": ticket})
    except KefuError as error:
        return render(request, "visitors/contact_verify.html", {"error": error.message},
                      status=error.status)  # fmt: skip
    return render(request, "visitors/contact_verify.html", {"pending": pending})
