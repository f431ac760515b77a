from django.db import migrations

CX_MANAGERS_GROUP = "CX managers"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=CX_MANAGERS_GROUP)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=CX_MANAGERS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("touchpoints", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
