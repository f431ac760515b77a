from django.db import migrations, models

# The rows already there counted every answer under email: the days of own questions'
# answers given elsewhere are recounted by the workers (the aggregation's outbox).
RECOUNT_PUBLIC_DAYS = """
    INSERT INTO surveys_dirtyrollup (touchpoint_id, day)
    SELECT DISTINCT r.touchpoint_id, r.day FROM surveys_response r
    WHERE r.source <> 'email'
      AND EXISTS (SELECT 1 FROM surveys_questionanswer a WHERE a.response_id = r.id)
"""
# Back: the rows of other sources go, and their days are recounted under one row each.
FOLD_SOURCES = """
    INSERT INTO surveys_dirtyrollup (touchpoint_id, day)
    SELECT DISTINCT touchpoint_id, day FROM surveys_touchpointdailyanswer
    WHERE source <> 'email';
    DELETE FROM surveys_touchpointdailyanswer WHERE source <> 'email';
"""


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0032_fewer_answer_indexes'),
        ('touchpoints', '0011_public_answers'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='touchpointdailyanswer',
            options={'ordering': ['touchpoint', 'day', 'question', 'option_id', 'source']},
        ),
        migrations.RemoveConstraint(
            model_name='touchpointdailyanswer',
            name='daily_answer_unique',
        ),
        migrations.AddField(
            model_name='touchpointdailyanswer',
            name='source',
            field=models.CharField(choices=[('email', 'Email invitation'), ('link', 'Public link'), ('qr', 'QR code'), ('kiosk', 'Kiosk'), ('widget', 'Website widget')], default='email', max_length=8),
        ),
        migrations.AddConstraint(
            model_name='touchpointdailyanswer',
            constraint=models.UniqueConstraint(fields=('touchpoint', 'day', 'question', 'option_id', 'source'), name='daily_answer_source_unique'),
        ),
        migrations.RunSQL(RECOUNT_PUBLIC_DAYS, FOLD_SOURCES),
    ]
