from django.db import migrations

# The charter's promises as data (admin-editable afterwards). Each policy sets only the targets it
# is about; for every metric the most specific matching policy wins (see kefu.sla.policies), and
# among equally specific ones the lower order: chat and phone keep their minutes when urgent, an
# urgent email or web ticket gets an expert within 2 hours.
# (code, English, Chinese, criteria, targets, calendar, order)
POLICIES = [
    ("default", "Ordinary tickets: reply within 1 working day", "普通工单：1 个工作日内回复",
     {}, {"first_response": "1d", "next_response": "1d"}, "cn-standard", 900),
    ("chat", "Online chat: answered within 3 minutes", "在线客服：3 分钟内接入",
     {"channel": "chat"}, {"first_response": "3m", "next_response": "3m"}, "cn-chat", 100),
    ("phone", "Hotline: recorded within 1 minute", "热线电话：1 分钟内登记",
     {"channel": "phone"}, {"first_response": "1m"}, "cn-standard", 100),
    # "Within 24 h on working days, the next working day after holidays" is one working day.
    ("email", "Email: reply within 24 hours on working days", "邮件：工作日 24 小时内回复",
     {"channel": "email"}, {"first_response": "1d", "next_response": "1d"}, "cn-standard", 160),
    ("urgent", "High-priority classes: an expert within 2 hours", "高优先级问题：2 小时内专家介入",
     {"priority": "urgent"}, {"first_response": "2h"}, "cn-standard", 150),
    ("simple", "Simple issues: solved within 1 working day", "简单问题：1 个工作日内解决",
     {"complexity": "simple"}, {"resolution": "1d"}, "cn-standard", 300),
    ("complex", "Complex issues: solved within 5 working days", "复杂问题：5 个工作日内解决",
     {"complexity": "complex"}, {"resolution": "5d"}, "cn-standard", 300),
    ("multi-team", "Multi-team issues: solved within 7 working days", "跨部门问题：7 个工作日内解决",
     {"complexity": "multi_team"}, {"resolution": "7d"}, "cn-standard", 300),
    ("special", "Special cases: progress update every 3 working days", "特殊事项：每 3 个工作日更新进度",
     {"complexity": "special"}, {"periodic_update": "3d"}, "cn-standard", 300),
    ("funds", "Funds problems: solved within 48 hours", "资金问题：48 小时内解决",
     {"category": "payment_billing", "priority": "urgent"}, {"resolution": "48h"}, "always", 50),
    ("emergency", "Emergencies: around the clock", "紧急事件：全天候处理",
     {"emergency": True},
     {"first_response": "15m", "next_response": "1h", "resolution": "24h"}, "always", 10),
    ("complaint", "Formal complaints: intervention within 72 hours", "正式投诉：72 小时内介入",
     {"complaint": True}, {"first_response": "72h"}, "always", 20),
]  # fmt: skip


def seed(apps, schema_editor):
    SlaPolicy = apps.get_model("sla", "SlaPolicy")
    BusinessCalendar = apps.get_model("sla", "BusinessCalendar")
    Category = apps.get_model("tickets", "Category")
    for code, name_en, name_zh, criteria, targets, calendar, order in POLICIES:
        criteria = dict(criteria)
        if "category" in criteria:
            criteria["category"] = Category.objects.filter(code=criteria["category"]).first()
        SlaPolicy.objects.get_or_create(
            code=code,
            defaults={
                "name_en": name_en,
                "name_zh": name_zh,
                "order": order,
                "calendar": BusinessCalendar.objects.get(code=calendar),
                "pause_statuses": ["pending_customer"],
                "warn_share": 0.75,
                **criteria,
                **targets,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("sla", "0002_seed_calendars"), ("tickets", "0002_seed_categories")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
