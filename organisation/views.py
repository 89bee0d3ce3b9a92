"""Units (public: who is responsible for what) and process groups (their working page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.middleware import cache_public_page
from organisation import forms, permissions, selectors
from organisation.models import MandateItem
from organisation.services import mandate_item_set_status
from plans import published
from stakeholders import selectors as stakeholder_selectors


@cache_public_page
def unit_list(request):
    return render(
        request,
        "organisation/unit_list.html",
        {"units": published.published_units()},
    )


@cache_public_page
def unit_detail(request, slug):
    unit = selectors.unit_get_public(slug=slug)
    measures = published.published_measures_for_unit(unit)
    responsible = [m for m in measures if m.responsible_unit_id == unit.pk]
    partner = [m for m in measures if m.responsible_unit_id != unit.pk]
    return render(
        request,
        "organisation/unit_detail.html",
        {
            "unit": unit,
            "responsible_measures": responsible,
            "partner_measures": partner,
            "groups": selectors.groups_for_unit(unit),
        },
    )


@login_required
def group_detail(request, slug):
    group = selectors.group_get(slug=slug)
    if not permissions.can_edit_group(request.user, group):
        raise PermissionDenied
    context = selectors.group_page(group)
    context["analyses"] = stakeholder_selectors.analyses_for_group(group)
    context["status_choices"] = MandateItem.Status.choices
    return render(request, "organisation/group_detail.html", context)


@login_required
@require_POST
def mandate_item_status(request, slug, item_pk):
    group = selectors.group_get(slug=slug)
    if not permissions.can_edit_group(request.user, group):
        raise PermissionDenied
    item = get_object_or_404(MandateItem, pk=item_pk, group=group)
    form = forms.MandateStatusForm(request.POST)
    if form.is_valid():
        mandate_item_set_status(item=item, status=form.cleaned_data["status"])
        messages.success(request, _("The mandate item's status was saved."))
    else:
        messages.error(request, _("Choose one of the statuses in the list."))
    return redirect("organisation:group_detail", slug=group.slug)
