from django.db import migrations, models
from django.utils import timezone


def fill_days(apps, schema_editor):
    """Bucket existing answers and sent invitations by their local day."""
    Response = apps.get_model("surveys", "Response")
    Invitation = apps.get_model("surveys", "Invitation")
    for response in Response.objects.filter(day__isnull=True).iterator():
        response.day = timezone.localtime(response.submitted_at).date()
        response.save(update_fields=["day"])
    for invitation in Invitation.objects.filter(sent_at__isnull=False, sent_on__isnull=True):
        invitation.sent_on = timezone.localtime(invitation.sent_at).date()
        invitation.save(update_fields=["sent_on"])


class Migration(migrations.Migration):
    dependencies = [("surveys", "0003_rollup_outbox_and_months")]

    operations = [
        migrations.RunPython(fill_days, migrations.RunPython.noop),
        migrations.AlterField(model_name="response", name="day", field=models.DateField()),
        migrations.AddConstraint(
            model_name="invitation",
            constraint=models.CheckConstraint(
                condition=models.Q(("sent_at__isnull", True), ("sent_on__isnull", True))
                | models.Q(("sent_at__isnull", False), ("sent_on__isnull", False)),
                name="invitation_sent_on_with_sent_at",
            ),
        ),
    ]
