import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0031_short_answer_themes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="questionanswer",
            name="question",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="answers",
                to="surveys.question",
            ),
        ),
        migrations.AlterField(
            model_name="questionanswer",
            name="option",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="surveys.questionoption",
            ),
        ),
        migrations.AddIndex(
            model_name="questionanswer",
            index=models.Index(
                condition=models.Q(("option__isnull", False)),
                fields=["option"],
                name="answer_option_chosen",
            ),
        ),
    ]
