from django.db import migrations

from kefu.sla.calendars import SHIPPED_TEMPLATES, format_hours

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def seed(apps, schema_editor):
    BusinessCalendar = apps.get_model("sla", "BusinessCalendar")
    for template in SHIPPED_TEMPLATES.values():
        fields = {day: format_hours(hours) for day, hours in zip(WEEKDAYS, template.weekly)}
        BusinessCalendar.objects.get_or_create(
            code=template.code,
            defaults={
                "name_en": template.name_en,
                "name_zh": template.name_zh,
                "zone": template.zone,
                "off_day_hours": format_hours(template.off_day_hours),
                "holiday_source": template.holiday_source,
                **fields,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
