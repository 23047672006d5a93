"""Agents' recategorisations are kept as training signal; ``kefu triage train`` learns from the
project's examples, those and an extra file, and serving picks the new model up at once."""

import csv
import io

import pytest
from django.core.management import call_command

from kefu.testing import api_client, make_ticket
from kefu.tickets.models import Category
from kefu.triage.models import Recategorisation
from kefu.triage.store import current_model
from kefu.triage.training import project_examples

CUSTOMS = [
    "our container is held at customs, which documents do you need",
    "customs clearance stuck for container MSKU1234567",
    "海关查验，需要补充报关单",
    "报关资料被退回，清关卡住了",
]


@pytest.mark.django_db
def test_an_agents_category_change_is_recorded(personas):
    ticket = make_ticket(personas.anna, subject="Container held", body="Our container is held at customs.",
                         category="order_trade")  # fmt: skip
    response = api_client(personas.alice).patch(f"/api/v1/tickets/{ticket.number}",
                                                {"category": "shipment_logistics"},
                                                content_type="application/json")  # fmt: skip
    assert response.status_code == 200
    row = Recategorisation.objects.get()
    assert (row.old_category, row.new_category, row.agent, row.ticket) == (
        "order_trade",
        "shipment_logistics",
        personas.alice,
        ticket,
    )
    assert row.text == "Container held\nOur container is held at customs."


@pytest.mark.django_db
def test_the_systems_own_changes_are_not_training_signal(personas):
    from kefu.accounts.access import SYSTEM
    from kefu.tickets import actions

    ticket = make_ticket(personas.anna)
    actions.update_ticket(
        ticket=ticket, actor=SYSTEM, changes={"category": Category.objects.get(code="other")}
    )
    assert not Recategorisation.objects.exists()


@pytest.mark.django_db
def test_train_learns_from_examples_recategorisations_and_the_extra_file(
    personas, settings, tmp_path
):
    settings.KEFU_TRIAGE_MODEL = tmp_path / "triage-model.npz"
    Category.objects.create(code="customs", name_en="Customs", name_zh="清关")
    ticket = make_ticket(personas.anna, subject="Customs hold", body="customs hold on our container",
                         category="other")  # fmt: skip
    response = api_client(personas.ada).patch(f"/api/v1/tickets/{ticket.number}", {"category": "customs"},
                                              content_type="application/json")  # fmt: skip
    assert response.status_code == 200
    extra = tmp_path / "extra.csv"
    with open(extra, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "category", "split"])
        writer.writerows(
            [[text, "customs", "train"] for text in CUSTOMS] + [["held out", "customs", "test"]]
        )
    assert "customs" not in current_model().labels
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "triage", "train", "--extra", str(extra), "--extra-split", "train", stdout=out, stderr=err
    )
    assert f"wrote {tmp_path / 'triage-model.npz'}" in out.getvalue()
    assert "1 recategorised tickets, 4 extra rows" in err.getvalue()
    assert "training: 100%" in err.getvalue()  # the progress bar
    model = current_model()  # the running process switches without a restart
    assert "customs" in model.labels
    assert model.meta["examples"] == len(project_examples("train")) + 1 + 4
    assert model.predict(CUSTOMS[1]).category == "customs"  # it learned the new category


@pytest.mark.django_db
def test_train_refuses_to_overwrite_the_shipped_model(settings):
    from django.core.management.base import CommandError

    from kefu.triage.classifier import DEFAULT_MODEL_PATH

    with pytest.raises(CommandError):
        call_command("triage", "train", "--output", str(DEFAULT_MODEL_PATH))


@pytest.mark.django_db
def test_a_broken_model_file_falls_back_to_the_shipped_model(settings, tmp_path):
    from kefu.triage.classifier import load_default

    broken = tmp_path / "triage-model.npz"
    broken.write_bytes(b"not a model")
    settings.KEFU_TRIAGE_MODEL = broken
    assert current_model() is load_default()
