import sys
import uuid

import pytest
from django.core.management import call_command
from django.test import Client

from tests.factories import UserFactory


def pytest_sessionstart(session):
    """Under pytest-xdist, print what the controller said while starting, now.

    The controller runs no test, so its start-up output (django-axes logs "AXES: BEGIN")
    stayed in pytest's global capture and came out after the summary line, which CI
    reads as the run's last line. Without xdist the first test's capture takes it.
    """
    config = session.config
    capman = config.pluginmanager.getplugin("capturemanager")
    if not config.pluginmanager.hasplugin("dsession") or capman is None:
        return
    if not capman.is_globally_capturing():
        return
    out, err = capman.read_global_capture()
    with capman.global_and_fixture_disabled():
        sys.stdout.write(out)
        sys.stderr.write(err)
        sys.stdout.flush()
        sys.stderr.flush()


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


def _only_test_transactions(connection) -> bool:
    return all(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def _run_commit_hooks(connection) -> None:
    while connection.run_on_commit:
        _sids, func, _robust = connection.run_on_commit.pop(0)
        func()


@pytest.fixture(autouse=True)
def _on_commit_as_in_production(monkeypatch):
    """Run on-commit callbacks when the code under test would have committed.

    Each test runs inside a transaction of its own that is rolled back at the end, so
    Django would never run ``transaction.on_commit`` callbacks (the publishing event:
    the page cache version and the search index). In production the outermost
    ``atomic`` block commits; here, its exit back into the test's own transaction is
    that moment, and a callback registered outside any block of the code's runs at
    once, as it does in autocommit mode.
    """
    from django.db import connections
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.transaction import Atomic

    original_exit = Atomic.__exit__
    original_on_commit = BaseDatabaseWrapper.on_commit

    def exit_like_commit(self, exc_type, exc_value, traceback):
        result = original_exit(self, exc_type, exc_value, traceback)
        connection = connections[self.using or "default"]
        if (
            not getattr(self, "_from_testcase", False)
            and connection.in_atomic_block
            and _only_test_transactions(connection)
            and not connection.needs_rollback
            and exc_type is None
        ):
            _run_commit_hooks(connection)
        return result

    def on_commit_like_autocommit(self, func, robust=False):
        if self.in_atomic_block and _only_test_transactions(self):
            func()
            return None
        return original_on_commit(self, func, robust)

    monkeypatch.setattr(Atomic, "__exit__", exit_like_commit)
    monkeypatch.setattr(BaseDatabaseWrapper, "on_commit", on_commit_like_autocommit)


@pytest.fixture(autouse=True)
def _no_statement_timeout_unless_asked(settings):
    """Tests run without the web statement timeout unless they set one themselves.

    The live server imports ``heimplan.wsgi``, which gives every connection the worker
    opens from then on the web timeout; under a loaded test run a slow sweep would then be
    cancelled (a 503). tests/test_runaway.py sets its own, inside a savepoint.
    """
    settings.HEIMPLAN_STATEMENT_TIMEOUT_MS = 0
