"""What ``kefu triage train`` learns from: the project's examples, the agents' recategorisations
and any extra labelled rows."""

from __future__ import annotations

from collections.abc import Sequence

from kefu.triage.classifier import Example
from kefu.triage.models import Recategorisation
from kefu.triage.training import project_examples


def recategorised_examples() -> list[Example]:
    """One example per ticket: the category an agent set last (earlier changes were undone)."""
    latest: dict[int | None, Example] = {}
    rows = Recategorisation.objects.order_by("created_at", "id").values_list(
        "ticket_id", "pk", "text", "new_category"
    )
    for ticket_id, pk, text, category in rows:
        if text.strip():
            latest[ticket_id if ticket_id is not None else -pk] = Example(text, category)
    return list(latest.values())


def training_examples(
    *, extra: Sequence[Example] = (), recategorised: bool = True
) -> tuple[list[Example], dict[str, int]]:
    """The examples and how many came from each source."""
    project = project_examples("train")
    learned = recategorised_examples() if recategorised else []
    counts = {"project": len(project), "recategorised": len(learned), "extra": len(extra)}
    return [*project, *learned, *extra], counts
