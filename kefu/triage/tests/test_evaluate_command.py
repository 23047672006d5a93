"""``kefu triage evaluate FILE.csv`` prints per-class precision/recall/F1, macro-F1 and the
confusion matrix, as a table or as JSON."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ROWS = [
    ("how do I reset my password", "account_access", "test"),
    ("订单能不能改收货地址", "order_trade", "test"),
    ("the invoice amount is wrong", "payment_billing", "test"),
    ("where is my parcel, tracking has not moved", "shipment_logistics", "test"),
    ("this row is not in the test split", "other", "train"),
]


@pytest.fixture
def labelled(tmp_path):
    path = tmp_path / "labelled.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "category", "split"])
        writer.writerows(ROWS)
    return path


def _run(*args) -> str:
    out = io.StringIO()
    call_command("triage", "evaluate", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_table_has_per_class_scores_macro_f1_and_the_confusion_matrix(labelled):
    table = _run(str(labelled), "--split", "test", "--model", "shipped")
    assert table.splitlines()[0].split() == ["label", "precision", "recall", "f1", "support"]
    assert "account_access" in table and "macro-F1" in table and "n=4" in table
    assert "confusion (rows true, columns predicted)" in table


@pytest.mark.django_db
def test_json_carries_the_same_report(labelled):
    report = json.loads(_run(str(labelled), "--split", "test", "--json"))
    assert report["n"] == 4 and 0 <= report["macro_f1"] <= 1
    assert {c["label"] for c in report["per_class"]} >= {"account_access", "order_trade"}
    assert len(report["confusion"]) == len(report["labels"])


@pytest.mark.django_db
def test_a_bad_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("words,label\nhello,other\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing column"):
        _run(str(bad))
