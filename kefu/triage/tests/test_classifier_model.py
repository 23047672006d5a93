"""Training, prediction, storage and reloading of the classifier."""

import os
import threading

import numpy as np
import pytest

from kefu.triage import classifier
from kefu.triage.classifier import (
    HANDOFF,
    LABELS,
    Example,
    TrainingConfig,
    char_ngrams,
    load,
    load_current,
    load_default,
    save,
    train,
)
from kefu.triage.training import project_examples

SMALL = [
    *(
        Example(t, "shipment_logistics")
        for t in ["where is my parcel", "物流不动了", "tracking stuck", "货到哪了"]
    ),
    *(
        Example(t, "payment_billing")
        for t in ["invoice is wrong", "发票开错了", "card declined", "付款失败"]
    ),
    *(Example(t, HANDOFF) for t in ["talk to a human", "转人工", "agent please", "人工客服"]),
]


@pytest.fixture(scope="module")
def small_model():
    return train(SMALL, config=TrainingConfig(folds=2))


def test_ngrams_ignore_digits_case_and_punctuation():
    assert char_ngrams("Order 12345!") == char_ngrams("order 9")
    assert "订单" in char_ngrams("我的订单")


def test_predicts_a_calibrated_distribution(small_model):
    prediction = small_model.predict("my parcel tracking is stuck")
    assert prediction.category == "shipment_logistics"
    assert set(prediction.probabilities) == {"shipment_logistics", "payment_billing", HANDOFF}
    assert sum(prediction.probabilities.values()) == pytest.approx(1.0)
    assert prediction.confidence == max(prediction.probabilities.values())
    assert prediction.language == "en"


def test_unknown_text_is_other_with_uniform_confidence():
    model = load_default()
    prediction = model.predict("😀😀")
    assert prediction.category == "other"
    assert prediction.confidence == pytest.approx(1 / len(LABELS))
    assert not prediction.is_confident(0.5)


def test_handoff_keeps_the_best_ticket_category():
    prediction = load_default().predict("转人工，我的订单一直不发货")
    assert prediction.category == HANDOFF
    assert prediction.ticket_category == "shipment_logistics"
    assert 0 < prediction.ticket_confidence <= 1


def test_predict_many_matches_predict(small_model):
    texts = ["发票开错了", "talk to a human please", ""]
    for many, one in zip(
        small_model.predict_many(texts), map(small_model.predict, texts), strict=True
    ):
        assert (many.category, many.language) == (one.category, one.language)
        assert many.probabilities == pytest.approx(one.probabilities, abs=1e-5)
    assert small_model.predict_many([]) == []


def test_compiled_features_equal_scikit_learn_tfidf():
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [e.text for e in project_examples("train")]
    vectorizer = TfidfVectorizer(analyzer=char_ngrams, sublinear_tf=True, dtype=np.float32)
    vectorizer.fit(texts[:400])
    model = classifier.Model(
        labels=("a", "b"),
        vocabulary=sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__),
        idf=vectorizer.idf_,
        weights=np.zeros((len(vectorizer.vocabulary_), 2)),
        bias=np.zeros(2),
        temperature=1.0,
        meta={},
    )
    probe = [*texts[:50], "完全没见过的文字", ""]
    got = model.features(probe).toarray()
    assert np.allclose(got, vectorizer.transform(probe).toarray(), atol=1e-6)


def test_training_reports_progress_and_is_deterministic():
    steps = []
    first = train(SMALL, config=TrainingConfig(folds=2), progress=lambda *s: steps.append(s))
    second = train(SMALL, config=TrainingConfig(folds=2))
    assert steps[-1] == ("fitting", 3, 3) and steps[0] == ("calibrating", 1, 3)
    assert np.array_equal(first.weights, second.weights) and first.temperature == second.temperature


def test_training_needs_two_categories():
    with pytest.raises(ValueError):
        train([Example("x", "other"), Example("y", "other")])


def test_save_and_load_round_trip_byte_identically(small_model, tmp_path):
    path = save(small_model, tmp_path / "model.npz")
    loaded = load(path)
    assert loaded.labels == small_model.labels and loaded.meta == small_model.meta
    assert loaded.predict("发票开错了") == small_model.predict("发票开错了")
    again = save(loaded, tmp_path / "again.npz")
    assert path.read_bytes() == again.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again.npz", "model.npz"]  # no temp files


def test_save_replaces_atomically_while_readers_load(small_model, tmp_path):
    """Readers loading in a loop while the file is rewritten never see a partial file."""
    path = save(small_model, tmp_path / "model.npz")
    other = train(SMALL[::-1], config=TrainingConfig(folds=2, regularisation=0.5))
    errors, done = [], threading.Event()

    def read_repeatedly():
        while not done.is_set():
            try:
                load(path)
            except Exception as error:  # any failure to read is the bug under test
                errors.append(error)

    readers = [threading.Thread(target=read_repeatedly) for _ in range(3)]
    for reader in readers:
        reader.start()
    for i in range(20):
        save(other if i % 2 else small_model, path)
    done.set()
    for reader in readers:
        reader.join()
    assert errors == []


def test_load_current_reloads_after_replacement(small_model, tmp_path):
    path = save(small_model, tmp_path / "model.npz")
    first = load_current(path)
    assert load_current(path) is first
    other = train(SMALL, config=TrainingConfig(folds=2, regularisation=0.5))
    save(other, path)
    os.utime(path, ns=(1, 1))  # make sure the stamp differs even on coarse clocks
    assert load_current(path) is not first


@pytest.mark.parametrize(
    "meta",
    [
        b'{"format": 99}',
        b'{"format": 1, "ngram_range": [2, 5], "max_chars": 1000}',  # other feature settings
        b"not json",
    ],
)
def test_load_rejects_other_models(tmp_path, meta):
    path = tmp_path / "other.npz"
    np.savez(path, meta=np.frombuffer(meta, dtype=np.uint8))
    with pytest.raises(ValueError):
        load(path)


def test_load_rejects_files_that_are_not_models(tmp_path):
    path = tmp_path / "notes.npz"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(ValueError):
        load(path)
    np.savez(path, something=np.zeros(2))
    with pytest.raises(ValueError):
        load(path)
