"""Shared personas and data: an editor, a researcher, an anonymous visitor; three cycles."""

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from tests import factories


@pytest.fixture
def cycles(db):
    return factories.make_cycles(3)


@pytest.fixture
def region(db):
    return factories.make_region("Amur Oblast", iso_code="RU-AMU", name_ru="Амурская область", slug="amur")


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", password="editor-pass-123", is_staff=True)
    codenames = []
    for model in ["region", "cycle", "rating", "organization", "project", "participation", "source", "evidence", "statuschange"]:
        codenames += [f"{action}_{model}" for action in ("add", "change", "delete", "view")]
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def superuser_client(db):
    user = User.objects.create_superuser("boss", password="boss-pass-123")
    client = Client()
    client.force_login(user)
    return client
