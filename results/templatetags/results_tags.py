"""The goals of a plan document with their indicators, for the plan's page."""

from django import template

from plans.selectors import document_goals
from results.models import YearlyReport
from results.selectors import follow_up_by_goal

register = template.Library()


@register.inclusion_tag("results/goals_section.html")
def plan_goals(document: dict, plan):
    """The goals of ``document`` (the adopted version on public pages), each with the
    indicators that follow it up, and the plan's final yearly reports. Indicators of
    goals that are not in the document (a draft goal) are never read."""
    goals = document_goals(document)
    indicators = follow_up_by_goal([goal["id"] for goal in goals]) if goals else {}
    plan_id = getattr(plan, "plan_id", None) or plan.pk
    return {
        "plan": plan,
        "has_reports": YearlyReport.objects.filter(
            plan_id=plan_id, status=YearlyReport.Status.FINAL
        ).exists(),
        "goals": [
            {
                **main,
                "indicators": indicators.get(main["id"], []),
                "children": [
                    {**sub, "indicators": indicators.get(sub["id"], [])}
                    for sub in main.get("children", [])
                ],
            }
            for main in document.get("goals", [])
        ],
    }


@register.filter
def number_nb(value) -> str:
    """A decimal in Norwegian form: 12,5 (no trailing zeros), − for minus."""
    if value is None:
        return ""
    text = f"{value.normalize():f}" if hasattr(value, "normalize") else str(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",").replace("-", "−")


@register.filter
def number_text(value) -> str:
    """A number stored as text in a frozen report (``"12.5"``), in Norwegian form."""
    if value in (None, ""):
        return ""
    return str(value).replace(".", ",").replace("-", "−")
