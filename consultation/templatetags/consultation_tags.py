from django import template
from django.utils import timezone

register = template.Library()


@register.filter(name="deadline_not_passed")
def deadline_not_passed(deadline) -> bool:
    """Whether responses are still taken on ``deadline`` (the deadline day included)."""
    return bool(deadline) and timezone.localdate() <= deadline
