"""Units (public: who is responsible for what) and process groups (their working page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.middleware import cache_public_page
from core.views import form_status, save_form
from measures import selectors as measure_selectors
from organisation import forms, permissions, selectors
from organisation.models import MandateItem
from organisation.services import mandate_item_set_status
from stakeholders import selectors as stakeholder_selectors


@cache_public_page
def unit_list(request):
    return render(
        request,
        "organisation/unit_list.html",
        {"units": measure_selectors.units_with_public_measure_counts()},
    )


@cache_public_page
def unit_detail(request, slug):
    unit = selectors.unit_get_public(slug=slug)
    measures = measure_selectors.measures_for_unit_public(unit)
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


def _group_page(request, group, *, status_form=None, item_pk=None):
    """The group's working page; ``status_form``: item ``item_pk``'s form shown again."""
    context = selectors.group_page(group)
    context["analyses"] = stakeholder_selectors.analyses_for_group(group)
    context["status_choices"] = MandateItem.Status.choices
    context["status_form"], context["status_form_pk"] = status_form, item_pk
    status = form_status(status_form) if status_form is not None else 200
    return render(request, "organisation/group_detail.html", context, status=status)


@login_required
def group_detail(request, slug):
    group = selectors.group_get(slug=slug)
    if not permissions.can_edit_group(request.user, group):
        raise PermissionDenied
    return _group_page(request, group)


@login_required
@require_POST
def mandate_item_status(request, slug, item_pk):
    group = selectors.group_get(slug=slug)
    if not permissions.can_edit_group(request.user, group):
        raise PermissionDenied
    item = get_object_or_404(MandateItem, pk=item_pk, group=group)
    form = forms.MandateStatusForm(request.POST)
    if save_form(
        form,
        lambda: mandate_item_set_status(
            actor=request.user, mandate_item=item, status=form.cleaned_data["status"]
        ),
    ):
        messages.success(request, _("The mandate item's status was saved."))
        return redirect("organisation:group_detail", slug=group.slug)
    return _group_page(request, group, status_form=form, item_pk=item.pk)
