"""The default QA rubric (admins edit it): the charter's points of a good answer."""

from django.db import migrations

CRITERIA = [
    ("greeting", "Greeting and courtesy phrases", "问候与礼貌用语",
     "Greets, uses courtesy phrases, closes politely.", "问候、使用礼貌用语、礼貌结束。", 10),
    ("accuracy", "Accuracy", "准确性", "The information given is correct and complete.",
     "提供的信息正确且完整。", 25),
    ("resolution", "Resolution", "问题解决", "The problem was solved or correctly routed.",
     "问题已解决或已正确转交。", 25),
    ("tone", "Tone", "语气", "Calm, respectful, empathetic.", "冷静、尊重、有同理心。", 15),
    ("compliance", "Compliance", "合规",
     "Never asked for a password, PIN or code; masked data kept masked.",
     "从不索要密码、PIN 或验证码；脱敏数据保持脱敏。", 25),
]


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    rubric_model = apps.get_model("escalation", "QaRubric")
    criterion = apps.get_model("escalation", "QaCriterion")
    rubric = rubric_model.objects.create(code="default", name_en="Default scorecard",
                                         name_zh="默认评分表", is_active=True)
    for order, (code, en, zh, den, dzh, points) in enumerate(CRITERIA):
        criterion.objects.create(rubric=rubric, code=code, name_en=en, name_zh=zh,
                                 description_en=den, description_zh=dzh, max_points=points,
                                 order=order)


class Migration(migrations.Migration):
    dependencies = [("escalation", "0005_qarubric_qasettings_qareview_acknowledged_at_and_more")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
