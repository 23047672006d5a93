"""A frozen or deducted merchant deposit (保证金) is a funds problem answered within 48 hours, not
an urgent case: URGENT-FUND stops matching deposits and DEPOSIT-FUNDS files them under billing at
high priority. An URGENT-FUND an admin has edited since it was shipped is left as it is."""

from django.db import migrations
from django.utils import timezone

from kefu.triage.rules import default_rules

SHIPPED_BEFORE = [
    "(保证金|货款|结算款|资金|余额|回款)[^。！？\\n]{0,6}冻结",
    "\\b(funds?|payouts?|settlements?|deposits?|balance|escrow)\\b[^.!?\\n]{0,40}\\b(frozen|froze|"
    "on hold|withheld|not (been )?released)\\b",
    "\\b(frozen|withheld)\\s+(funds?|payouts?|settlements?|deposits?)\\b",
]
RULE_FIELDS = ("name_en", "name_zh", "stage", "order", "enabled", "stop", "conditions", "effects")


def forward(apps, schema_editor):
    TriageRule = apps.get_model("triage", "TriageRule")
    shipped = {rule["code"]: rule for rule in default_rules()}
    fund = TriageRule.objects.filter(code="URGENT-FUND").first()
    if fund is not None and fund.conditions.get("patterns_any") == SHIPPED_BEFORE:
        patterns = shipped["URGENT-FUND"]["conditions"]["patterns_any"]
        fund.conditions = {**fund.conditions, "patterns_any": patterns}
        fund.updated_at = timezone.now()  # the rule cache compares it (``triage.store``)
        fund.save(update_fields=["conditions", "updated_at"])
    deposit = shipped["DEPOSIT-FUNDS"]
    TriageRule.objects.get_or_create(
        code=deposit["code"], defaults={name: deposit[name] for name in RULE_FIELDS if name in deposit}
    )


class Migration(migrations.Migration):
    dependencies = [("triage", "0004_recategorisation_labels")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
