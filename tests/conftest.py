"""Shared personas and data: an editor, a researcher, an anonymous visitor; three cycles."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.utils import translation

from tests import factories
from tracker.ops.roles import sync_groups


@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory):
    """Release files go to a temporary folder, never into the working copy."""
    from django.conf import settings

    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session", autouse=True)
def render_slots(tmp_path_factory):
    """The per-client render slots of this test run, apart from any other run's."""
    from django.conf import settings

    settings.TRACKER_RENDER_SLOT_DIR = str(tmp_path_factory.mktemp("render-slots"))
    return settings.TRACKER_RENDER_SLOT_DIR


@pytest.fixture(autouse=True)
def english():
    """Test bodies run in English, the language their messages are asserted in (code
    outside a request otherwise speaks the default language, Russian). Requests still
    choose their own language through LocaleMiddleware."""
    with translation.override("en"):
        yield


@pytest.fixture
def cycles(db):
    return factories.make_cycles(3)


@pytest.fixture
def region(db):
    return factories.make_region("Amur Oblast", iso_code="RU-AMU", name_ru="Амурская область", slug="amur")


@pytest.fixture
def roles(db):
    """The Editors and Researchers groups (made by a migration; transactional tests flush
    them, so they are made again here when missing)."""
    return sync_groups(Group, Permission)


@pytest.fixture
def editor(roles):
    user = User.objects.create_user("editor", password="editor-pass-123", is_staff=True)
    user.groups.add(roles[0])
    return user


@pytest.fixture
def researcher(roles):
    user = User.objects.create_user("researcher", password="researcher-pass-123", is_staff=True)
    user.groups.add(roles[1])
    return user


@pytest.fixture
def researcher_client(researcher):
    client = Client()
    client.force_login(researcher)
    return client


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


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Tests roll back between each other, so a data version can repeat with other data;
    the page cache is tested on its own (tests/test_page_cache.py)."""
    settings.TRACKER_PAGE_CACHE = False
