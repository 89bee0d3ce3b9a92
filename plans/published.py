"""The published read model: what anonymous visitors may see, and the only thing they see.

``published_update`` is a publishing listener (``core.publishing``): after every
committed public change it writes ``PublishedPlan``/``PublishedMeasure`` rows for the
plans that changed, from the snapshot the council adopted (the version in force),
never from the live rows editors are working on. The reads below are the public
pages' only way to plans and measures, so a page built on them cannot show a draft
by accident. Follow-up that is public by nature (a measure's status and status
reports) is joined to the published measures by the measure's identity.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.template.defaultfilters import date as date_filter

from core.publishing import PublicChange
from measures.models import Measure, StatusReport
from organisation.models import Unit
from plans.models import (
    Adoption,
    Consultation,
    Plan,
    PlanAttachment,
    PublishedMeasure,
    PublishedPlan,
)

# -- writing (the publishing listener) ---------------------------------------------


def _legal_basis_label(basis: dict) -> str:
    return " ".join(part for part in (basis.get("law", ""), basis.get("section", "")) if part)


def _published_adoption(plan: Plan) -> Adoption | None:
    """The version in force for the public: the newest adoption of a public plan."""
    if not plan.is_public:
        return None
    return plan.adoptions.defer("pdf").exclude(snapshot={}).order_by("-version_number").first()


def _published_consultation(plan: Plan) -> Consultation | None:
    """The consultation draft on offer: the newest round while the plan is out for consultation.

    The plan's consultation deadline is set from sending until the next adoption, so
    the draft (and, after the deadline, the responses) stay public until then.
    """
    if not plan.consultation_deadline or plan.status not in (
        Plan.Status.CONSULTATION,
        Plan.Status.REVISION,
    ):
        return None
    return plan.consultations.defer("pdf").exclude(snapshot={}).order_by("-round").first()


def _write(
    plan: Plan,
    adoption: Adoption | None,
    consultation: Consultation | None,
    units_by_slug: dict[str, Unit],
) -> None:
    """Publish ``adoption`` (the version in force) or, without one, the consultation draft."""
    document = adoption.snapshot if adoption is not None else consultation.snapshot
    values = {
        "adoption": adoption,
        "consultation": consultation,
        "consultation_deadline": consultation.deadline if consultation else None,
        "version_number": adoption.version_number if adoption else 0,
        "status": plan.status,
        "slug": plan.slug,
        "title": document.get("title", ""),
        "summary": document.get("summary", ""),
        "period": document.get("period", ""),
        "legal_bases": [_legal_basis_label(b) for b in document.get("legal_bases", [])],
        "adopted_on": adoption.meeting_date if adoption else None,
        "measure_count": document.get("measure_count", 0),
    }
    # Another plan may have held this address before; slugs are unique here too.
    PublishedPlan.objects.filter(slug=plan.slug).exclude(plan=plan).delete()
    published = PublishedPlan.objects.filter(plan=plan).first()
    same_text = published is not None and (
        published.adoption_id == adoption.pk
        if adoption is not None
        else published.adoption_id is None and published.consultation_id == consultation.pk
    )
    if same_text:
        # The same version: only the status, the address or the consultation moved on.
        PublishedPlan.objects.filter(pk=published.pk).update(
            status=plan.status,
            slug=plan.slug,
            consultation=consultation,
            consultation_deadline=values["consultation_deadline"],
        )
        return
    published, _created = PublishedPlan.objects.update_or_create(plan=plan, defaults=values)
    published.measures.all().delete()
    rows, partners = [], []
    position = 0
    for area in document.get("focus_areas", []):
        for measure in area.get("measures", []):
            position += 1
            unit = units_by_slug.get((measure.get("responsible_unit") or {}).get("slug", ""))
            deadline = measure.get("deadline")
            rows.append(
                PublishedMeasure(
                    published_plan=published,
                    measure_id=measure["id"],
                    position=position,
                    title=measure.get("title", "")[:500],
                    focus_area=(area.get("title") or "")[:255],
                    responsible_unit=unit,
                    deadline=date.fromisoformat(deadline) if deadline else None,
                    timing=(measure.get("timing") or "")[:255],
                )
            )
            partners.append(
                [
                    units_by_slug[p["slug"]]
                    for p in measure.get("partners", [])
                    if p and p.get("slug") in units_by_slug
                ]
            )
    created = PublishedMeasure.objects.bulk_create(rows, batch_size=500)
    links = [
        PublishedMeasure.partner_units.through(publishedmeasure_id=row.pk, unit_id=unit.pk)
        for row, units in zip(created, partners, strict=True)
        for unit in units
    ]
    PublishedMeasure.partner_units.through.objects.bulk_create(links, batch_size=1000)


def published_update(*, plan_ids: Iterable[int] | None) -> None:
    """Make the read model hold exactly what the public may see of ``plan_ids`` (None: all)."""
    plans = Plan.objects.all()
    stale = PublishedPlan.objects.all()
    if plan_ids is not None:
        plan_ids = set(plan_ids)
        if not plan_ids:
            return
        plans = plans.filter(pk__in=plan_ids)
        stale = stale.filter(plan_id__in=plan_ids)
    units_by_slug = {unit.slug: unit for unit in Unit.objects.all()}
    kept = []
    for plan in plans.order_by("pk"):
        adoption = _published_adoption(plan)
        consultation = _published_consultation(plan)
        if adoption is not None or consultation is not None:
            _write(plan, adoption, consultation, units_by_slug)
            kept.append(plan.pk)
    stale.exclude(plan_id__in=kept).delete()


def published_on_public_change(change: PublicChange) -> None:
    """The publishing listener."""
    published_update(plan_ids=None if change.everything else change.plan_ids)


# -- reading (every public page) ---------------------------------------------------


def published_plans() -> QuerySet[PublishedPlan]:
    """Every published plan, by title."""
    return PublishedPlan.objects.order_by("title")


def front_page_plans(*, limit: int) -> list[PublishedPlan]:
    """The first ``limit`` plans in force, by title (the plan list has them all)."""
    return list(published_plans().exclude(status=Plan.Status.RETIRED)[:limit])


def published_plan_counts() -> tuple[int, int]:
    """How many published plans are in force, and how many are retired."""
    counts = dict(PublishedPlan.objects.values_list("status").annotate(n=Count("pk")).order_by())
    retired = counts.pop(Plan.Status.RETIRED, 0)
    return sum(counts.values()), retired


def published_plans_page(
    *, in_force: tuple[int, int], retired: tuple[int, int]
) -> tuple[list[PublishedPlan], list[PublishedPlan]]:
    """Rows ``in_force`` (start, stop) of the plans in force and ``retired`` of the
    retired ones, by title: one page of the plan list."""
    plans = published_plans()
    current = plans.exclude(status=Plan.Status.RETIRED)[in_force[0] : in_force[1]]
    old = plans.filter(status=Plan.Status.RETIRED)[retired[0] : retired[1]]
    return (
        list(current) if in_force[1] > in_force[0] else [],
        list(old) if retired[1] > retired[0] else [],
    )


def published_plan_get(*, slug: str) -> PublishedPlan:
    """The published plan at ``slug``; 404 when nothing is published there."""
    published = PublishedPlan.objects.select_related("adoption", "consultation").defer(
        "adoption__pdf", "adoption__snapshot", "consultation__pdf", "consultation__snapshot"
    )
    found = published.filter(slug=slug).first()
    if found is None:
        raise Http404
    return found


def published_snapshot(published: PublishedPlan) -> dict:
    """The frozen text the public reads: the version in force, else the consultation draft."""
    if published.adoption_id is None:
        return consultation_snapshot(published)
    return (
        Adoption.objects.filter(pk=published.adoption_id).values_list("snapshot", flat=True).get()
    )


def consultation_snapshot(published: PublishedPlan) -> dict:
    """The frozen consultation draft on offer ({} when there is none)."""
    if published.consultation_id is None:
        return {}
    return (
        Consultation.objects.filter(pk=published.consultation_id)
        .values_list("snapshot", flat=True)
        .get()
    )


def published_consultation_pdf(published: PublishedPlan) -> Consultation | None:
    """The stored PDF of the consultation draft on offer, if any."""
    if published.consultation_id is None:
        return None
    return (
        Consultation.objects.only("pk", "plan_id", "round", "pdf", "pdf_sha256")
        .filter(pk=published.consultation_id)
        .first()
    )


def published_document(published: PublishedPlan) -> dict:
    """The adopted text of the version in force, with today's measure status joined by identity."""
    return with_live_measure_status(published_snapshot(published), plan_id=published.plan_id)


