"""Yearly reports: written in the workspace, public once final."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.middleware import cache_public_page, skip_public_cache
from core.views import confirm_delete, edit_versioned, render_failed, render_form, save_form
from plans import published
from plans import selectors as plan_selectors
from plans.pdf import PdfRenderError
from results import services
from results.forms import ConsiderationForm, YearlyReportCreateForm, YearlyReportForm
from results.models import YearlyReport

# -- workspace -----------------------------------------------------------------------------


def _report(plan, year) -> YearlyReport:
    return get_object_or_404(
        YearlyReport.objects.defer("pdf").select_related("plan"), plan=plan, year=year
    )


def _work_url(plan, report=None) -> str:
    if report is None:
        return reverse("results:report_work_list", args=[plan.slug])
    return reverse("results:report_edit", args=[plan.slug, report.year])


@login_required
def report_work_list(request, slug):
    plan = plan_selectors.plan_for_editor(slug=slug, user=request.user)
    form = YearlyReportCreateForm(request.POST or None, plan=plan)
    created = {}

    def write():
        created["report"] = services.yearly_report_create(
            actor=request.user, plan=plan, data={"year": form.cleaned_data["year"]}
        )

    if request.method == "POST" and save_form(form, write):
        messages.success(request, _("Saved."))
        return redirect(_work_url(plan, created["report"]))
    reports = YearlyReport.objects.filter(plan=plan).defer("pdf", "snapshot").order_by("-year")
    return render_form(
        request, "results/report_work_list.html", {"plan": plan, "reports": reports}, form=form
    )


@login_required
def report_edit(request, slug, year):
    plan = plan_selectors.plan_for_editor(slug=slug, user=request.user)
    report = _report(plan, year)
    context = {"plan": plan, "report": report}
    if report.is_final:
        form = ConsiderationForm(request.POST or None, instance=report)
        if request.method == "POST" and save_form(
            form,
            lambda: services.yearly_report_register_consideration(
                actor=request.user, yearly_report=report, data=form.model_data()
            ),
        ):
            messages.success(request, _("Saved."))
            return redirect(_work_url(plan, report))
        return render_form(request, "results/report_edit.html", context, form=form)
    return edit_versioned(
        request,
        obj=report,
        form_class=YearlyReportForm,
        service=lambda **kwargs: services.yearly_report_update(
            actor=request.user, yearly_report=report, **kwargs
        ),
        template="results/report_edit.html",
        success_url=_work_url(plan, report),
        context=context,
    )


@login_required
def report_finalise(request, slug, year):
    plan = plan_selectors.plan_for_editor(slug=slug, user=request.user)
    report = _report(plan, year)
    refusal = _("The report is final already.") if report.is_final else None
    status = 200
    if request.method == "POST" and refusal is None:
        try:
            with transaction.atomic():
                services.yearly_report_finalise(actor=request.user, yearly_report=report)
        except ValidationError as error:
            refusal, status = " ".join(error.messages), 400
        except PdfRenderError:
            return render_failed(request, back_url=_work_url(plan, report), back_title=str(report))
        else:
            messages.success(request, _("The report is final and published."))
            return redirect(_work_url(plan, report))
    return render(
        request,
        "results/report_finalise.html",
        {"plan": plan, "report": report, "refusal": refusal},
        status=status,
    )


@login_required
def report_delete(request, slug, year):
    plan = plan_selectors.plan_for_editor(slug=slug, user=request.user)
    report = _report(plan, year)
    return confirm_delete(
        request,
        obj=report,
        delete=lambda: services.yearly_report_delete(actor=request.user, yearly_report=report),
        refusal=_("A final report cannot be deleted.") if report.is_final else None,
        success_url=_work_url(plan),
    )


# -- public --------------------------------------------------------------------------------


def _final_reports(plan_id: int):
    return YearlyReport.objects.filter(plan_id=plan_id, status=YearlyReport.Status.FINAL)


def _year(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) == 4 else None


@cache_public_page(params=("a", "b"))
def report_list(request, slug):
    """The final reports of a published plan; two of them side by side when asked (?a=&b=)."""
    plan = published.published_plan_get(slug=slug)
    reports = list(_final_reports(plan.plan_id).defer("pdf", "snapshot").order_by("-year"))
    years = {r.year for r in reports}
    first, second = _year(request.GET.get("a", "")), _year(request.GET.get("b", ""))
    comparison = None
    asked = "a" in request.GET or "b" in request.GET
    if first in years and second in years and first != second:
        snapshots = dict(
            _final_reports(plan.plan_id)
            .filter(year__in=[first, second])
            .values_list("year", "snapshot")
        )
        comparison = compare_reports(snapshots[min(first, second)], snapshots[max(first, second)])
    response = render(
        request,
        "results/report_list.html",
        {
            "plan": plan,
            "reports": reports,
            "comparison": comparison,
            "asked_invalid": asked and comparison is None,
        },
        status=400 if asked and comparison is None else 200,
    )
    if asked and comparison is None:
        skip_public_cache(response)
    return response


def compare_reports(older: dict, newer: dict) -> dict:
    """Two frozen reports side by side: measure status counts and each indicator's value
    and trend in each, matched by the indicator's identity."""

    def indicators(snapshot):
        found = {}
        for goal in snapshot.get("goals", []):
            for item in goal.get("indicators", []):
                latest = item["values"][-1] if item["values"] else None
                found[item["id"]] = {
                    "name": item["name"],
                    "unit": item["unit"],
                    "latest": latest,
                    "trend_display": item["trend_display"],
                }
        return found

    old, new = indicators(older), indicators(newer)
    rows = []
    for key in list(new) + [k for k in old if k not in new]:
        rows.append(
            {"name": (new.get(key) or old.get(key))["name"], "a": old.get(key), "b": new.get(key)}
        )
    labels = sorted(
        {label for label, _n in older.get("status_counts", [])}
        | {label for label, _n in newer.get("status_counts", [])}
    )
    a_counts, b_counts = dict(older.get("status_counts", [])), dict(newer.get("status_counts", []))
    return {
        "a": older["year"],
        "b": newer["year"],
        "statuses": [(label, a_counts.get(label, 0), b_counts.get(label, 0)) for label in labels],
        "indicators": rows,
    }


@cache_public_page
def report_detail(request, slug, year):
    plan = published.published_plan_get(slug=slug)
    report = _final_reports(plan.plan_id).defer("pdf").filter(year=year).first()
    if report is None:
        raise Http404
    return render(
        request,
        "results/report_detail.html",
        {"plan": plan, "report": report, "doc": report.snapshot},
    )


def report_pdf(request, slug, year):
    """The report's PDF: the bytes stored when it was made final, SHA-256 as ETag."""
    plan = published.published_plan_get(slug=slug)
    report = (
        _final_reports(plan.plan_id)
        .only("pk", "year", "pdf", "pdf_sha256")
        .filter(year=year)
        .first()
    )
    if report is None or not report.pdf:
        raise Http404
    etag = f'"{report.pdf_sha256}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["ETag"] = etag
    response["Content-Disposition"] = f'inline; filename="{plan.slug}-rapport-{report.year}.pdf"'
    response["Cache-Control"] = "public, max-age=3600"
    return response
