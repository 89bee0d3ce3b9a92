"""Runaway work: a cancelled query is a clear 503, and only web requests get the timeout."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import OperationalError, connection

from core import runaway

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the statement timeout is PostgreSQL's",
)


class _QueryCanceled(Exception):
    pgcode = runaway.QUERY_CANCELED


def _cancelled() -> OperationalError:
    error = OperationalError("canceling statement due to statement timeout")
    error.__cause__ = _QueryCanceled()
    return error


def test_a_cancelled_query_is_a_clear_503_page(client, monkeypatch):
    from plans import views

    def slow_query():
        raise _cancelled()

    client.get("/")  # the URLconf (and all it imports) is loaded before the patch
    monkeypatch.setattr(views.published, "published_plan_counts", slow_query)
    response = client.get("/planer/")
    assert response.status_code == 503
    html = response.content.decode()
    assert "Siden tok for lang tid" in html
    assert response["Retry-After"] == "30"


def test_other_database_errors_are_not_mistaken_for_a_timeout():
    assert runaway.is_query_canceled(_cancelled())
    assert not runaway.is_query_canceled(OperationalError("connection refused"))


@on_postgres
def test_web_connections_cancel_a_slow_query(settings):
    from django.db import transaction

    settings.HEIMPLAN_STATEMENT_TIMEOUT_MS = 100
    # Inside a savepoint: rolling it back undoes the SET too, so the timeout cannot stay
    # on this worker's connection and cancel a slow query of a later test.
    with pytest.raises(OperationalError) as caught, transaction.atomic():
        runaway.apply_statement_timeout(connection)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(2)")
    assert runaway.is_query_canceled(caught.value)
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"


@on_postgres
@pytest.mark.django_db
def test_management_commands_run_without_the_timeout():
    script = (
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SHOW statement_timeout'); print(c.fetchone()[0])\n"
    )
    # The subprocess connects to this test's database: the one DATABASE_URL names may
    # not exist (CI creates only the test database).
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "HEIMPLAN_STATEMENT_TIMEOUT_MS": "1234", "DATABASE_URL": url}
    out = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=settings.BASE_DIR, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    assert out.stdout.strip().splitlines()[-1] == "0"
    web = script.replace("from django.db", "import heimplan.wsgi\nfrom django.db")
    out = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", web],
        cwd=settings.BASE_DIR, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    assert out.stdout.strip().splitlines()[-1] == "1234ms"


def test_a_plan_too_large_for_a_pdf_is_refused_before_rendering(settings, monkeypatch, caplog):
    import weasyprint

    from plans import pdf
    from tests.test_pdf import document

    def never(*args, **kwargs):
        raise AssertionError("WeasyPrint must not be started")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", never)
    settings.HEIMPLAN_PDF_MAX_HTML_CHARS = 5_000
    pdf.clear_render_cache()
    with caplog.at_level("WARNING", logger="plans.pdf"), pytest.raises(pdf.PdfRenderError):
        pdf.render_plan_pdf(document(measures_per_area=3))
    assert "HEIMPLAN_PDF_MAX_HTML_CHARS" in caplog.text
    assert "Traceback" not in caplog.text


def test_a_draft_pdf_too_large_is_the_render_failed_page(settings):
    from plans import pdf
    from tests.test_views_versions import client_for, editor_of, plan_with_content, url

    settings.HEIMPLAN_PDF_MAX_HTML_CHARS = 500
    pdf.clear_render_cache()
    plan = plan_with_content()
    response = client_for(editor_of(plan)).get(url("plan_pdf", plan))
    assert response.status_code == 503
    assert "pdf/render_failed.html" in [t.name for t in response.templates]