def _with_joined(document: dict, join: Callable[[dict], dict]) -> dict:
    """A copy of ``document`` whose measures are copies with ``join(measure)`` added.

    Only the focus areas and measures are copied (shallow, some 0.2 ms for 300): the
    frozen text itself is shared and never changed, so a decoded copy kept between
    requests (plans/fragments.py) can be joined again and again.
    """
    return {
        **document,
        "focus_areas": [
            {**area, "measures": [{**measure, **join(measure)} for measure in area["measures"]]}
            for area in document.get("focus_areas", [])
        ],
    }


def with_live_measure_status(document: dict, *, plan_id: int) -> dict:
    """``document`` with each measure's current status (follow-up is public by nature)."""
    # No ordering: the default one joins the plan and focus area for nothing.
    statuses = dict(Measure.objects.filter(plan_id=plan_id).order_by().values_list("pk", "status"))
    labels = {value: str(label) for value, label in Measure.Status.choices}

    def join(measure: dict) -> dict:
        status = statuses.get(measure["id"])
        if status is None:
            return {}
        return {"status": status, "status_display": labels[status]}

    return _with_joined(document, join)


def with_status_reports(document: dict, *, plan_id: int) -> dict:
    """``document`` with each measure's status reports, newest first (one query).

    Joined by the measure's identity, like its status: ``latest_report`` and
    ``earlier_reports``. Who wrote a report is left out (names are personal data).
    """
    reports: dict[int, list[dict]] = {}
    labels = {value: str(label) for value, label in Measure.Status.choices}
    # Formatted once per date, not per report: Django's date filter is slow in bulk.
    dates: dict[date, tuple[str, str]] = {}
    rows = (
        StatusReport.objects.filter(measure__plan_id=plan_id)
        .order_by("measure_id", "-reported_on", "-id")
        .values_list("measure_id", "status", "text", "reported_on")
    )
    for measure_id, status, text, reported_on in rows:
        if reported_on not in dates:
            dates[reported_on] = (
                date_filter(reported_on, "Y-m-d"),
                date_filter(reported_on, "j. F Y"),
            )
        reports.setdefault(measure_id, []).append(
            {
                "status": status,
                "status_display": labels.get(status, status),
                "text": text,
                "reported_on": reported_on,
                "reported_on_iso": dates[reported_on][0],
                "reported_on_text": dates[reported_on][1],
            }
        )

    def join(measure: dict) -> dict:
        found = reports.get(measure["id"], [])
        return {"latest_report": found[0] if found else None, "earlier_reports": found[1:]}

    return _with_joined(document, join)


