from django.db import migrations

# The DESIGN.md taxonomy: (code, English, Chinese, default team). Admin-editable afterwards.
CATEGORIES = [
    ("account_access", "Account & access / qualification", "账号与权限/资质", "account-access"),
    ("order_trade", "Trade & orders", "交易与订单", "orders"),
    ("payment_billing", "Payment, billing & invoices", "支付与账单/发票", "billing"),
    ("shipment_logistics", "Shipment & logistics", "运输与物流", "logistics"),
    ("after_sales", "After-sales & disputes", "售后与维权", "after-sales"),
    ("product_merchant", "Products & merchants", "商品与商家", "merchants"),
    ("integration_tech", "Integration & technical", "集成与技术", "integration"),
    ("other", "Other (rules, suggestions)", "其他（规则咨询、建议反馈）", "general"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("tickets", "Category")
    Team = apps.get_model("accounts", "Team")
    for order, (code, name_en, name_zh, team) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            code=code,
            defaults={
                "name_en": name_en,
                "name_zh": name_zh,
                "team": Team.objects.filter(code=team).first(),
                "sort_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial"), ("accounts", "0002_seed_teams")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
