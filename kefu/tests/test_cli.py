import re
import subprocess
import sys

import pytest
from django.core.management import call_command

from kefu.accounts.models import Agent, User
from kefu.testing import api_client


@pytest.mark.django_db
def test_token_create_prints_the_token_alone_on_its_last_line(personas, capsys):
    call_command("token", "create", "--email", "anna@acme.test", "--name", "erp")
    last_line = capsys.readouterr().out.strip().splitlines()[-1]
    assert re.fullmatch(r"kefu_[A-Za-z0-9_-]{40,}", last_line)
    response = api_client(personas.anna).post(
        "/api/v1/tickets", {"subject": "s", "body": "b"}, content_type="application/json"
    )
    assert response.status_code == 201
    bearer = {"Authorization": f"Bearer {last_line}"}
    from django.test import Client

    assert Client(headers=bearer).get("/api/v1/tickets").status_code == 200


@pytest.mark.django_db
def test_createadmin_is_non_interactive_with_email_and_password():
    call_command("createadmin", "--email", "root@kefu.test", "--password", "a-long-password")
    user = User.objects.get(email="root@kefu.test")
    assert user.check_password("a-long-password") and user.is_superuser
    assert user.agent.role == Agent.Role.ADMIN
    assert user.password.startswith("argon2")


@pytest.mark.django_db
def test_demo_is_idempotent_and_has_the_documented_logins():
    from kefu.demo import PASSWORD, load_demo
    from kefu.escalation.models import EscalationPath
    from kefu.intake.models import Mailbox
    from kefu.tickets.models import Ticket

    assert 40 <= load_demo() <= 60
    count = Ticket.objects.count()
    assert load_demo() == 0 and Ticket.objects.count() == count
    for email in ("admin@example.com", "agent@example.com", "lead@example.com",
                  "buyer@example.com", "buyer.sub@example.com", "merchant@example.com"):  # fmt: skip
        assert User.objects.get(email=email).check_password(PASSWORD)
    sub = User.objects.get(email="buyer.sub@example.com").account
    assert not sub.is_main and sub.scopes
    assert len(set(Ticket.objects.values_list("status", flat=True))) == 6
    # Mail has somewhere to go, and every escalation path has a lead to own its incidents.
    assert set(Mailbox.objects.values_list("code", flat=True)) == {
        "service",
        "merchant",
        "complaint",
    }
    assert not EscalationPath.objects.exclude(team=None).filter(team__lead=None).exists()


def test_the_kefu_command_runs(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "kefu.cli", "help", "serve"],
        capture_output=True, text=True, env={"KEFU_DATA_DIR": str(tmp_path), "PATH": ""},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "--port" in result.stdout and "--host" in result.stdout