def published_versions(published: PublishedPlan) -> QuerySet[Adoption]:
    """The adopted versions up to the one in force, newest first, without snapshot and PDF."""
    return (
        Adoption.objects.filter(
            plan_id=published.plan_id, version_number__lte=published.version_number
        )
        .defer("pdf", "snapshot")
        .order_by("-version_number")
    )


def published_version_get(published: PublishedPlan, number: int) -> Adoption:
    """Adopted version ``number`` of a published plan (404 if there is none)."""
    adoption = published_versions(published).defer("pdf").filter(version_number=number).first()
    if adoption is None:
        raise Http404
    return Adoption.objects.defer("pdf").get(pk=adoption.pk)


def published_pdf(published: PublishedPlan, number: int | None = None) -> Adoption | None:
    """The stored PDF of version ``number`` (the version in force if None) of a published plan."""
    number = published.version_number if number is None else number
    if number > published.version_number:
        return None
    return (
        Adoption.objects.only("pk", "plan_id", "version_number", "pdf", "pdf_sha256")
        .filter(plan_id=published.plan_id, version_number=number)
        .first()
    )


def published_attachment(published: PublishedPlan, pk: int) -> PlanAttachment:
    """An attachment the published version lists, with the very bytes it listed; else 404."""
    listed = published_snapshot(published).get("attachments", [])
    wanted = next((a for a in listed if a.get("id") == pk), None)
    attachment = PlanAttachment.objects.filter(pk=pk, plan_id=published.plan_id).first()
    if wanted is None or attachment is None or attachment.sha256 != wanted.get("sha256"):
        raise Http404
    return attachment


