"""PDF, versions, comparison and history pages: who gets what."""

import logging
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from plans import pdf, services
from plans.models import Adoption, Plan
from tests.factories import PlanFactory, UserFactory
from tests.lifecycle_helpers import editor_of, plan_with_content

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def url(name, plan, *args):
    return reverse(f"plans:{name}", args=[plan.slug, *args])


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def adopted_plan():
    plan = plan_with_content()
    services.plan_register_adoption(actor=None, plan=plan, meeting_date=TODAY - timedelta(days=30))
    plan.refresh_from_db()
    return plan


def test_public_pdf_is_the_stored_bytes_with_etag(client, adopted_plan):
    adoption = adopted_plan.adoptions.get()
    response = client.get(url("plan_pdf", adopted_plan))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == bytes(adoption.pdf)
    assert response["ETag"] == f'"{adoption.pdf_sha256}"'
    assert f"{adopted_plan.slug}-versjon-1.pdf" in response["Content-Disposition"]
    again = client.get(url("plan_pdf", adopted_plan), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_plan_page_shows_pdf_link_and_sha256(client, adopted_plan):
    html = client.get(adopted_plan.get_absolute_url()).content.decode()
    assert adopted_plan.adoptions.get().pdf_sha256 in html
    assert url("version_pdf", adopted_plan, 1) in html
    assert url("version_list", adopted_plan) in html


def test_draft_pdf_never_for_anonymous_visitors_or_other_editors(client):
    plan = plan_with_content()
    assert client.get(url("plan_pdf", plan)).status_code == 404
    stranger = editor_of(PlanFactory(), username="annen-redaktor")
    assert client_for(stranger).get(url("plan_pdf", plan)).status_code == 404
    outsider = UserFactory(username="innlogget")
    assert client_for(outsider).get(url("plan_pdf", plan)).status_code == 404


def test_draft_pdf_rendered_on_request_for_its_editors():
    plan = plan_with_content()
    response = client_for(editor_of(plan)).get(url("plan_pdf", plan))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "no-store" in response["Cache-Control"]
    assert not Adoption.objects.exists()  # nothing stored for a draft


def test_during_revision_public_gets_adopted_pdf_and_page_editors_get_the_draft(
    client, adopted_plan
):
    stored = bytes(adopted_plan.adoptions.get().pdf)
    services.plan_start_revision(actor=None, plan=adopted_plan)
    section = adopted_plan.sections.get(title="Bakgrunn")
    section.body = "Ny tekst i revisjonen."
    section.full_clean()
    section.save()

    page = client.get(adopted_plan.get_absolute_url()).content.decode()
    assert "Opprinnelig bakgrunnstekst." in page
    assert "Ny tekst i revisjonen." not in page
    assert client.get(url("plan_pdf", adopted_plan)).content == stored

    editor = client_for(editor_of(adopted_plan))
    assert "Ny tekst i revisjonen." in editor.get(adopted_plan.get_absolute_url()).content.decode()
    draft = editor.get(url("plan_pdf", adopted_plan))
    assert draft.status_code == 200
    assert draft.content != stored


def test_versions_list_detail_and_pdf(client, adopted_plan):
    services.plan_start_revision(actor=None, plan=adopted_plan)
    section = adopted_plan.sections.get(title="Bakgrunn")
    section.body = "Versjon to."
    section.full_clean()
    section.save()
    services.plan_register_adoption(actor=None, plan=adopted_plan, meeting_date=TODAY)

    response = client.get(url("version_list", adopted_plan))
    assert response.status_code == 200
    assert [a.version_number for a in response.context["adoptions"]] == [2, 1]
    first = client.get(url("version_detail", adopted_plan, 1)).content.decode()
    assert "Opprinnelig bakgrunnstekst." in first
    assert "Versjon to." not in first
    assert "Versjon to." in client.get(url("version_detail", adopted_plan, 2)).content.decode()
    v1 = client.get(url("version_pdf", adopted_plan, 1))
    assert v1.content == bytes(adopted_plan.adoptions.get(version_number=1).pdf)
    assert client.get(url("plan_pdf", adopted_plan)).content == bytes(
        adopted_plan.adoptions.get(version_number=2).pdf
    )


@pytest.mark.parametrize("number", [3, 0, 99999999999999999999])
def test_unknown_versions_are_404(client, adopted_plan, number):
    assert client.get(url("version_detail", adopted_plan, number)).status_code == 404
    assert client.get(url("version_pdf", adopted_plan, number)).status_code == 404


def test_versions_of_a_draft_are_404_for_anonymous(client):
    plan = plan_with_content()
    assert client.get(url("version_list", plan)).status_code == 404
    assert client.get(url("plan_pdf", plan)).status_code == 404


def test_compare_shows_what_changed_for_editors_only(client, adopted_plan):
    services.plan_start_revision(actor=None, plan=adopted_plan)
    section = adopted_plan.sections.get(title="Bakgrunn")
    section.body = "Omskrevet bakgrunn."
    section.full_clean()
    section.save()
    measure = adopted_plan.measures.get(title="Tiltak nummer 2")
    measure.delete()
    services.plan_register_adoption(actor=None, plan=adopted_plan, meeting_date=TODAY)

    compare = url("version_compare", adopted_plan) + "?fra=1&til=2"
    assert client.get(compare).status_code == 404
    assert client_for(UserFactory(username="leser")).get(compare).status_code == 403
    editor = client_for(editor_of(adopted_plan))
    response = editor.get(compare)
    assert response.status_code == 200
    changes = {(c.kind, c.what, c.title) for c in response.context["changes"]}
    assert ("changed", "section", "Bakgrunn") in changes
    assert ("removed", "measure", "Tiltak nummer 2") in changes
    html = response.content.decode()
    assert "Omskrevet bakgrunn." in html and "Opprinnelig bakgrunnstekst." in html


@pytest.mark.parametrize("query", ["?fra=1&til=abc", "?fra=7&til=1", "?fra=&til=", "?til=1"])
def test_compare_with_bad_input_gives_a_message_not_an_error(adopted_plan, query):
    editor = client_for(editor_of(adopted_plan))
    response = editor.get(url("version_compare", adopted_plan) + query)
    assert response.status_code == 400
    assert response.context["error"]


def test_history_shows_who_changed_what_for_editors_only(client, adopted_plan):
    user = editor_of(adopted_plan)
    services.plan_start_revision(actor=None, plan=adopted_plan)
    editor = client_for(user)
    # A change through the admin records its user.
    admin_user = UserFactory(username="planadmin", is_staff=True, is_superuser=True)
    section = adopted_plan.sections.get(title="Mål")
    section.body = "Endret mål."
    section._history_user = admin_user
    section.full_clean()
    section.save()

    assert client.get(url("plan_history", adopted_plan)).status_code == 404
    response = editor.get(url("plan_history", adopted_plan))
    assert response.status_code == 200
    entries = response.context["entries"]
    changed = [e for e in entries if e["title"] == "Mål" and e["type"] == "~"]
    assert changed and changed[0]["user"] == admin_user
    assert changed[0]["changed"]
    assert "planadmin" in response.content.decode()


def test_history_query_count_does_not_grow(adopted_plan, django_assert_max_num_queries):
    user = editor_of(adopted_plan)
    editor = client_for(user)
    editor.get(url("plan_history", adopted_plan))  # warm the session
    with django_assert_max_num_queries(14) as small:
        editor.get(url("plan_history", adopted_plan))
    services.plan_start_revision(actor=None, plan=adopted_plan)
    for n in range(20):
        section = adopted_plan.sections.first()
        section.body = f"Endring {n}"
        section.save()
    with django_assert_max_num_queries(len(small.captured_queries)):
        editor.get(url("plan_history", adopted_plan))


def test_render_failure_gives_a_clear_error_page_and_is_logged(monkeypatch, caplog):
    import weasyprint

    plan = plan_with_content()
    pdf.clear_render_cache()
    monkeypatch.setattr(
        weasyprint.HTML, "write_pdf", lambda *a, **k: (_ for _ in ()).throw(OSError("disk"))
    )
    with caplog.at_level(logging.ERROR, logger="plans.pdf"):
        response = client_for(editor_of(plan)).get(url("plan_pdf", plan))
    assert response.status_code == 503
    assert "pdf/render_failed.html" in [t.name for t in response.templates]
    assert "Rendering the PDF" in caplog.text


def test_adoption_through_the_admin_buttons(admin_client):
    plan = plan_with_content()
    change = reverse("admin:plans_plan_change", args=[plan.pk])
    page = admin_client.get(change).content.decode()
    adopt_url = reverse("admin:plans_plan_lifecycle", args=[plan.pk, "adopt"])
    assert adopt_url in page
    response = admin_client.post(
        adopt_url,
        {
            "body": Adoption.Body.MUNICIPAL_COUNCIL,
            "meeting_date": TODAY.isoformat(),
            "meeting_case_number": "PS 18/24",
            "archive_case_number": "2024/1065",
            "decision_text": "Vedtatt.",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ADOPTED
    adoption = plan.adoptions.get()
    assert (adoption.meeting_case_number, adoption.archive_case_number) == ("PS 18/24", "2024/1065")
    # Adopting again is refused with a message, nothing changes.
    again = admin_client.post(adopt_url, {"body": "kommunestyret", "meeting_date": TODAY})
    assert again.status_code == 400
    assert again.context["form"].non_field_errors()
    assert plan.adoptions.count() == 1


def test_admin_refuses_adopting_a_plan_without_measures(admin_client):
    plan = PlanFactory()
    response = admin_client.post(
        reverse("admin:plans_plan_lifecycle", args=[plan.pk, "adopt"]),
        {"body": "kommunestyret", "meeting_date": TODAY.isoformat()},
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not Adoption.objects.exists()


def test_admin_consultation_revision_and_retire_buttons(admin_client, adopted_plan):
    lifecycle = lambda move: reverse(  # noqa: E731
        "admin:plans_plan_lifecycle", args=[adopted_plan.pk, move]
    )
    assert admin_client.post(lifecycle("revise")).status_code == 302
    bad = admin_client.post(lifecycle("consultation"), {"deadline": "not a date"})
    assert bad.status_code == 400 and bad.context["form"].errors
    ok = admin_client.post(
        lifecycle("consultation"), {"deadline": (TODAY + timedelta(days=9)).isoformat()}
    )
    assert ok.status_code == 302
    assert admin_client.post(lifecycle("retire")).status_code == 302
    adopted_plan.refresh_from_db()
    assert adopted_plan.status == Plan.Status.RETIRED
    assert admin_client.get(lifecycle("nonsense")).status_code == 404


def test_admin_refuses_editing_an_adopted_section(admin_client, adopted_plan):
    """The admin's change form shows the model's refusal and keeps the adopted text."""
    from django.forms import modelform_factory

    from plans.models import PlanSection

    section = adopted_plan.sections.get(title="Bakgrunn")
    form = modelform_factory(PlanSection, fields=["plan", "order", "kind", "title", "body"])(
        {
            "plan": adopted_plan.pk,
            "order": section.order,
            "kind": section.kind,
            "title": section.title,
            "body": "Endret i admin.",
        },
        instance=section,
    )
    assert not form.is_valid()
    assert form.non_field_errors()
    section.refresh_from_db()
    assert section.body == "Opprinnelig bakgrunnstekst."


def test_admin_shows_adopted_text_read_only_and_refuses_measure_edits(admin_client, adopted_plan):
    change = admin_client.get(reverse("admin:plans_plan_change", args=[adopted_plan.pk]))
    assert change.status_code == 200
    assert "title" not in change.context["adminform"].form.fields
    measure = adopted_plan.measures.first()
    url_ = reverse("admin:measures_measure_change", args=[measure.pk])
    form = admin_client.get(url_).context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields
    }
    data.update(
        title="Endret etter vedtak",
        partner_units=[u.pk for u in measure.partner_units.all()],
        target_groups=[t.pk for t in measure.target_groups.all()],
    )
    data.update({"status_reports-TOTAL_FORMS": 0, "status_reports-INITIAL_FORMS": 0})
    # The adopted text is shown read-only (issue 13): the title is not a field to change,
    # and a posted title changes nothing.
    assert "title" not in form.fields
    response = admin_client.post(url_, data)
    assert response.status_code < 500
    measure.refresh_from_db()
    assert measure.title == "Tiltak nummer 1"


def test_admin_plan_change_page_queries_do_not_grow_with_versions(
    admin_client, adopted_plan, django_assert_max_num_queries
):
    url_ = reverse("admin:plans_plan_change", args=[adopted_plan.pk])
    admin_client.get(url_)
    with django_assert_max_num_queries(60) as one:
        admin_client.get(url_)
    for _version in range(4):
        services.plan_start_revision(actor=None, plan=adopted_plan)
        services.plan_register_adoption(actor=None, plan=adopted_plan, meeting_date=TODAY)
    with django_assert_max_num_queries(len(one.captured_queries)):
        admin_client.get(url_)


def test_compare_adopted_version_with_the_revision_draft(adopted_plan):
    editor = client_for(editor_of(adopted_plan))
    compare = url("version_compare", adopted_plan)
    # Not under revision: no draft to compare with.
    assert editor.get(compare + "?fra=1&til=utkast").status_code == 400
    services.plan_start_revision(actor=None, plan=adopted_plan)
    section = adopted_plan.sections.get(title="Mål")
    section.title = "Mål for planperioden"
    section.full_clean()
    section.save()
    for response in (editor.get(compare), editor.get(compare + "?fra=1&til=utkast")):
        assert response.status_code == 200
        assert response.context["newer"] is None
        changes = {(c.kind, c.what, c.title) for c in response.context["changes"]}
        assert changes == {("changed", "section", "Mål for planperioden")}
