"""Create the three roles and give each the model permissions it needs."""

from django.db import migrations

MODELS = {
    "outcomes": ["strategy", "outcome", "recommendation", "successmeasure", "risk"],
    "actions": ["action"],
    "reporting": ["reportingperiod", "progressupdate", "periodevent", "reminder"],
    "workforce": ["directorate", "servicearea", "team", "teammembership", "workforceindicator", "workforcefigure"],
}


def every(*verbs):
    return [(app, f"{verb}_{model}") for app, models in MODELS.items() for model in models for verb in verbs]


ROLES = {
    # Loads strategies, runs the quarterly cycle and keeps teams right, in the admin; adds
    # and changes people (never superusers, never deletes: workforce.people).
    "Organisational Planning": every("add", "change", "delete", "view")
    + [("auth", "add_user"), ("auth", "change_user"), ("auth", "view_user")],
    # Members of lead teams and lead officers: read everything. They write their actions'
    # progress updates on the managers' pages, never in the admin.
    "Manager": every("view"),
    # The Departmental Management Team reads; it does not edit.
    "DMT": every("view"),
}


def create_roles(apps, schema_editor):
    # Django creates permissions after all migrations have run, so make any missing here,
    # exactly as it would (same content type, codename and name).
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for name, codenames in ROLES.items():
        permissions = []
        for app_label, codename in codenames:
            verb, model_name = codename.split("_", 1)
            model = apps.get_model(app_label, model_name)
            content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model_name)
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": f"Can {verb} {model._meta.verbose_name_raw}"},
            )
            permissions.append(permission)
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("workforce", "0001_initial"),
        ("outcomes", "0001_initial"),
        ("actions", "0001_initial"),
        ("reporting", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
