"""Knowledge-base search accuracy and bot answer latency, on a fresh database.

    .venv/bin/python bench/kb.py                    # SQLite (a new file in a temp directory)
    .venv/bin/python bench/kb.py --db postgres      # PostgreSQL (creates and drops kefu_bench_kb,
                                                    # or --pg-name)
    .venv/bin/python bench/kb.py --misses           # also list the questions top-1 got wrong

Each question of bench/data/kb_questions.csv (customer-style, zh and en) names the article that
answers it. The questions go through ``search_articles`` in their language against the shipped
articles, loaded by the migrations as in production; top-1 and top-3 accuracy are printed per
language and overall (target: top-3 ≥ 0.9). The questions of the ten other languages
(bench/data/kb_questions_<lang>.csv) go through ``search_articles`` in the language the bot
detects (``kefu.lib.language``): top-1/top-3 per language, and how often detection was right.
Then every question goes through the bot (``bot.reply`` on a fresh conversation, language
detection included): latency p50/p95/p99 (target: p95 ≤ 200 ms), what it decided, and how
many of its confident answers named the expected article in the question's language.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "bench" / "data" / "kb_questions.csv"
MORE_QUESTIONS = "kb_questions_*.csv"  # one file per added language
BENCH_DB = "kefu_bench_kb"
# Run as a script, Python puts bench/ first on the path, where a sibling named like a standard
# module (bench/email.py) would shadow it; the project root replaces it.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench.common import percentile, scratch_postgres


@contextmanager
def fresh_database(kind: str, pg_url: str, pg_name: str = BENCH_DB) -> Iterator[None]:
    """Point Django at an empty database for the duration (before ``django.setup()``)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "kefu.settings"
    os.environ.pop("KEFU_DATABASE_URL", None)
    with tempfile.TemporaryDirectory(prefix="kefu-bench-kb-") as data_dir:
        os.environ["KEFU_DATA_DIR"] = data_dir
        if kind == "sqlite":
            yield
            return
        with scratch_postgres(pg_url, pg_name) as url:
            os.environ["KEFU_DATABASE_URL"] = url
            try:
                yield
            finally:
                from django.db import connections

                connections.close_all()


def questions(path: Path = QUESTIONS) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def more_questions() -> list[dict[str, str]]:
    """The questions of the added languages, from whichever of their files exist."""
    return [
        row for path in sorted(QUESTIONS.parent.glob(MORE_QUESTIONS)) for row in questions(path)
    ]


Counts = dict[str, tuple[int, int, int, int]]


def accuracy(rows: list[dict[str, str]], show_misses: bool, detected: bool = False) -> Counts:
    """Per language and overall: (questions, right at top 1, right in top 3, language detected
    right). ``detected``: search in the language the bot detects, else in the row's."""
    from kefu.knowledge.search import search_articles
    from kefu.lib.language import detect

    totals: dict[str, list[int]] = {}
    for row in rows:
        lang = (detect(row["question"]) or "zh") if detected else row["lang"]
        hits = search_articles(row["question"], lang, 3)
        slugs = [hit.article.slug for hit in hits if hit.article.language == row["lang"]]
        top1, top3 = slugs[:1] == [row["expected_slug"]], row["expected_slug"] in slugs
        for key in (row["lang"], "all"):
            counts = totals.setdefault(key, [0, 0, 0, 0])
            counts[0] += 1
            counts[1] += top1
            counts[2] += top3
            counts[3] += lang == row["lang"]
        if show_misses and not top1:
            want = row["expected_slug"]
            print(f"  miss [{row['lang']}] {row['question']!r}: want {want}, got {slugs}")
    return {key: (n, a, b, d) for key, (n, a, b, d) in totals.items()}


def bot_run(rows: list[dict[str, str]], rounds: int) -> tuple[list[float], Counter[str], int]:
    """Latencies of ``bot.reply`` on a fresh conversation per question (ms), what it decided
    in the first round, and how many of its answers were the expected article."""
    from kefu.knowledge import bot

    for row in rows[:20]:
        bot.reply([], row["question"])  # warm the index, the models and the regexes
    timings, decisions, right = [], Counter[str](), 0
    for round_number in range(rounds):
        for row in rows:
            start = time.perf_counter_ns()
            reply = bot.reply([], row["question"])
            timings.append((time.perf_counter_ns() - start) / 1e6)
            if round_number == 0:
                handoff = reply.handoff
                decisions[f"handoff:{handoff.reason.value}" if handoff else reply.kind] += 1
                expected = (row["expected_slug"], row["lang"])
                right += reply.kind == "answer" and (
                    (reply.articles[0].slug, reply.articles[0].language) == expected
                )
    return timings, decisions, right


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--pg-name", default=BENCH_DB, help="scratch database (made, dropped)")
    parser.add_argument("--rounds", type=int, default=3, help="bot passes over the questions")
    parser.add_argument("--misses", action="store_true", help="list top-1 misses")
    parser.add_argument("--no-bot", action="store_true", help="search accuracy only")
    args = parser.parse_args()
    with fresh_database(args.db, args.pg_url, args.pg_name):
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        rows, more = questions(), more_questions()
        print_table(connection, accuracy(rows, args.misses), ("zh", "en", "all"))
        if more:
            print("\nAdded languages, searched in the detected language")
            more_results = accuracy(more, args.misses, detected=True)
            print_table(connection, more_results, (*sorted({r["lang"] for r in more}), "all"))
        if not args.no_bot:
            print("\nzh and en questions")
            print_bot(*bot_run(rows, args.rounds))
            if more:
                print("\nAdded-language questions")
                print_bot(*bot_run(more, args.rounds))


def print_table(connection: Any, results: Counts, keys: tuple[str, ...]) -> None:
    if connection.vendor == "postgresql":
        number = connection.cursor().connection.info.server_version  # e.g. 150020
        version = f"{number // 10000}.{number % 10000}"
    else:
        version = connection.Database.sqlite_version
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nKnowledge-base search on {connection.vendor} {version} (load average {load})")
    print(f"{'language':<10}{'questions':>10}{'top-1':>9}{'top-3':>9}{'detected':>10}")
    for key in keys:
        n, top1, top3, detected = results.get(key, (0, 0, 0, 0))
        shares = (value / max(n, 1) for value in (top1, top3, detected))
        print(
            f"{key:<10}{n:>10}"
            + "".join(f"{s:>{w}.3f}" for s, w in zip(shares, (9, 9, 10), strict=True))
        )


def print_bot(timings: list[float], decisions: Counter[str], right: int) -> None:
    print(f"\nBot answer latency over {len(timings)} replies (ms)")
    print(f"{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}")
    print("".join(f"{percentile(timings, s):>8.1f}" for s in (0.5, 0.95, 0.99, 1.0)))
    answered = decisions.get("answer", 0)
    shares = ", ".join(f"{kind} {n}" for kind, n in decisions.most_common())
    print(f"\nBot decisions on the questions: {shares}")
    print(f"answers naming the expected article: {right} of {answered}")


if __name__ == "__main__":
    main()
