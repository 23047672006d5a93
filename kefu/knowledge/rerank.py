"""Re-ranking by character n-gram TF-IDF cosine similarity (pure: no Django).

Customers rarely use an article's words: "my visa got rejected" means "card payment declined".
Character n-grams (inside words; a Chinese clause is one "word") match inflections, typos and
Chinese without segmentation, and weigh rare, telling fragments above common ones. Each field
has its own vectoriser, so a hit in the title or the keywords counts for more than one in the
body: the score is a weighted sum of the per-field cosines.

Each language group has its own vectorisers, so the articles of one language do not move the
term weights, and so the ranking, of another: the Chinese and English base (one group, as
customers mix the two) ranks the same whatever is translated into the ten other languages.

An index is immutable and built from all published articles; callers cache it per process and
rebuild it when the articles change (see ``search.py``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from kefu.knowledge.text import fold

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

NGRAM_RANGE = (1, 3)
# Share of each field in the similarity; they sum to 1 so scores stay in [0, 1].
FIELD_WEIGHTS = {"title": 0.3, "keywords": 0.4, "body": 0.3}
SHARED_GROUP = frozenset({"zh", "en"})


def group_of(language: str) -> str:
    """The vectoriser group of a language: Chinese and English share one, others have their own."""
    return "zh-en" if language in SHARED_GROUP else language


@dataclass(frozen=True)
class Document:
    id: int
    language: str
    title: str
    keywords: str
    body: str  # plain text, not Markdown


def _vectoriser() -> TfidfVectorizer:
    # Imported when the first index is built, not with the module: scikit-learn (with SciPy's
    # statistics) costs every `kefu` process about half a second to import, and most never search.
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=NGRAM_RANGE,
        preprocessor=fold,
        sublinear_tf=True,
        dtype=np.float32,
    )


class _FieldMatrices:
    """Per-field TF-IDF matrices over one group's documents."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self.fields = {}
        for name in FIELD_WEIGHTS:
            texts = [getattr(d, name) for d in documents]
            vectoriser = _vectoriser()
            matrix = vectoriser.fit_transform(texts) if any(texts) else None
            self.fields[name] = (vectoriser, matrix)

    def similarities(self, query: str, size: int) -> np.ndarray:
        total = np.zeros(size, dtype=np.float32)
        for name, (vectoriser, matrix) in self.fields.items():
            if matrix is None:
                continue
            vector = vectoriser.transform([query])
            total += FIELD_WEIGHTS[name] * np.asarray((matrix @ vector.T).todense()).ravel()
        return total


class ArticleIndex:
    """Per-field TF-IDF matrices over a fixed set of documents, per language group."""

    def __init__(self, documents: Sequence[Document]) -> None:
        documents = sorted(documents, key=lambda d: group_of(d.language))  # stable: groups
        self.ids = np.array([d.id for d in documents], dtype=np.int64)
        self.languages = np.array([d.language for d in documents])
        self.texts = {
            d.id: (d.language, fold(f"{d.title} {d.keywords} {d.body}")) for d in documents
        }
        self.term_weight = lru_cache(maxsize=4096)(self._term_weight)
        self.document_count = lru_cache(maxsize=4096)(self._document_count)
        self.groups: dict[str, tuple[slice, _FieldMatrices]] = {}
        start = 0
        for group in dict.fromkeys(group_of(d.language) for d in documents):
            members = [d for d in documents if group_of(d.language) == group]
            self.groups[group] = (slice(start, start + len(members)), _FieldMatrices(members))
            start += len(members)

    def __len__(self) -> int:
        return len(self.ids)

    def similarities(self, query: str, language: str | None = None) -> np.ndarray:
        """Weighted cosine similarity of ``query`` to every document (of ``language``'s group
        only, if given; the others score 0), in [0, 1]."""
        total = np.zeros(len(self.ids), dtype=np.float32)
        for group, (where, matrices) in self.groups.items():
            if language is None or group == group_of(language):
                total[where] = matrices.similarities(query, where.stop - where.start)
        return total

    def scores(self, query: str, language: str | None = None, limit: int = 20) -> dict[int, float]:
        """The ``limit`` most similar documents (in ``language`` if given): id → similarity."""
        if not len(self.ids) or not query.strip():
            return {}
        similarity = self.similarities(query, language)
        if language is not None:
            similarity = np.where(self.languages == language, similarity, 0.0)
        order = np.argsort(-similarity, kind="stable")[:limit]
        return {int(self.ids[i]): float(similarity[i]) for i in order if similarity[i] > 0}

    def _document_count(self, term: str, language: str | None = None) -> int:
        """How many documents (in ``language``) contain ``term``, folded, in any field."""
        return sum(term in text for lang, text in self.texts.values() if language in (None, lang))

    def _term_weight(self, term: str, language: str | None = None) -> float:
        """Inverse document frequency of ``term`` among the documents (in ``language``)."""
        total = sum(language in (None, lang) for lang, _text in self.texts.values())
        return math.log((total + 1) / (self.document_count(term, language) + 1)) + 1

    def coverage(self, terms: Sequence[str], document_id: int) -> float:
        """The IDF-weighted share of ``terms`` that the document contains, in [0, 1].

        Similarity alone cannot tell "this article answers it" from "this is the least unrelated
        article": an off-topic question still has a best match. Coverage can; words found in no
        article at all ("weather", "红烧肉") weigh most and pull it down.
        """
        language, text = self.texts.get(document_id, ("", ""))
        weights = {term: self.term_weight(term, language) for term in terms}
        total = sum(weights.values())
        return sum(w for term, w in weights.items() if term in text) / total if total else 0.0
