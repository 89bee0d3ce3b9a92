"""Create the three roles as auth groups with their model permissions."""

from django.db import migrations

CONTENT_APPS = ("organisation", "plans", "measures", "stakeholders")

EDITOR_MODELS = {
    "plans": ["plan", "plansection", "planlink", "planattachment", "planstepprogress"],
    "measures": ["focusarea", "measure", "statusreport", "targetgroup"],
    "stakeholders": [
        "stakeholderanalysis",
        "stakeholder",
        "activity",
        "participationinput",
        "finding",
    ],
    "organisation": ["mandateitem", "membership"],
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    admin, _ = Group.objects.get_or_create(name="Planadministrator")
    admin.permissions.set(
        Permission.objects.filter(content_type__app_label__in=CONTENT_APPS + ("auth",))
    )

    editor, _ = Group.objects.get_or_create(name="Planredaktør")
    editor_perms = Permission.objects.none()
    for app_label, models in EDITOR_MODELS.items():
        editor_perms = editor_perms | Permission.objects.filter(
            content_type__app_label=app_label, content_type__model__in=models
        )
    view_all = Permission.objects.filter(
        content_type__app_label__in=CONTENT_APPS, codename__startswith="view_"
    )
    editor.permissions.set(editor_perms | view_all)

    owner, _ = Group.objects.get_or_create(name="Tiltaksansvarlig")
    owner.permissions.set(
        Permission.objects.filter(
            content_type__app_label="measures",
            codename__in=["view_measure", "add_statusreport", "view_statusreport"],
        )
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Planadministrator", "Planredaktør", "Tiltaksansvarlig"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0001_initial"),
        ("plans", "0001_initial"),
        ("measures", "0001_initial"),
        ("stakeholders", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
