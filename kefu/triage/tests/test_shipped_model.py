"""The model file in the package is built from the current examples and stays small."""

import re
import unicodedata

from kefu.triage.classifier import DEFAULT_MODEL_PATH, LABELS, fingerprint, load_default
from kefu.triage.training import project_examples


def test_is_built_from_the_current_training_examples():
    """Fails when examples change without `python -m kefu.triage.training build`."""
    assert load_default().meta["data_fingerprint"] == fingerprint(project_examples("train"))


def test_is_small_and_knows_every_label():
    assert DEFAULT_MODEL_PATH.stat().st_size < 5_000_000
    assert load_default().labels == LABELS


def test_examples_cover_every_label_in_both_languages_with_enough_heldout():
    for split, minimum in (("train", 120), ("heldout", 40)):
        rows = project_examples(split)
        for label in LABELS:
            for lang in ("en", "zh"):
                count = sum(1 for e in rows if e.category == label and e.lang == lang)
                assert count >= minimum, (split, label, lang, count)


def test_heldout_examples_never_appear_in_training():
    def key(text):
        return re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", text).casefold()).strip()

    trained = {key(e.text) for e in project_examples("train")}
    assert [e.text for e in project_examples("heldout") if key(e.text) in trained] == []
