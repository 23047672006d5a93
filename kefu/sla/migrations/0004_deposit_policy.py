"""Merchant deposit problems (tagged ``deposit`` by the DEPOSIT-FUNDS triage rule) are funds
problems: solved within 48 hours like the urgent ones of the ``funds`` policy, but without the
urgent track, which the charter keeps for high-value orders and its high-priority classes."""

from django.db import migrations


def seed(apps, schema_editor):
    SlaPolicy = apps.get_model("sla", "SlaPolicy")
    BusinessCalendar = apps.get_model("sla", "BusinessCalendar")
    SlaPolicy.objects.get_or_create(
        code="deposit",
        defaults={
            "name_en": "Merchant deposit problems: solved within 48 hours",
            "name_zh": "保证金问题：48 小时内解决",
            "order": 55,
            "calendar": BusinessCalendar.objects.get(code="always"),
            "pause_statuses": ["pending_customer"],
            "warn_share": 0.75,
            "tag": "deposit",
            "resolution": "48h",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("sla", "0003_seed_policies")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
