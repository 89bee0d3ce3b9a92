"""Reads for the consultation pages."""

from __future__ import annotations

from collections import Counter

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from consultation.models import ConsultationResponse
from measures.models import Measure
from organisation.models import Unit
from plans.models import Consultation, Plan, PublishedPlan
from plans.published import consultation_snapshot


def published_consultation(published: PublishedPlan) -> Consultation:
    """The consultation the public may read and respond to at this plan's address; else 404."""
    if published.consultation_id is None:
        raise Http404
    return published.consultation


def _frozen_measure_titles(snapshot: dict) -> dict[int, str]:
    return {
        m["id"]: m["title"] for area in snapshot.get("focus_areas", []) for m in area["measures"]
    }


def public_responses(published: PublishedPlan) -> list[ConsultationResponse]:
    """The published responses of the consultation on offer, with the measures they changed.

    A measure is named as the consultation draft had it (the live title may be an
    unpublished edit); a measure added since shows up with the next adoption.
    """
    titles = _frozen_measure_titles(consultation_snapshot(published))
    responses = list(
        ConsultationResponse.objects.filter(
            consultation_id=published.consultation_id,
            publication=ConsultationResponse.Publication.PUBLISHED,
        )
        .defer("email")
        .prefetch_related(Prefetch("measures", queryset=Measure.objects.only("pk", "plan_id")))
        .order_by("received_at", "pk")
    )
    for response in responses:
        response.public_measures = [titles[m.pk] for m in response.measures.all() if m.pk in titles]
    return responses


def responses_for_plan(plan: Plan) -> QuerySet[ConsultationResponse]:
    """Every response to every round of ``plan``, newest round first, for its editors."""
    return (
        ConsultationResponse.objects.filter(consultation__plan=plan)
        .select_related("consultation")
        .prefetch_related("measures", "sections")
        .order_by("-consultation__round", "received_at", "pk")
    )


def response_for_plan(plan: Plan, pk: int) -> ConsultationResponse:
    found = responses_for_plan(plan).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def kind_counts(responses) -> list[tuple[str, int]]:
    labels = dict(ConsultationResponse.Kind.choices)
    counts = Counter(r.kind for r in responses)
    return [(str(labels[k]), counts[k]) for k in labels if counts[k]]


def invitation_candidates(plan: Plan) -> list[Unit]:
    """The councils and partners registered for the plan's group (its seats) or its measures,
    with their contacts and, as ``invitation``, the one already sent for the open round."""
    kinds = (Unit.Kind.COUNCIL, Unit.Kind.EXTERNAL)
    registered = Q(pk__in=Measure.objects.filter(plan=plan).values("partner_units"))
    if plan.process_group_id:
        registered |= Q(memberships__group_id=plan.process_group_id)
    units = list(
        Unit.objects.filter(kind__in=kinds)
        .filter(registered)
        .distinct()
        .prefetch_related("contacts")
        .order_by("name")
    )
    consultation = plan.consultations.defer("pdf", "snapshot").order_by("-round").first()
    sent = {}
    if consultation is not None:
        sent = {i.unit_id: i for i in consultation.invitations.all()}
    for unit in units:
        unit.invitation = sent.get(unit.pk)
        unit.emails = sorted({u.email for u in unit.contacts.all() if u.email and u.is_active})
    return units
