import django.db.models.deletion
from django.db import migrations, models

SOURCES = [("comments", "Survey comments"), ("complaints", "Complaints"), ("answers", "Short answers")]


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0030_segment_scores_by_source"),
    ]

    operations = [
        migrations.AlterField(
            model_name="theme",
            name="source",
            field=models.CharField(choices=SOURCES, max_length=12),
        ),
        migrations.AlterField(
            model_name="themefit",
            name="source",
            field=models.CharField(choices=SOURCES, max_length=12),
        ),
        migrations.CreateModel(
            name="ThemedAnswer",
            fields=[
                (
                    "answer",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="themed",
                        serialize=False,
                        to="surveys.questionanswer",
                    ),
                ),
                (
                    "theme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="short_answers",
                        to="surveys.theme",
                    ),
                ),
            ],
        ),
    ]
