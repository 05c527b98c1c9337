"""The two roles of the tracker, as auth groups.

Editors change and import the rating's and the tracker's data; researchers only view
(and export, which needs no more than view).
"""

EDITORS = "Editors"
RESEARCHERS = "Researchers"

MODELS = {
    "ratings": ["region", "cycle", "rating"],
    "tracker": ["organization", "project", "participation", "source", "evidence", "statuschange"],
}
#: Records of the editors' own work, which researchers do not see: the news inbox.
EDITORS_ONLY = ["newsitem"]


def permission_codenames(actions):
    return [f"{action}_{model}" for models in MODELS.values() for model in models for action in actions]


def sync_groups(group_model, permission_model):
    """Create or refresh both groups; returns (editors, researchers)."""
    editors, _ = group_model.objects.get_or_create(name=EDITORS)
    researchers, _ = group_model.objects.get_or_create(name=RESEARCHERS)
    in_apps = permission_model.objects.filter(content_type__app_label__in=list(MODELS))
    audit_view = permission_model.objects.filter(content_type__app_label="audit", codename="view_auditentry")
    editors.permissions.set(
        [
            *in_apps.filter(codename__in=permission_codenames(["add", "change", "delete", "view", "import"])),
            *in_apps.filter(
                content_type__app_label="tracker",
                codename__in=[f"{a}_{m}" for m in EDITORS_ONLY for a in ("add", "change", "delete", "view")],
            ),
            *audit_view,
        ]
    )
    researchers.permissions.set(in_apps.filter(codename__in=permission_codenames(["view"])))
    return editors, researchers


def sync_groups_in_migration(apps, schema_editor):
    """For data migrations: make the permissions now (Django makes them only after all
    migrations ran) and bring both groups up to date."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))
