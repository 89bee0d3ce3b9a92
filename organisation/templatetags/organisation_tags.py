from django import template

from organisation import permissions

register = template.Library()


@register.filter(name="may_manage_people")
def may_manage_people(user) -> bool:
    """Whether ``user`` gets the people page (a Planadministrator)."""
    return permissions.can_manage_people(user)
