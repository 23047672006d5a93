"""``kefu triage train`` and ``kefu triage evaluate``.

    kefu triage train [--extra FILE.csv [--extra-split train]] [--output PATH] [--no-recategorised]
    kefu triage evaluate FILE.csv [--split test] [--model PATH|shipped|current] [--json]

``train`` learns from the project's examples, the agents' recategorisations (the organisation's
own tickets) and an optional labelled CSV, and writes the model atomically to
``KEFU_TRIAGE_MODEL`` (default ``DATA_DIR/triage-model.npz``); running servers pick the new file
up on their next message, without a restart. ``evaluate`` prints per-class precision, recall and
F1, macro-F1 and the confusion matrix, as a table or as JSON.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from kefu.triage.classifier import DEFAULT_MODEL_PATH, Model, load, load_default, save
from kefu.triage.config import model_path
from kefu.triage.store import current_model
from kefu.triage.training import evaluate, read_examples_csv
from kefu.triage.training_data import training_examples


class Command(BaseCommand):
    help = "Train the triage model or evaluate one on a labelled CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="Train and install a model (swapped atomically)")
        train.add_argument("--extra", help="a labelled CSV (text,category[,split]) to add")
        train.add_argument("--extra-split", help="only rows of this split of --extra")
        train.add_argument("--output", help=f"where to write it (default {model_path()})")
        train.add_argument(
            "--no-recategorised", action="store_true", help="leave out agents' recategorisations"
        )
        check = sub.add_parser("evaluate", help="Per-class P/R/F1, macro-F1, confusion matrix")
        check.add_argument("file")
        check.add_argument("--split", help="only rows of this split (e.g. test)")
        check.add_argument(
            "--model", default="current", help="a model file, 'shipped' or 'current' (default)"
        )
        check.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "train":
                self._train(options)
            else:
                self._evaluate(options)
        except (ValueError, OSError) as error:
            raise CommandError(str(error)) from error

    def _train(self, options: dict[str, Any]) -> None:
        extra = (
            read_examples_csv(options["extra"], split=options["extra_split"])
            if options["extra"]
            else []
        )
        examples, counts = training_examples(
            extra=extra, recategorised=not options["no_recategorised"]
        )
        self.stderr.write(
            "training on {project} project examples, {recategorised} recategorised tickets, "
            "{extra} extra rows".format(**counts)
        )
        output = Path(options["output"] or model_path())
        if output.resolve() == DEFAULT_MODEL_PATH.resolve():
            raise CommandError("the shipped model is rebuilt with python -m kefu.triage.training")
        model = _train_with_progress(examples, self.stderr)
        path = save(model, output)
        self.stdout.write(
            f"wrote {path} ({len(model.vocabulary):,} features, {len(model.labels)} labels, "
            f"{model.meta['examples']:,} examples)"
        )

    def _evaluate(self, options: dict[str, Any]) -> None:
        model = _model(options["model"])
        report = evaluate(model, read_examples_csv(options["file"], split=options["split"]))
        self.stdout.write(report.to_json() if options["json"] else report.as_table())


def _model(choice: str) -> Model:
    if choice == "shipped":
        return load_default()
    if choice == "current":
        return current_model()
    return load(choice)


def _train_with_progress(examples: list, stream: Any) -> Model:
    from kefu.triage.classifier import train

    with tqdm(desc="training", unit="step", file=stream) as bar:

        def progress(stage: str, done: int, total: int) -> None:
            bar.total = total
            bar.set_postfix_str(stage)
            bar.update(done - bar.n)

        return train(examples, progress=progress)
