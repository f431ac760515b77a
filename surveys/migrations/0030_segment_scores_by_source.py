from django.db import migrations, models

SOURCES = [
    ("email", "Email invitation"),
    ("link", "Public link"),
    ("qr", "QR code"),
    ("kiosk", "Kiosk"),
    ("widget", "Website widget"),
]

# The rows already there counted every answer under email: the days of answers from
# elsewhere, and of answers whose customer left an email on a public page, are recounted
# by the workers (the aggregation's outbox).
RECOUNT_PUBLIC_DAYS = """
    INSERT INTO surveys_dirtyrollup (touchpoint_id, day)
    SELECT DISTINCT touchpoint_id, day FROM surveys_response
    WHERE source <> 'email' OR customer_id IS NOT NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0029_public_answers"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="touchpointsegmentdailyscore",
            name="segment_score_unique",
        ),
        migrations.AddField(
            model_name="touchpointsegmentdailyscore",
            name="source",
            field=models.CharField(choices=SOURCES, default="email", max_length=8),
        ),
        migrations.AlterModelOptions(
            name="touchpointsegmentdailyscore",
            options={"ordering": ["touchpoint", "day", "segment", "is_prospect", "source"]},
        ),
        migrations.AddConstraint(
            model_name="touchpointsegmentdailyscore",
            constraint=models.UniqueConstraint(
                fields=("touchpoint", "day", "segment", "is_prospect", "source"),
                name="segment_source_score_unique",
            ),
        ),
        migrations.RunSQL(RECOUNT_PUBLIC_DAYS, migrations.RunSQL.noop),
    ]
