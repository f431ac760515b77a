from django.db import migrations, models
from django.utils import timezone


def fill_days(apps, schema_editor):
    """Bucket existing interactions by their local day."""
    Interaction = apps.get_model("touchpoints", "Interaction")
    for interaction in Interaction.objects.filter(day__isnull=True).iterator():
        interaction.day = timezone.localtime(interaction.occurred_at).date()
        interaction.save(update_fields=["day"])


class Migration(migrations.Migration):
    dependencies = [("touchpoints", "0003_customer_email_upper_index")]

    operations = [
        migrations.AddField(
            model_name="interaction", name="day", field=models.DateField(null=True)
        ),
        migrations.RunPython(fill_days, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="interaction", name="day", field=models.DateField(editable=False)
        ),
        migrations.AddIndex(
            model_name="interaction",
            index=models.Index(fields=["touchpoint", "day"], name="interaction_tp_day"),
        ),
    ]
