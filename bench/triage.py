"""Triage classification speed: latency per message and throughput, one process on one core.

    .venv/bin/python bench/triage.py [--rounds 5] [--batch 256]

Messages are the held-out zh/en examples (chat-length) plus email-length texts made by joining
several examples. The model is loaded once, as a server process does. "classify" is
``Model.predict`` (features, linear scores, calibrated probabilities, language); "triage" adds
error-code extraction and both rule stages with the shipped rules, i.e. the whole pure step the
intake pipeline runs per message.
"""

from __future__ import annotations

import os

# One core: pin the process and keep numpy's BLAS to one thread (must precede the numpy import).
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import argparse  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kefu.triage.classifier import Model, load_default  # noqa: E402
from kefu.triage.errorcodes import extract_error_code  # noqa: E402
from kefu.triage.rules import (  # noqa: E402
    Rule,
    RuleContext,
    apply_rules,
    default_rules,
    load_rules,
)
from kefu.triage.training import project_examples  # noqa: E402


def corpus(seed: int = 0) -> list[str]:
    texts = [e.text for e in project_examples("heldout")]
    rng = random.Random(seed)
    # Email-length texts, 200 to ~3,000 characters (the model reads the first 1,500).
    emails = ["\n\n".join(rng.sample(texts, rng.randint(6, 80))) for _ in range(len(texts) // 4)]
    return texts + emails


def triage_step(model: Model, rules: Sequence[Rule], text: str) -> None:
    context = RuleContext(text=text, channel="email", error_code=extract_error_code(text))
    before = apply_rules(rules, context, "before")
    prediction = model.predict(text)
    category = before.category or prediction.category
    after = apply_rules(rules, RuleContext(text=text, category=category), "after")
    before.merge(after)


def latencies(
    step: Callable[[str], object], texts: Sequence[str], rounds: int
) -> tuple[list[float], float]:
    """Wall-clock milliseconds per call, and the CPU seconds all calls used."""
    for text in texts[:50]:
        step(text)  # warm caches (regexes, numpy code paths)
    timings = []
    cpu_start = time.thread_time()
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter_ns()
            step(text)
            timings.append((time.perf_counter_ns() - start) / 1e6)
    return timings, time.thread_time() - cpu_start


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def row(name: str, measured: tuple[list[float], float]) -> str:
    timings, cpu_seconds = measured
    wall_rate = len(timings) / (sum(timings) / 1000)
    cells = [percentile(timings, q) for q in (0.5, 0.95, 0.99)] + [max(timings)]
    rates = f"{wall_rate:>11,.0f}{len(timings) / cpu_seconds:>11,.0f}"
    return f"{name:<28}{len(timings):>7}" + "".join(f"{c:>8.3f}" for c in cells) + rates


def batch_throughput(model: Model, texts: Sequence[str], batch: int, rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for i in range(0, len(texts), batch):
            model.predict_many(texts[i : i + batch])
    return rounds * len(texts) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=256)
    args = parser.parse_args()
    print(f"load average before the run: {os.getloadavg()[0]:.2f} (other processes share the CPU)")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    start = time.perf_counter()
    model = load_default()
    load_ms = (time.perf_counter() - start) * 1000
    rules = load_rules(default_rules())
    texts = corpus()
    chars = sorted(len(t) for t in texts)
    short = [t for t in texts if len(t) <= 200]
    long = [t for t in texts if len(t) > 200]

    size = f"{len(model.vocabulary):,} features, {len(model.labels)} labels"
    print(f"model: {size}, loaded in {load_ms:.0f} ms")
    print(f"messages: {len(texts)} (median {chars[len(chars) // 2]} chars, max {chars[-1]})")
    columns = "".join(f"{c:>8}" for c in ("p50", "p95", "p99", "max"))
    print(f"\n{'wall ms per message':<28}{'n':>7}{columns}{'msgs/s':>11}{'msgs/cpu-s':>11}")
    print(row("classify, all", latencies(model.predict, texts, args.rounds)))
    print(row("classify, chat <=200 chars", latencies(model.predict, short, args.rounds)))
    print(row("classify, email >200 chars", latencies(model.predict, long, args.rounds)))
    print(
        row(
            "triage step, all",
            latencies(lambda t: triage_step(model, rules, t), texts, args.rounds),
        )
    )
    batched = batch_throughput(model, texts, args.batch, args.rounds)
    print(f"\npredict_many, batches of {args.batch}: {batched:,.0f} msgs/s")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak_mb:.0f} MB · one core: CPU {sorted(os.sched_getaffinity(0))}")


if __name__ == "__main__":
    main()
