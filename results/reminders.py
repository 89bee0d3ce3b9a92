"""The follow-up cycle of plans in force: what is due, for the start page and e-mail.

- **Revision due**: the plan's ``revision_due_on``, else a year after its latest
  adoption; shown from 30 days before.
- **Indicator values due**: the next value of an indicator is due once the period
  after its latest value has ended: the latest value's date plus two periods of its
  frequency (a yearly value for 2023, dated 1 January 2023, is due from 1 January
  2025 for 2024). Without values: the baseline's date plus two periods, else one
  period after the indicator was made.
- **Yearly report due**: from 1 January, the report on the year before, for a plan
  adopted by then, until it is final; due by ``REPORT_DUE`` (31 March).

``send_followup_reminders`` e-mails each editor of a plan's group once a day at most
per item (``FollowUpReminderSent``); ``send_reminders`` calls it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.mail import MAIL_ERRORS, describe
from organisation import permissions
from plans.models import Plan
from results.models import (
    FREQUENCY_MONTHS,
    FollowUpReminderSent,
    Indicator,
    YearlyReport,
)

REVISION_NOTICE_DAYS = 30
REPORT_DUE = (3, 31)  # month, day of the year after the report's year
PLANS_IN_FORCE = (Plan.Status.ADOPTED, Plan.Status.REVISION)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


@dataclass
class FollowUpDue:
    plan: Plan
    kind: str
    due_on: date
    key: int = 0
    indicator: Indicator | None = None

    @property
    def kind_display(self) -> str:
        return str(FollowUpReminderSent.Kind(self.kind).label)

    @property
    def overdue(self) -> bool:
        return self.due_on < self._today

    _today: date = date.min

    @property
    def url(self) -> str:
        if self.kind == FollowUpReminderSent.Kind.INDICATOR:
            return reverse("results:indicator_update", args=[self.plan.slug, self.key])
        if self.kind == FollowUpReminderSent.Kind.REPORT:
            return reverse("results:report_work_list", args=[self.plan.slug])
        return reverse("plans:plan_work", args=[self.plan.slug])


def indicator_next_due(indicator, last_value_on: date | None) -> date:
    months = FREQUENCY_MONTHS[indicator.frequency]
    if last_value_on is not None:
        return add_months(last_value_on, 2 * months)
    if indicator.baseline_date is not None:
        return add_months(indicator.baseline_date, 2 * months)
    return add_months(indicator.created_at.date(), months)


def follow_up_due(*, today: date, plans=None) -> list[FollowUpDue]:
    """What is due in the follow-up of ``plans`` (default: all in force); three queries."""
    plans = (plans if plans is not None else Plan.objects.all()).filter(status__in=PLANS_IN_FORCE)
    plans = list(plans.annotate(adopted_on=Max("adoptions__meeting_date")).order_by("title"))
    by_id = {plan.pk: plan for plan in plans}
    items: list[FollowUpDue] = []
    for plan in plans:
        due = plan.revision_due(plan.adopted_on)
        if due and due <= today + timedelta(days=REVISION_NOTICE_DAYS):
            items.append(FollowUpDue(plan, FollowUpReminderSent.Kind.REVISION, due))
    indicators = (
        Indicator.objects.filter(goal__plan_id__in=by_id)
        .select_related("goal")
        .annotate(last_value_on=Max("values__date"))
        .order_by("goal__plan_id", "order", "pk")
    )
    for indicator in indicators:
        due = indicator_next_due(indicator, indicator.last_value_on)
        if due <= today:
            items.append(
                FollowUpDue(
                    by_id[indicator.goal.plan_id],
                    FollowUpReminderSent.Kind.INDICATOR,
                    due,
                    key=indicator.pk,
                    indicator=indicator,
                )
            )
    year = today.year - 1
    reported = set(
        YearlyReport.objects.filter(
            plan_id__in=by_id, year=year, status=YearlyReport.Status.FINAL
        ).values_list("plan_id", flat=True)
    )
    for plan in plans:
        if plan.adopted_on and plan.adopted_on.year <= year and plan.pk not in reported:
            items.append(
                FollowUpDue(
                    plan,
                    FollowUpReminderSent.Kind.REPORT,
                    date(today.year, *REPORT_DUE),
                    key=year,
                )
            )
    for item in items:
        item._today = today
    return items


def follow_up_due_for_user(user, *, today: date) -> list[FollowUpDue]:
    """What is due in the plans ``user`` edits (for the start page)."""
    if not permissions.is_editor(user) and not permissions.is_plan_admin(user):
        return []
    return follow_up_due(today=today, plans=permissions.plans_editable_by(user, Plan.objects))


def send_followup_reminders(
    *, today: date, base_url: str = "", dry_run: bool = False, on_failure=None
):
    """E-mail each active editor of a plan's group what is due; at most once a day an item."""
    items = follow_up_due(today=today)
    plan_ids = {item.plan.pk for item in items}
    editors = defaultdict(list)
    for plan in Plan.objects.filter(pk__in=plan_ids).prefetch_related("process_group__editors"):
        if plan.process_group is not None:
            editors[plan.pk] = [
                u for u in plan.process_group.editors.all() if u.is_active and u.email
            ]
    sent = set(
        FollowUpReminderSent.objects.filter(sent_on=today).values_list(
            "user_id", "plan_id", "kind", "key"
        )
    )
    per_user: dict = defaultdict(list)
    for item in items:
        for user in editors.get(item.plan.pk, []):
            if (user.pk, item.plan.pk, item.kind, item.key) not in sent:
                per_user[user].append(item)
    lines = []
    with translation.override(settings.LANGUAGE_CODE):
        for user, user_items in per_user.items():
            lines.append(f"{user.get_username()}: {len(user_items)} follow-up item(s)")
            if dry_run:
                continue
            context = {
                "user": user,
                "items": user_items,
                "base_url": base_url,
                "municipality_name": settings.HEIMPLAN_MUNICIPALITY,
            }
            subject = render_to_string("results/email/followup_subject.txt", context).strip()
            body = render_to_string("results/email/followup.txt", context)
            try:
                # Marked as sent and sent together: a refused e-mail rolls the marks back.
                with transaction.atomic():
                    FollowUpReminderSent.objects.bulk_create(
                        FollowUpReminderSent(
                            user=user, plan=i.plan, kind=i.kind, key=i.key, sent_on=today
                        )
                        for i in user_items
                    )
                    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
            except MAIL_ERRORS as exc:
                lines.pop()
                if on_failure is None:
                    raise
                on_failure(user.email, describe(exc))
    return lines
