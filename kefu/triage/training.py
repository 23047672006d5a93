"""Labelled examples, evaluation reports, and the command that rebuilds the shipped model.

Rebuild the shipped model (deterministic; prints the held-out reports):
    .venv/bin/python -m kefu.triage.training build
Train with extra labelled rows into another file (the shipped model never includes them):
    .venv/bin/python -m kefu.triage.training build --extra FILE.csv [--extra-split train] --output M
Evaluate a model on any labelled CSV (columns ``text,category`` and optionally ``split``):
    .venv/bin/python -m kefu.triage.training evaluate FILE.csv [--split test] [--model PATH]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from kefu.triage.classifier import (
    DEFAULT_MODEL_PATH,
    Example,
    Model,
    ProgressCallback,
    load,
    ordered_labels,
    save,
    train,
)

DATA_DIR = Path(__file__).parent / "data"
CALIBRATION_BINS = 10


def read_examples_csv(path: str | os.PathLike[str], *, split: str | None = None) -> list[Example]:
    """Labelled rows from a CSV with ``text`` and ``category`` (``lang``, ``split`` optional).

    ``split`` keeps only rows of that split. Raises ValueError naming the row for a bad row.
    """
    examples = []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"text", "category"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        for line, row in enumerate(reader, start=2):
            text, category = (row.get("text") or "").strip(), (row.get("category") or "").strip()
            if not text or not category:
                raise ValueError(f"{path}:{line}: text and category must not be empty")
            example = Example(text, category, row.get("lang") or "", row.get("split") or "")
            if split is None or example.split == split:
                examples.append(example)
    return examples


def project_examples(split: str | None = "train") -> list[Example]:
    """Kefu's own Chinese and English examples; ``heldout`` rows are never trained on."""
    return [
        example
        for path in sorted(DATA_DIR.glob("*.csv"))
        for example in read_examples_csv(path, split=split)
    ]


def build_default_model(
    extra: Sequence[Example] = (), *, progress: ProgressCallback | None = None
) -> Model:
    """The shipped model: trained on the project's training examples (plus ``extra``)."""
    return train([*project_examples("train"), *extra], progress=progress)


# --- evaluation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassScores:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class CalibrationBin:
    low: float
    high: float
    count: int
    mean_confidence: float
    accuracy: float


@dataclass(frozen=True)
class Report:
    """How a model did on labelled examples.

    Macro-F1 averages the labels that occur in the examples: an evaluation set without, say,
    integration questions says nothing about that class, but predicting it wrongly still
    lowers the recall of the true class. ``labels`` (the confusion matrix axes) also include
    labels that were only predicted.
    """

    n: int
    accuracy: float
    macro_f1: float
    per_class: tuple[ClassScores, ...]
    labels: tuple[str, ...]
    confusion: tuple[tuple[int, ...], ...]  # rows: true label, columns: predicted label
    expected_calibration_error: float
    calibration: tuple[CalibrationBin, ...]

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def as_table(self) -> str:
        return "\n".join(
            [*self._score_lines(), "", *self._confusion_lines(), "", *self._bin_lines()]
        )

    def _score_lines(self) -> list[str]:
        width = max(len(label) for label in self.labels)
        lines = [f"{'label':<{width}}  precision  recall     f1  support"]
        for s in self.per_class:
            scores = f"{s.precision:9.3f}  {s.recall:6.3f}  {s.f1:5.3f}  {s.support:7d}"
            lines.append(f"{s.label:<{width}}  {scores}")
        scored = sum(1 for s in self.per_class if s.support)
        lines.append(
            f"macro-F1 {self.macro_f1:.3f} over {scored} labels · accuracy {self.accuracy:.3f}"
            f" · n={self.n}"
        )
        return lines

    def _confusion_lines(self) -> list[str]:
        width = max(len(label) for label in self.labels) + 5
        header = "".join(f"{i:>5}" for i in range(len(self.labels)))
        lines = ["confusion (rows true, columns predicted)", f"{'':<{width}}{header}"]
        for i, (label, row) in enumerate(zip(self.labels, self.confusion, strict=True)):
            cells = "".join(f"{count:>5}" for count in row)
            lines.append(f"{f'{i:>2} {label}':<{width}}{cells}")
        return lines

    def _bin_lines(self) -> list[str]:
        lines = [
            f"calibration: expected calibration error {self.expected_calibration_error:.3f}",
            "confidence     n  mean conf  accuracy",
        ]
        for b in self.calibration:
            row = f"{b.count:5d}  {b.mean_confidence:9.3f}  {b.accuracy:8.3f}"
            lines.append(f"{b.low:.1f}-{b.high:.1f}  {row}")
        return lines


