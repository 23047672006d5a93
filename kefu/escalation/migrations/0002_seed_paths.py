from django.db import migrations

# Escalation teams (their leads are people: admins name them on the team). Admin-editable.
TEAMS = [
    ("ops-response", "Operations response", "运营应急响应"),
    ("reconciliation", "Reconciliation coordination", "对账协调"),
    ("integration-experts", "Integration specialists", "集成专家"),
    ("security-desk", "Security desk", "安全值班台"),
]

# (trigger, metric, notify assignee / team lead / path lead, email, reassign, raise priority)
WARN = ("sla_warning", "", True, True, False, False, False, "")
BREACH_NOTIFY = ("sla_breach", "", True, True, True, True, False, "high")

# The charter's paths: (code, category, team, English, Chinese, surge N, window minutes, levels).
PATHS = [
    ("default", None, None, "Default: the team lead follows up", "默认：由组长跟进", 0, 60,
     [WARN, ("sla_breach", "", True, True, False, True, False, "")]),
    ("shipment", "shipment_logistics", "ops-response",
     "Shipment: operations response lead (broad fulfilment impact)",
     "物流：运营应急负责人（大面积履约受阻）", 10, 30,
     [WARN, BREACH_NOTIFY, ("urgent", "", True, False, True, True, False, "")]),
    ("billing", "payment_billing", "reconciliation",
     "Billing: reconciliation coordination (month-end close blockers)",
     "账单：对账协调（月结受阻）", 10, 60,
     [WARN, BREACH_NOTIFY, ("urgent", "", True, False, True, True, False, "")]),
    ("integration", "integration_tech", "integration-experts",
     "Integration: integration specialist (production incidents)",
     "集成：集成专家（生产事故）", 5, 30,
     [WARN, ("sla_breach", "", True, True, True, True, True, "high"),
      ("emergency", "", True, False, True, True, True, "urgent")]),
    ("account-security", "account_access", "security-desk",
     "Account security: the security desk", "账号安全：安全值班台", 10, 30,
     [WARN, BREACH_NOTIFY, ("emergency", "", True, False, True, True, True, "urgent")]),
]  # fmt: skip


def seed(apps, schema_editor):
    Team = apps.get_model("accounts", "Team")
    Category = apps.get_model("tickets", "Category")
    Path = apps.get_model("escalation", "EscalationPath")
    Level = apps.get_model("escalation", "EscalationLevel")
    for code, name_en, name_zh in TEAMS:
        Team.objects.get_or_create(code=code, defaults={"name_en": name_en, "name_zh": name_zh})
    for code, category, team, name_en, name_zh, surge, window, levels in PATHS:
        path, created = Path.objects.get_or_create(
            code=code,
            defaults={
                "name_en": name_en,
                "name_zh": name_zh,
                "category": Category.objects.filter(code=category).first() if category else None,
                "team": Team.objects.filter(code=team).first() if team else None,
                "surge_threshold": surge,
                "surge_window_minutes": window,
            },
        )
        if not created:
            continue
        for number, level in enumerate(levels, start=1):
            trigger, metric, assignee, team_lead, path_lead, email, reassign, priority = level
            Level.objects.create(
                path=path, level=number, trigger=trigger, metric=metric,
                notify_assignee=assignee, notify_team_lead=team_lead, notify_path_lead=path_lead,
                send_email=email, reassign=reassign, raise_priority=priority,
            )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("escalation", "0001_initial"), ("tickets", "0002_seed_categories")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
