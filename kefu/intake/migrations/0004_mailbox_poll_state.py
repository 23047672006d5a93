from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0003_seed_canned_replies'),
    ]

    operations = [
        migrations.AddField(
            model_name='mailbox',
            name='last_polled_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='last polled'),
        ),
        migrations.AddField(
            model_name='mailbox',
            name='poll_failures',
            field=models.PositiveSmallIntegerField(default=0),
        ),
    ]