def published_units() -> QuerySet[Unit]:
    """Units with the number of published measures each is responsible for."""
    return (
        Unit.objects.select_related("parent")
        .annotate(
            # Measures of adopted versions only: a consultation draft's are not in force.
            public_measure_count=Count(
                "published_responsible_for",
                filter=Q(published_responsible_for__published_plan__adoption__isnull=False),
                distinct=True,
            ),
        )
        .order_by("kind", "name")
    )


def _with_live_status(measures: list[PublishedMeasure]) -> list[PublishedMeasure]:
    statuses = dict(
        Measure.objects.filter(pk__in=[m.measure_id for m in measures]).values_list("pk", "status")
    )
    labels = dict(Measure.Status.choices)
    for measure in measures:
        status = statuses.get(measure.measure_id)
        measure.status = status
        measure.status_display = str(labels[status]) if status else ""
    return measures


def published_measure_counts_for_unit(unit: Unit) -> tuple[int, int]:
    """How many published measures ``unit`` is responsible for, and a partner in (only)."""
    # Measures of adopted versions only: a consultation draft's are not yet anybody's.
    adopted = PublishedMeasure.objects.filter(published_plan__adoption__isnull=False)
    responsible = adopted.filter(responsible_unit=unit).count()
    partner = adopted.filter(partner_units=unit).exclude(responsible_unit=unit).count()
    return responsible, partner


def published_measures_for_unit_page(
    unit: Unit, *, responsible: tuple[int, int], partner: tuple[int, int]
) -> tuple[list[PublishedMeasure], list[PublishedMeasure]]:
    """Rows ``responsible`` (start, stop) of the measures ``unit`` is responsible for and
    rows ``partner`` of those it is (only) a partner in, with their live status.

    A page of a unit responsible for thousands of measures reads that page's rows only.
    """
    ordered = (
        PublishedMeasure.objects.filter(published_plan__adoption__isnull=False)
        .select_related("published_plan")
        .order_by("published_plan__title", "position", "pk")
    )
    first = ordered.filter(responsible_unit=unit)[responsible[0] : responsible[1]]
    second = ordered.filter(partner_units=unit).exclude(responsible_unit=unit)
    second = second[partner[0] : partner[1]]
    first = list(first) if responsible[1] > responsible[0] else []
    second = list(second) if partner[1] > partner[0] else []
    _with_live_status(first + second)
    return first, second


def published_plans_with_versions() -> QuerySet[PublishedPlan]:
    """Published plans with their adopted versions (for the sitemap)."""
    return PublishedPlan.objects.prefetch_related(
        Prefetch(
            "plan__adoptions",
            queryset=Adoption.objects.defer("pdf", "snapshot").order_by("version_number"),
        )
    ).order_by("pk")
