"""The triage classifier: character n-gram TF-IDF + a linear model with calibrated confidence.

Character n-grams need no word segmentation, so one model reads Chinese, English and the mix
customers actually write. Training uses scikit-learn; the trained model is then compiled to
plain arrays (vocabulary, idf, weights, a temperature) stored in a zip of ``.npy`` files, so
loading never unpickles anything and prediction is a few numpy operations that do not depend
on the installed scikit-learn version.

Confidence is calibrated by temperature scaling: the softmax temperature is fitted on
out-of-fold scores, so "0.8 confident" means right about 80 % of the time on data like the
training data. Callers send low-confidence messages to the "needs triage" queue.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from scipy import sparse

from kefu.triage.language import detect_language

if TYPE_CHECKING:  # scikit-learn is only imported when training
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

# Ticket categories (DESIGN.md taxonomy), then the bot's "give me a person" intent.
TICKET_CATEGORIES: tuple[str, ...] = (
    "account_access",
    "order_trade",
    "payment_billing",
    "shipment_logistics",
    "after_sales",
    "product_merchant",
    "integration_tech",
    "other",
)
HANDOFF = "handoff"
LABELS: tuple[str, ...] = (*TICKET_CATEGORIES, HANDOFF)

DEFAULT_MODEL_PATH = Path(__file__).parent / "model" / "triage-model.npz"
FORMAT_VERSION = 1
NGRAM_RANGE = (1, 4)
MAX_CHARS = 1000  # subject and opening lines carry the topic; the rest only costs time
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so rebuilding gives byte-identical files

ProgressCallback = Callable[[str, int, int], None]  # (stage, steps done, total steps)


class Example(NamedTuple):
    """One labelled message."""

    text: str
    category: str
    lang: str = ""
    split: str = ""


@dataclass(frozen=True)
class TrainingConfig:
    """Hyper-parameters; the defaults build the shipped model."""

    regularisation: float = 2.0  # LinearSVC's C
    min_df: int = 1
    folds: int = 5
    seed: int = 0


@dataclass(frozen=True)
class Prediction:
    category: str  # a LABELS entry (or an organisation's own category); may be HANDOFF
    confidence: float  # calibrated probability of ``category``
    probabilities: dict[str, float]
    language: str  # see language.detect_language

    @property
    def ticket_category(self) -> str:
        """The most likely real ticket category, for handoff messages that still need one."""
        if self.category != HANDOFF:
            return self.category
        candidates = {k: p for k, p in self.probabilities.items() if k != HANDOFF}
        return max(candidates, key=lambda k: candidates[k])

    @property
    def ticket_confidence(self) -> float:
        """Probability of ``ticket_category`` given that the message is not a bare handoff."""
        rest = 1.0 - self.probabilities.get(HANDOFF, 0.0)
        return self.probabilities[self.ticket_category] / rest if rest > 0 else 0.0

    def is_confident(self, threshold: float) -> bool:
        return self.confidence >= threshold


# --- features -------------------------------------------------------------------------------

_DIGIT_RUN = re.compile(r"\d+")
_NON_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Fold width and case, and turn every number into "0" so ids do not become features."""
    text = unicodedata.normalize("NFKC", text[: MAX_CHARS * 2]).casefold()
    text = _DIGIT_RUN.sub("0", text)
    return _NON_WORD.sub(" ", text).strip()[:MAX_CHARS]


def char_ngrams(text: str) -> list[str]:
    """Character n-grams inside space-padded words (scikit-learn's ``char_wb`` idea).

    Chinese runs have no spaces, so a whole clause is one "word" and yields every 1-4 gram.
    """
    low, high = NGRAM_RANGE
    grams: list[str] = []
    for word in normalise(text).split():
        padded = f" {word} "
        size = len(padded)
        grams += [
            padded[i : i + n] for n in range(low, min(high, size) + 1) for i in range(size - n + 1)
        ]
    return grams


# --- the compiled model ---------------------------------------------------------------------


