"""Login throttling, security headers and the production checklist."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)


def run_python(args: list[str], env: dict) -> subprocess.CompletedProcess:
    """This project's Python in a process of its own (other settings from ``env``)."""
    return subprocess.run(  # noqa: S603
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )


def test_login_is_throttled_after_repeated_failures():
    UserFactory(username="kari")
    client = Client(REMOTE_ADDR="10.0.0.7")
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "kari", "password": "feil"})
        assert response.status_code == 200  # the form again, with an error
    response = client.post(url, {"username": "kari", "password": "feil"})
    assert response.status_code == 429
    # Locked out: even the right password is refused now.
    response = client.post(url, {"username": "kari", "password": "correct horse battery staple"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_behind_the_proxy_a_guesser_locks_out_only_their_own_address(settings):
    """Every request arrives from the proxy: the visitor's address is X-Forwarded-For's."""
    settings.HEIMPLAN_TRUSTED_PROXY_COUNT = 1
    UserFactory(username="kari")
    url = reverse("login")

    def via_proxy(visitor: str) -> Client:
        # The visitor may claim anything on the left; the proxy appends what it saw.
        forwarded = f"6.6.6.6, {visitor}"
        return Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    guesser = via_proxy("203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        guesser.post(url, {"username": "kari", "password": "feil"})
    assert guesser.post(url, {"username": "kari", "password": "feil"}).status_code == 429
    # Kari, from her own address through the same proxy, still gets in.
    kari = via_proxy("198.51.100.20")
    response = kari.post(url, {"username": "kari", "password": "correct horse battery staple"})
    assert response.status_code == 302


def test_login_works_and_lands_on_my_measures():
    UserFactory(username="ola")
    client = Client()
    response = client.post(
        reverse("login"), {"username": "ola", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("measures:mine")
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_security_headers_on_every_page(client):
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"


def test_templates_have_no_inline_scripts_or_handlers():
    import re

    offenders = []
    for path in (BASE_DIR / "templates").rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+\s*=", text):
            offenders.append(str(path))
    assert offenders == []


def test_check_deploy_passes_under_production_settings():
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 20 + "-production-secret-" + "y9Z!" * 10,
        "DJANGO_ALLOWED_HOSTS": "planer.heim.kommune.no",
    }
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    # Secure cookies come from the same settings module when DEBUG is off.
    probe = run_python(
        [
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
            "'heimplan.settings'); django.setup(); from django.conf import settings as s; "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.X_FRAME_OPTIONS)",
        ],
        env,
    )
    assert probe.stdout.split()[-3:] == ["True", "True", "DENY"], probe.stderr


PRODUCTION_PAGE_PROBE = """
import django, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heimplan.settings")
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="planer.heim.kommune.no")
for path in ("/", "/planer/", "/finnes-ikke/"):
    response = client.get(path)
    body = response.content.decode()
    print(path, response.status_code, "bootstrap.min." in body and ".css" in body)
"""


def test_production_static_files_collect_and_pages_render(tmp_path):
    """The README's deploy steps: collectstatic with the manifest storage, then pages.

    A vendored file pointing at a missing source map made collectstatic fail, and without
    its manifest every page was a 500; the development settings never see either.
    """
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 20 + "-production-secret-" + "y9Z!" * 10,
        "DJANGO_ALLOWED_HOSTS": "planer.heim.kommune.no",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
    }
    env.pop("DJANGO_STATICFILES_STORAGE", None)
    collect = run_python(["manage.py", "collectstatic", "--no-input"], env)
    assert collect.returncode == 0, collect.stdout + collect.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()
    pages = run_python(["-c", PRODUCTION_PAGE_PROBE], env)
    assert pages.returncode == 0, pages.stderr
    assert pages.stdout.split("\n")[-4:-1] == [
        "/ 200 True",
        "/planer/ 200 True",
        "/finnes-ikke/ 404 True",
    ], pages.stdout + pages.stderr


@pytest.mark.parametrize("secret", [None, "django-insecure-heimplan-development-only", "kort"])
def test_production_refuses_to_start_without_a_real_secret_key(secret):
    """Finding 6 (issue 12): with DEBUG off and no key, the app started on the dev key."""
    env = {**os.environ, "DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "planer.heim.kommune.no"}
    env.pop("DJANGO_SECRET_KEY", None)
    if secret is not None:
        env["DJANGO_SECRET_KEY"] = secret
    probe = run_python(["-c", "import django, os; " + _SETUP], env)
    assert probe.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in probe.stderr


_SETUP = "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'heimplan.settings'); django.setup()"
