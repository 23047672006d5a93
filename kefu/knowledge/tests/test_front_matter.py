"""The front-matter parser reads the README grammar and rejects everything else (pure)."""

from pathlib import Path

import pytest

from kefu.knowledge.frontmatter import FrontMatterError, parse, read, read_directory

GOOD = """---
slug: card-declined
title: Why was my card declined?
category: payment_billing
keywords: [card declined, 支付失败, Visa]
---
Body **here**.
"""


def test_a_well_formed_file_is_split_into_meta_and_body():
    article = parse(GOOD)
    assert article.slug == "card-declined"
    assert article.title == "Why was my card declined?"
    assert article.category == "payment_billing"
    assert article.keywords == ["card declined", "支付失败", "Visa"]
    assert article.body == "Body **here**.\n"


@pytest.mark.parametrize(
    ("broken", "problem"),
    [
        (GOOD.replace("---\nslug", "slug", 1), "fenced"),
        (GOOD.replace("title: ", "title:"), "bad front-matter line"),
        (GOOD.replace("category: payment_billing\n", ""), "keys must be"),
        (GOOD.replace("category: payment_billing", "category: a\ncategory: b"), "duplicate"),
        (GOOD.replace("Why was my card declined?", "Why: declined?"), "not a plain YAML value"),
        (GOOD.replace("Why was my card declined?", "'quoted'"), "not a plain YAML value"),
        (GOOD.replace("[card declined, 支付失败, Visa]", "card declined"), "keywords must be"),
        (GOOD.replace("支付失败", "{x}"), "bad keyword"),
        (GOOD.replace("Visa]", "]"), "bad keyword"),
        (GOOD.replace("title: Why was my card declined?", "title:  padded"), "padded"),
    ],
)
def test_broken_front_matter_is_rejected_with_the_reason(broken, problem):
    with pytest.raises(FrontMatterError, match=problem):
        parse(broken, "x.md")


def test_reading_a_file_checks_the_slug_against_the_file_name(tmp_path: Path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "card-declined.md").write_text(GOOD, encoding="utf-8")
    assert [(lang, a.slug) for lang, a in read_directory(tmp_path, ("en",))] == [
        ("en", "card-declined")
    ]
    (tmp_path / "en" / "other-name.md").write_text(GOOD, encoding="utf-8")
    with pytest.raises(FrontMatterError, match="must equal the file name"):
        read(tmp_path / "en" / "other-name.md")
    (tmp_path / "en" / "Bad_Slug.md").write_text(GOOD.replace("card-declined", "Bad_Slug"))
    with pytest.raises(FrontMatterError, match="bad slug"):
        read(tmp_path / "en" / "Bad_Slug.md")
