from django.db import migrations

# The charter's high-priority classes reach an expert within 2 hours whatever their priority:
# the triage rules tag them (priority high), and these policies select them by that tag. The tag
# is support's own (customers' labels are kept apart), so an agent who recognises a class the
# rules missed tags it by hand. One criterion, like the "urgent" policy and at its order, so
# chat and phone keep their minute targets and email's 1 working day gives way.
# (code, English, Chinese, tag)
EXPERT_CLASSES = [
    ("expert-account-flagged", "Account wrongly flagged: an expert within 2 hours",
     "账号被误判：2 小时内专家介入", "account-flagged"),
    ("expert-traffic-drop", "Traffic collapse during a promotion: an expert within 2 hours",
     "大促期间流量暴跌：2 小时内专家介入", "traffic-drop"),
    ("expert-label-printing", "Batch label printing failure: an expert within 2 hours",
     "批量打印面单失败：2 小时内专家介入", "label-printing"),
]  # fmt: skip


def seed(apps, schema_editor):
    SlaPolicy = apps.get_model("sla", "SlaPolicy")
    calendar = apps.get_model("sla", "BusinessCalendar").objects.get(code="cn-standard")
    for code, name_en, name_zh, tag in EXPERT_CLASSES:
        SlaPolicy.objects.get_or_create(
            code=code,
            defaults={
                "name_en": name_en,
                "name_zh": name_zh,
                "order": 150,
                "tag": tag,
                "first_response": "2h",
                "calendar": calendar,
                "pause_statuses": ["pending_customer"],
                "warn_share": 0.75,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("sla", "0004_deposit_policy")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
