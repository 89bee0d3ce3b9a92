"""Units (public), process groups (their working page) and people (the administrator's)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_validation_error
from core.middleware import cache_public_page, skip_public_cache
from core.paging import PAGE_PARAM, page_of, split
from core.people import person_name
from core.views import form_status, save_form
from organisation import forms, permissions, selectors, services
from organisation.models import MandateItem
from organisation.services import mandate_item_set_status
from plans import published
from stakeholders import selectors as stakeholder_selectors


@cache_public_page
def unit_list(request):
    units = list(published.published_units())
    # Units responsible for no published measure are listed apart, by name only.
    return render(
        request,
        "organisation/unit_list.html",
        {
            "units": [unit for unit in units if unit.public_measure_count],
            "units_without_measures": [unit for unit in units if not unit.public_measure_count],
        },
    )


# Measures on one page of a unit (those it is responsible for, then those it is a partner in).
UNIT_MEASURES_PER_PAGE = 100


@cache_public_page(params=(PAGE_PARAM,))
def unit_detail(request, slug):
    unit = selectors.unit_get_public(slug=slug)
    responsible_count, partner_count = published.published_measure_counts_for_unit(unit)
    page = page_of(
        request, count=responsible_count + partner_count, per_page=UNIT_MEASURES_PER_PAGE
    )
    rows, partner_rows = split(page, responsible_count)
    responsible, partner = published.published_measures_for_unit_page(
        unit, responsible=rows, partner=partner_rows
    )
    response = render(
        request,
        "organisation/unit_detail.html",
        {
            "unit": unit,
            "responsible_count": responsible_count,
            "responsible_measures": responsible,
            "partner_measures": partner,
            "page": page,
            "groups": selectors.groups_for_unit(unit),
        },
    )
    if not page.asked_as(request):
        skip_public_cache(response)
    return response


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


# People (the Planadministrator's page for accounts)
# ------


def _people_admin(request) -> None:
    if not permissions.can_manage_people(request.user):
        raise PermissionDenied


def _person_for_admin(request, pk):
    _people_admin(request)
    person = selectors.person_get(pk=pk)
    if not permissions.can_manage_person(request.user, person):
        raise PermissionDenied
    return person


def _base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


@login_required
def person_list(request):
    _people_admin(request)
    return render(request, "organisation/person_list.html", {"people": selectors.people_list()})


@login_required
def person_add(request):
    _people_admin(request)
    form = forms.PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                actor=request.user, data=form.cleaned_data, base_url=_base_url(request)
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is added. An e-mail with a link to set a password went to %(email)s.")
                % {"name": person_name(person), "email": person.email},
            )
            return redirect("organisation:person_list")
    return render(
        request,
        "organisation/person_form.html",
        {"form": form, "title": _("Add a person")},
        status=400 if form.errors else 200,
    )


@login_required
def person_change(request, pk):
    person = _person_for_admin(request, pk)
    form = forms.PersonForm(
        request.POST or None, person=person, initial=forms.PersonForm.initial_for(person)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, data=form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": person_name(person)})
            return redirect("organisation:person_list")
    return render(
        request,
        "organisation/person_form.html",
        {"form": form, "person": person, "title": person_name(person)},
        status=400 if form.errors else 200,
    )


@login_required
def person_set_active(request, pk, active: bool):
    """GET: what (de)activating means, with the button; POST: do it."""
    person = _person_for_admin(request, pk)
    refusal = None
    if not active and person.pk == request.user.pk:
        refusal = _("You cannot deactivate yourself. Ask another Planadministrator to do it.")
    if request.method == "POST":
        try:
            services.person_set_active(actor=request.user, user=person, active=active)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("organisation:person_change", pk=person.pk)
        if active:
            message = _("%(name)s can sign in again.")
        else:
            message = _("%(name)s is deactivated and can no longer sign in.")
        messages.success(request, message % {"name": person_name(person)})
        return redirect("organisation:person_list")
    return render(
        request,
        "organisation/person_confirm_active.html",
        {"person": person, "active": active, "refusal": refusal},
    )
