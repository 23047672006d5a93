from django.db import migrations

# (code, English name, Chinese name). Admin-editable afterwards.
TEAMS = [
    ("account-access", "Account & access", "账号与权限"),
    ("orders", "Trade & orders", "交易与订单"),
    ("billing", "Payment & billing", "支付与账单"),
    ("logistics", "Shipment & logistics", "运输与物流"),
    ("after-sales", "After-sales & disputes", "售后与维权"),
    ("merchants", "Products & merchants", "商品与商家"),
    ("integration", "Integration & technical", "集成与技术"),
    ("general", "General enquiries", "综合咨询"),
    ("triage", "Needs triage", "待分诊"),
    ("complaints", "Complaints", "投诉处理"),
]


def seed(apps, schema_editor):
    Team = apps.get_model("accounts", "Team")
    for code, name_en, name_zh in TEAMS:
        Team.objects.get_or_create(code=code, defaults={"name_en": name_en, "name_zh": name_zh})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