def _calibration(confidence: np.ndarray, correct: np.ndarray) -> tuple[float, list[CalibrationBin]]:
    edges = np.linspace(0.0, 1.0, CALIBRATION_BINS + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, CALIBRATION_BINS - 1)
    bins, error = [], 0.0
    for i in range(CALIBRATION_BINS):
        members = which == i
        if not members.any():
            continue
        mean_conf, accuracy = float(confidence[members].mean()), float(correct[members].mean())
        error += members.mean() * abs(mean_conf - accuracy)
        bins.append(CalibrationBin(edges[i], edges[i + 1], int(members.sum()), mean_conf, accuracy))
    return float(error), bins


def evaluate(model: Model, examples: Sequence[Example]) -> Report:
    """Per-class precision/recall/F1, macro-F1, confusion matrix and calibration."""
    from sklearn.metrics import precision_recall_fscore_support

    if not examples:
        raise ValueError("evaluation needs at least one example")
    probabilities = model.probabilities([e.text for e in examples])
    truth = [e.category for e in examples]
    predicted = [model.labels[i] for i in probabilities.argmax(axis=1)]
    labels = ordered_labels([*truth, *predicted])
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=list(labels), zero_division=0
    )
    per_class = tuple(
        ClassScores(label, float(p), float(r), float(f), int(s))
        for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
    )
    correct = np.array(truth) == np.array(predicted)
    error, bins = _calibration(probabilities.max(axis=1), correct)
    position = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=int)
    np.add.at(matrix, ([position[t] for t in truth], [position[p] for p in predicted]), 1)
    return Report(
        n=len(examples),
        accuracy=float(correct.mean()),
        macro_f1=float(np.mean([s.f1 for s in per_class if s.support])),
        per_class=per_class,
        labels=labels,
        confusion=tuple(tuple(int(c) for c in row) for row in matrix),
        expected_calibration_error=error,
        calibration=tuple(bins),
    )


# --- command line ---------------------------------------------------------------------------


def _print_progress(stage: str, done: int, total: int) -> None:
    print(f"  {stage}: {done}/{total}", file=sys.stderr)


def _build(args: argparse.Namespace) -> None:
    extra = read_examples_csv(args.extra, split=args.extra_split) if args.extra else []
    if extra and Path(args.output).resolve() == DEFAULT_MODEL_PATH.resolve():
        raise SystemExit(
            "--extra needs --output: the shipped model is built from the examples only"
        )
    model = build_default_model(extra, progress=_print_progress)
    path = save(model, args.output)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB, {len(model.vocabulary)} features)")
    heldout = project_examples("heldout")
    for lang in sorted({e.lang for e in heldout}):
        print(f"\n== held-out examples, lang={lang}")
        print(evaluate(model, [e for e in heldout if e.lang == lang]).as_table())


def _evaluate(args: argparse.Namespace) -> None:
    model = load(args.model)
    report = evaluate(model, read_examples_csv(args.file, split=args.split))
    print(report.to_json() if args.json else report.as_table())


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m kefu.triage.training")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="rebuild the shipped model from the examples")
    build.add_argument("--output", default=DEFAULT_MODEL_PATH)
    build.add_argument("--extra", help="a labelled CSV to train on as well")
    build.add_argument("--extra-split", help="only rows of this split of --extra")
    build.set_defaults(run=_build)
    check = commands.add_parser("evaluate", help="score a model on a labelled CSV")
    check.add_argument("file")
    check.add_argument("--split", default=None, help="only rows of this split")
    check.add_argument("--model", default=DEFAULT_MODEL_PATH)
    check.add_argument("--json", action="store_true")
    check.set_defaults(run=_evaluate)
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
