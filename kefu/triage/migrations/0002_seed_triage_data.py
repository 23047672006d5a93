from django.db import migrations

from kefu.triage.evidence import default_requirements
from kefu.triage.rules import default_rules

# Category → skills an agent may list to take its tickets (admin-editable afterwards).
CATEGORY_SKILLS = {
    "account_access": ["account_access", "accounts", "qualification", "security"],
    "order_trade": ["order_trade", "orders", "trade"],
    "payment_billing": ["payment_billing", "payments", "billing", "invoices", "funds"],
    "shipment_logistics": ["shipment_logistics", "logistics", "shipping", "customs"],
    "after_sales": ["after_sales", "after-sales", "disputes", "refunds"],
    "product_merchant": ["product_merchant", "merchants", "products"],
    "integration_tech": ["integration_tech", "integration", "api", "webhooks"],
    "other": [],
}
RULE_FIELDS = ("name_en", "name_zh", "stage", "order", "enabled", "stop", "conditions", "effects")


def seed(apps, schema_editor):
    TriageRule = apps.get_model("triage", "TriageRule")
    EvidenceRequirement = apps.get_model("triage", "EvidenceRequirement")
    for rule in default_rules():
        defaults = {name: rule[name] for name in RULE_FIELDS if name in rule}
        TriageRule.objects.get_or_create(code=rule["code"], defaults=defaults)
    Category = apps.get_model("tickets", "Category")
    CategorySkills = apps.get_model("triage", "CategorySkills")
    for category in Category.objects.filter(code__in=CATEGORY_SKILLS):
        CategorySkills.objects.get_or_create(
            category=category, defaults={"skills": CATEGORY_SKILLS[category.code]}
        )
    for requirement in default_requirements():
        fields = dict(requirement)
        EvidenceRequirement.objects.get_or_create(code=fields.pop("code"), defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("triage", "0001_initial"), ("tickets", "0002_seed_categories")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
