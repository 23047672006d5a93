"""evaluate(): per-class scores, macro-F1 over labels present, confusion matrix, rendering."""

import json

import pytest

from kefu.triage.classifier import Example, TrainingConfig, train
from kefu.triage.training import evaluate, read_examples_csv

TRAIN = [
    *(
        Example(t, "shipment_logistics")
        for t in ["where is my parcel", "tracking stuck", "货到哪了", "物流不动"]
    ),
    *(
        Example(t, "payment_billing")
        for t in ["invoice is wrong", "card declined", "发票开错了", "付款失败"]
    ),
]


@pytest.fixture(scope="module")
def model():
    return train(TRAIN, config=TrainingConfig(folds=2))


def test_scores_match_a_hand_count(model):
    rows = [
        Example("where is my parcel now", "shipment_logistics"),
        Example("发票开错了，请重开", "payment_billing"),
        Example("tracking stuck again", "payment_billing"),  # deliberately mislabelled
    ]
    report = evaluate(model, rows)
    scores = {s.label: s for s in report.per_class}
    assert report.n == 3 and report.accuracy == pytest.approx(2 / 3)
    assert scores["shipment_logistics"].precision == pytest.approx(0.5)
    assert scores["shipment_logistics"].recall == 1.0
    assert scores["payment_billing"].recall == pytest.approx(0.5)
    assert report.macro_f1 == pytest.approx((2 / 3 + 2 / 3) / 2)
    assert report.labels == ("payment_billing", "shipment_logistics")
    assert report.confusion == ((1, 1), (0, 1))
    assert sum(b.count for b in report.calibration) == 3


def test_macro_f1_ignores_labels_that_were_only_predicted(model):
    rows = [Example("where is my parcel now", "shipment_logistics"), Example("发票开错了", "other")]
    report = evaluate(model, rows)
    assert "payment_billing" in report.labels  # predicted, so it is in the matrix
    assert report.macro_f1 == pytest.approx((1.0 + 0.0) / 2)  # shipment and other only


def test_renders_as_table_and_json(model):
    report = evaluate(model, [Example("where is my parcel now", "shipment_logistics")])
    table = report.as_table()
    assert "macro-F1 1.000" in table and "confusion" in table and "calibration" in table
    assert json.loads(report.to_json())["macro_f1"] == 1.0


def test_reads_labelled_csv_and_names_bad_rows(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(
        "text,category,split\nhello,other,train\n转人工,handoff,test\n", encoding="utf-8"
    )
    assert read_examples_csv(good, split="test") == [Example("转人工", "handoff", "", "test")]
    bad = tmp_path / "bad.csv"
    bad.write_text("text,category\nhello,\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.csv:2"):
        read_examples_csv(bad)
    with pytest.raises(ValueError, match="category"):
        (tmp_path / "cols.csv").write_text("text\nx\n", encoding="utf-8")
        read_examples_csv(tmp_path / "cols.csv")


def test_empty_evaluation_is_an_error(model):
    with pytest.raises(ValueError):
        evaluate(model, [])
