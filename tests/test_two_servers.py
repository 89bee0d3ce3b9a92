"""No local state: two app servers, started from separate working directories with
media folders of their own, share one database and one cache. A change made through
one is served by the other, and so is an attachment uploaded through one
(``HEIMPLAN_MEDIA_STORAGE=database``: the bytes live in the database)."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from tests.test_attachments import PDF_BYTES

SETUP = """
from django.contrib.auth import get_user_model
from organisation.models import ProcessGroup, Unit
from plans.models import Plan
get_user_model().objects.create_superuser("admin@example.invalid", "admin@example.invalid", "delt-hemmelig-17")
Unit.objects.create(name="Gammelt navn", slug="enhet-x", kind=Unit.Kind.UNIT)
group = ProcessGroup.objects.create(name="Gruppa", slug="gruppa")
Plan.objects.create(title="Delt plan", slug="delt-plan", process_group=group)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Form(HTMLParser):
    """The fields a browser would send with the form whose id is ``form_id``."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self._select = self._textarea = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "file", "button"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.fields.append((name, a.get("value") or ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None


class Browser:
    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path) -> str:
        with self.opener.open(self.base + path, timeout=20) as response:
            return response.read().decode()

    def get_bytes(self, path) -> bytes:
        with self.opener.open(self.base + path, timeout=20) as response:
            return response.read()

    def post(self, path, fields, files=None) -> tuple[int, str]:
        fields = [*fields, ("csrfmiddlewaretoken", self.csrf())]
        if files:
            boundary = uuid.uuid4().hex
            body = b""
            for name, value in fields:
                body += (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                    f"{value}\r\n"
                ).encode()
            for name, (filename, content) in files.items():
                body += (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                    f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
                ).encode()
                body += content + b"\r\n"
            body += f"--{boundary}--\r\n".encode()
            content_type = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        request = urllib.request.Request(  # noqa: S310 - loopback
            self.base + path, data=body, headers={"Content-Type": content_type}
        )
        with self.opener.open(request, timeout=20) as response:
            return response.status, response.read().decode()

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def session(self) -> http.cookiejar.Cookie:
        return next(c for c in self.jar if c.name == "sessionid")


@pytest.fixture
def two_servers(tmp_path):
    root = Path(settings.BASE_DIR)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "DJANGO_DEBUG": "1",
        "DJANGO_CONN_MAX_AGE": "0",
        "HEIMPLAN_MEDIA_STORAGE": "database",
        "PYTHONPATH": str(root),
    }
    env.pop("REDIS_URL", None)  # the cache is the database's cache table
    manage = [sys.executable, str(root / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True, cwd=root)  # noqa: S603
    subprocess.run([*manage, "shell", "-c", SETUP], env=env, check=True, cwd=root)  # noqa: S603
    servers, bases = [], []
    try:
        for name in ("a", "b"):
            workdir = tmp_path / f"server-{name}"
            (workdir / "media").mkdir(parents=True)
            port = _free_port()
            server_env = {**env, "DJANGO_MEDIA_ROOT": str(workdir / "media")}
            servers.append(
                subprocess.Popen(  # noqa: S603
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "heimplan.wsgi",
                        "--workers",
                        "1",
                        "--bind",
                        f"127.0.0.1:{port}",
                    ],
                    env=server_env,
                    cwd=workdir,
                    stdout=subprocess.DEVNULL,
                    stderr=(workdir / "server.log").open("wb"),
                )  # fmt: skip
            )
            bases.append(f"http://127.0.0.1:{port}")
        for base in bases:
            for _ in range(150):
                try:
                    urllib.request.urlopen(base + "/", timeout=2)  # noqa: S310 - loopback
                    break
                except OSError:
                    time.sleep(0.1)
        yield {"a": bases[0], "b": bases[1], "env": env, "manage": manage, "root": root,
               "media": [tmp_path / "server-a" / "media", tmp_path / "server-b" / "media"]}  # fmt: skip
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


def _sign_in(browser: Browser) -> None:
    browser.get("/logg-inn/")
    status, html = browser.post(
        "/logg-inn/",
        [("username", "admin@example.invalid"), ("password", "delt-hemmelig-17")],
    )
    assert status == 200 and "sessionid" in {c.name for c in browser.jar}, html[-500:]


def test_a_change_through_one_server_is_served_by_the_other(two_servers):
    a, b = Browser(two_servers["a"]), Browser(two_servers["b"])
    assert "Gammelt navn" in b.get("/enheter/enhet-x/")  # now in the shared page cache
    _sign_in(a)
    unit_id = re.search(
        r"/admin/organisation/unit/(\d+)/change/", a.get("/admin/organisation/unit/")
    )
    path = f"/admin/organisation/unit/{unit_id.group(1)}/change/"
    form = _Form("unit_form")
    form.feed(a.get(path))
    fields = [(k, "Nytt navn" if k == "name" else v) for k, v in form.fields]
    fields = [(k, v) for k, v in fields if k != "csrfmiddlewaretoken"]
    status, html = a.post(path, fields)
    assert status == 200 and "errornote" not in html
    page = b.get("/enheter/enhet-x/")
    assert "Nytt navn" in page and "Gammelt navn" not in page


def test_an_attachment_uploaded_to_one_server_is_served_by_the_other(two_servers):
    a = Browser(two_servers["a"])
    _sign_in(a)
    a.get("/arbeid/planer/delt-plan/innhold/")
    status, html = a.post(
        "/arbeid/planer/delt-plan/vedlegg/ny/",
        [("title", "Delt vedlegg")],
        files={"file": ("vedlegg.pdf", PDF_BYTES)},
    )
    assert status == 200 and "Delt vedlegg" in html
    pk = re.search(r"/planer/delt-plan/vedlegg/(\d+)/", html).group(1)
    # Nothing on either server's disk: the bytes are in the database.
    assert [p for media in two_servers["media"] for p in media.rglob("*") if p.is_file()] == []
    # The other server, with the same session (sessions live in the database too).
    b = Browser(two_servers["b"])
    b.jar.set_cookie(a.session())
    assert b.get_bytes(f"/planer/delt-plan/vedlegg/{pk}/") == PDF_BYTES