class Model:
    """A trained classifier as plain arrays. Immutable; safe to share between threads."""

    def __init__(
        self,
        *,
        labels: Sequence[str],
        vocabulary: Sequence[str],
        idf: np.ndarray,
        weights: np.ndarray,
        bias: np.ndarray,
        temperature: float,
        meta: dict,
    ) -> None:
        self.labels = tuple(labels)
        self.vocabulary = tuple(vocabulary)
        self.index = {gram: i for i, gram in enumerate(self.vocabulary)}
        self.idf = idf.astype(np.float32)
        self.weights = weights.astype(np.float32)  # (n_features, n_labels)
        self.bias = bias.astype(np.float32)
        self.temperature = float(temperature)
        self.meta = meta

    def _encode(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(feature columns, L2-normalised sublinear TF-IDF values), as scikit-learn computed
        them in training."""
        found = [i for i in map(self.index.get, char_ngrams(text)) if i is not None]
        columns, counts = np.unique(np.array(found, dtype=np.int64), return_counts=True)
        values = (1.0 + np.log(counts, dtype=np.float32)) * self.idf[columns]
        norm = float(np.sqrt(values @ values))
        return columns, values / norm if norm else values

    def features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """One TF-IDF row per text."""
        encoded = [self._encode(text) for text in texts]
        indptr = np.cumsum([0] + [len(columns) for columns, _ in encoded])
        return sparse.csr_matrix(
            (
                np.concatenate([values for _, values in encoded]),
                np.concatenate([columns for columns, _ in encoded]),
                indptr,
            ),
            shape=(len(texts), len(self.vocabulary)),
            dtype=np.float32,
        )

    def _calibrated(self, logits: np.ndarray, empty: np.ndarray) -> np.ndarray:
        """Softmax at the fitted temperature; rows of texts with no known n-gram are uniform.

        The model knows nothing about an empty, emoji-only or unseen-script text, so it must
        not look confident about it.
        """
        logits = logits / self.temperature
        logits -= logits.max(axis=-1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=-1, keepdims=True)
        probs[empty] = 1.0 / len(self.labels)
        return probs

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated class probabilities, one row per text."""
        features = self.features(texts)
        logits = np.asarray(features @ self.weights) + self.bias
        return self._calibrated(logits, np.diff(features.indptr) == 0)

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        """Predictions for many texts at once (faster per text than ``predict``)."""
        if not texts:
            return []
        return [
            self._prediction(text, row)
            for text, row in zip(texts, self.probabilities(texts), strict=True)
        ]

    def predict(self, text: str) -> Prediction:
        # One text: a dense dot product on its few columns beats building a sparse matrix.
        columns, values = self._encode(text)
        logits = (values @ self.weights[columns] + self.bias)[np.newaxis]
        return self._prediction(text, self._calibrated(logits, np.array([not len(columns)]))[0])

    def _prediction(self, text: str, row: np.ndarray) -> Prediction:
        uniform = row.max() - row.min() < 1e-9
        # With nothing to go on, say "other" (at 1/n confidence) rather than the first label.
        best = (
            self.labels.index("other") if uniform and "other" in self.labels else int(row.argmax())
        )
        return Prediction(
            category=self.labels[best],
            confidence=float(row[best]),
            probabilities={label: float(p) for label, p in zip(self.labels, row, strict=True)},
            language=detect_language(text),
        )


# --- training -------------------------------------------------------------------------------


def ordered_labels(categories: Iterable[str]) -> tuple[str, ...]:
    """The distinct categories: known labels in taxonomy order, then any others sorted."""
    present = set(categories)
    return tuple(label for label in LABELS if label in present) + tuple(
        sorted(present - set(LABELS))
    )


def _fit(
    texts: list[str], y: np.ndarray, config: TrainingConfig
) -> tuple[TfidfVectorizer, LinearSVC]:
    """TF-IDF over character n-grams and a one-vs-rest linear SVM (the most accurate linear model
    on the examples; its margins become probabilities through the fitted temperature)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vectorizer = TfidfVectorizer(
        analyzer=char_ngrams, sublinear_tf=True, min_df=config.min_df, dtype=np.float32
    )
    features = vectorizer.fit_transform(texts)
    estimator = LinearSVC(C=config.regularisation, random_state=config.seed)
    estimator.fit(features, y)
    return vectorizer, estimator


def _fold_logits(
    texts: list[str],
    y: np.ndarray,
    n_labels: int,
    config: TrainingConfig,
    progress: ProgressCallback,
    total: int,
) -> np.ndarray:
    """Out-of-fold logits: what the model says about examples it has not seen."""
    from sklearn.model_selection import StratifiedKFold

    smallest = int(np.bincount(y).min())
    folds = StratifiedKFold(
        n_splits=max(2, min(config.folds, smallest)), shuffle=True, random_state=config.seed
    )
    logits = np.full((len(texts), n_labels), -30.0)
    for step, (train_rows, test_rows) in enumerate(folds.split(texts, y), start=1):
        vectorizer, estimator = _fit([texts[i] for i in train_rows], y[train_rows], config)
        scores = estimator.decision_function(vectorizer.transform([texts[i] for i in test_rows]))
        logits[np.ix_(test_rows, estimator.classes_)] = _two_columns(scores)
        progress("calibrating", step, total)
    return logits


def _two_columns(scores: np.ndarray) -> np.ndarray:
    """Binary SVMs give one margin per row; as logits (0, margin) they softmax to a sigmoid."""
    if scores.ndim == 1:
        return np.column_stack([np.zeros_like(scores), scores])
    return scores


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The softmax temperature that minimises the negative log-likelihood of the true labels."""
    from scipy.optimize import minimize_scalar

    def nll(log_t: float) -> float:
        scaled = logits / np.exp(log_t)
        scaled -= scaled.max(axis=1, keepdims=True)
        log_probs = scaled - np.log(np.exp(scaled).sum(axis=1, keepdims=True))
        return float(-log_probs[np.arange(len(y)), y].mean())

    result = minimize_scalar(nll, bounds=(-3.0, 3.0), method="bounded")
    return float(np.exp(result.x))


def fingerprint(examples: Iterable[Example]) -> str:
    """A hash of the training data, so a model file says what it was built from."""
    digest = hashlib.sha256()
    for example in sorted((e.text, e.category) for e in examples):
        digest.update(json.dumps(example, ensure_ascii=False).encode())
    return digest.hexdigest()[:16]


def train(
    examples: Sequence[Example],
    *,
    config: TrainingConfig | None = None,
    progress: ProgressCallback | None = None,
) -> Model:
    """Train on labelled examples; deterministic for the same examples and config."""
    import sklearn

    config = config or TrainingConfig()
    report = progress or (lambda stage, done, total: None)
    labels = ordered_labels(e.category for e in examples)
    if len(labels) < 2:
        raise ValueError("training needs examples of at least two categories")
    texts = [e.text for e in examples]
    y = np.array([labels.index(e.category) for e in examples])
    total = min(config.folds, int(np.bincount(y).min())) + 1
    temperature = fit_temperature(_fold_logits(texts, y, len(labels), config, report, total), y)
    vectorizer, estimator = _fit(texts, y, config)
    report("fitting", total, total)
    vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
    binary = len(labels) == 2
    meta = {
        "format": FORMAT_VERSION,
        "ngram_range": list(NGRAM_RANGE),
        "max_chars": MAX_CHARS,
        "examples": len(examples),
        "per_label": {label: int(n) for label, n in zip(labels, np.bincount(y), strict=True)},
        "data_fingerprint": fingerprint(examples),
        "config": config.__dict__,
        "trained_with": f"scikit-learn {sklearn.__version__}",
    }
    return Model(
        labels=labels,
        vocabulary=vocabulary,
        idf=vectorizer.idf_,
        weights=_two_columns(estimator.coef_.T[:, 0]) if binary else estimator.coef_.T,
        bias=_two_columns(estimator.intercept_)[0] if binary else estimator.intercept_,
        temperature=temperature,
        meta=meta,
    )


# --- storage --------------------------------------------------------------------------------


def _npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def _model_arrays(model: Model) -> dict[str, np.ndarray]:
    header = {**model.meta, "labels": list(model.labels), "temperature": model.temperature}
    return {
        "meta": np.frombuffer(json.dumps(header, ensure_ascii=False).encode(), dtype=np.uint8),
        "vocabulary": np.array(model.vocabulary, dtype=str),
        "idf": model.idf,
        "weights": model.weights,
        "bias": model.bias,
    }


def save(model: Model, path: str | os.PathLike[str]) -> Path:
    """Write the model atomically: a reader sees the old file or the new one, never half of one."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w") as archive:
            for name, array in _model_arrays(model).items():
                info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, _npy_bytes(array), compresslevel=9)
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def load(path: str | os.PathLike[str]) -> Model:
    """Read a model written by ``save``; raises ValueError for anything else."""
    try:
        with np.load(path, allow_pickle=False) as arrays:
            return _model_from(arrays)
    except (KeyError, zipfile.BadZipFile, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"{path}: not a triage model ({error})") from error


def _model_from(arrays: np.lib.npyio.NpzFile) -> Model:
    header = json.loads(arrays["meta"].tobytes().decode())
    if header.get("format") != FORMAT_VERSION:
        raise ValueError(f"unsupported triage model format {header.get('format')!r}")
    # Features are computed by this module's code: a model built with other settings must be
    # rebuilt rather than silently fed different n-grams.
    if header.get("ngram_range") != list(NGRAM_RANGE) or header.get("max_chars") != MAX_CHARS:
        raise ValueError("triage model built with other feature settings; rebuild it")
    labels = header.pop("labels")
    temperature = header.pop("temperature")
    return Model(
        labels=labels,
        vocabulary=arrays["vocabulary"].tolist(),
        idf=arrays["idf"],
        weights=arrays["weights"],
        bias=arrays["bias"],
        temperature=temperature,
        meta=header,
    )


@cache
def load_default() -> Model:
    """The model shipped inside the package, loaded once per process."""
    return load(DEFAULT_MODEL_PATH)


_loaded: dict[str, tuple[tuple[int, int, int], Model]] = {}


def load_current(path: str | os.PathLike[str]) -> Model:
    """Load ``path``, reusing the loaded model until the file is replaced (e.g. by retraining).

    ``save`` replaces the file atomically, so a changed (inode, size, mtime) means a whole new
    model; checking costs one ``stat`` per call.
    """
    key = os.fspath(path)
    info = os.stat(key)
    stamp = (info.st_ino, info.st_size, info.st_mtime_ns)
    cached = _loaded.get(key)
    if cached is None or cached[0] != stamp:
        cached = (stamp, load(key))
        _loaded[key] = cached
    return cached[1]
