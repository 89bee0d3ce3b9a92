"""Reminders about measures: who should hear about what today, and sending it once.

A person hears about the measures of the units they are a contact for, in plans
in force: past deadline, deadline near, or no status report for the plan's
``report_stale_after_days``. One e-mail per person; a (person, measure, reason)
is never sent twice on the same day (``ReminderSent`` has a unique constraint).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.mail import MAIL_ERRORS, describe
from measures.models import OPEN_MEASURE_STATUSES, Measure, ReminderSent
from measures.selectors import is_stale
from plans.models import Plan

logger = logging.getLogger(__name__)

DEADLINE_NEAR_DAYS = 14
# Plans whose measures are being carried out.
PLANS_IN_FORCE = (Plan.Status.ADOPTED, Plan.Status.REVISION)


@dataclass
class ReminderItem:
    measure: Measure
    reason: str

    @property
    def reason_display(self) -> str:
        return str(ReminderSent.Reason(self.reason).label)


def reminder_reasons(measure: Measure, today: date) -> list[str]:
    reasons = []
    if measure.deadline and measure.deadline < today:
        reasons.append(ReminderSent.Reason.OVERDUE)
    elif measure.deadline and measure.deadline <= today + timedelta(days=DEADLINE_NEAR_DAYS):
        reasons.append(ReminderSent.Reason.DEADLINE_NEAR)
    if is_stale(measure, today):
        reasons.append(ReminderSent.Reason.NO_RECENT_REPORT)
    return reasons


def reminders_due(*, today: date) -> dict:
    """{user: [ReminderItem]} of what is due today and not yet sent today (fixed query count)."""
    measures = (
        Measure.objects.filter(plan__status__in=PLANS_IN_FORCE, status__in=OPEN_MEASURE_STATUSES)
        .select_related("plan", "responsible_unit")
        .prefetch_related("responsible_unit__contacts")
        .annotate(last_report_on=Max("status_reports__reported_on"))
        .order_by("plan__title", "deadline", "pk")
    )
    sent = set(
        ReminderSent.objects.filter(sent_on=today).values_list("user_id", "measure_id", "reason")
    )
    due: dict = defaultdict(list)
    for measure in measures:
        reasons = reminder_reasons(measure, today)
        if not reasons:
            continue
        for user in measure.responsible_unit.contacts.all():
            if not (user.is_active and user.email):
                continue
            for reason in reasons:
                if (user.pk, measure.pk, reason) not in sent:
                    due[user].append(ReminderItem(measure=measure, reason=reason))
    return dict(due)


def reminders_send(
    *,
    today: date | None = None,
    base_url: str = "",
    on_failure: Callable[[str, str], None] | None = None,
) -> int:
    """Send today's reminders, one e-mail per person; returns the number of e-mails sent.

    Each person's e-mail and its ``ReminderSent`` rows commit together: if the
    e-mail fails (the mail server is away, the address is refused), nothing is
    recorded for that person, ``on_failure(address, reason)`` is told in one line
    (logged when not given), the others are still sent, and the next run tries again.
    """
    today = today or timezone.localdate()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user, items in reminders_due(today=today).items():
            context = {
                "user": user,
                "items": items,
                "today": today,
                "municipality_name": settings.HEIMPLAN_MUNICIPALITY,
                "mine_url": base_url + reverse("measures:mine"),
            }
            subject = render_to_string("measures/email/reminder_subject.txt", context).strip()
            body = render_to_string("measures/email/reminder.txt", context)
            try:
                with transaction.atomic():
                    ReminderSent.objects.bulk_create(
                        [
                            ReminderSent(
                                user=user, measure=item.measure, reason=item.reason, sent_on=today
                            )
                            for item in items
                        ]
                    )
                    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
            except MAIL_ERRORS as exc:
                reason = describe(exc)
                if on_failure is None:
                    logger.warning("Reminder not sent to %s: %s", user.email, reason)
                else:
                    on_failure(user.email, reason)
                continue
            sent += 1
    return sent
