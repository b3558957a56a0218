"""The Analyst and Reviewer groups with least-privilege permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITABLE = ["claim", "evidence", "actor", "actoralias", "event", "eventparticipant", "source", "passage"]
DELETABLE = ["claim", "evidence", "actoralias", "eventparticipant", "passage", "source"]


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(app, codenames):
        return list(Permission.objects.filter(content_type__app_label=app, codename__in=codenames))

    analyst_codes = [f"{action}_{model}" for model in EDITABLE for action in ("add", "change", "view")]
    analyst_codes += [f"delete_{model}" for model in DELETABLE]
    analyst = perms("claims", analyst_codes) + perms("taggit", ["add_tag", "view_tag", "change_tag"])
    analyst += perms("claims", [f"view_historical{model}" for model in EDITABLE])
    group, _ = Group.objects.get_or_create(name="Analyst")
    group.permissions.set(analyst)
    reviewer, _ = Group.objects.get_or_create(name="Reviewer")
    reviewer.permissions.set(analyst + perms("claims", ["publish_claim"]))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Analyst", "Reviewer"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
