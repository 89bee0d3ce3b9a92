import uuid

import pytest
from django.core.management import call_command
from django.test import Client

from tests.factories import UserFactory


@pytest.fixture
def heim(db):
    """Heim kommune's content as `make run` loads it."""
    call_command("load_heim", verbosity=0)


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(superuser):
    """A client of its own, signed in as a superuser (``client`` stays anonymous)."""
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests hash passwords with a fast hasher: PBKDF2's cost (about 0.3 s per user) bought
    nothing here and made each permission-matrix cell take over a second. PBKDF2 stays in
    the list so a hash made outside the test settings still verifies."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Each test gets an empty cache of its own: no cached page leaks between tests."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4()}",
        }
    }
