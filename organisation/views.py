"""Public pages of units: who is responsible for what."""

from django.shortcuts import render

from core.middleware import cache_public_page
from organisation import selectors


@cache_public_page
def unit_list(request):
    return render(request, "organisation/unit_list.html", {"units": selectors.unit_list_public()})


@cache_public_page
def unit_detail(request, slug):
    unit = selectors.unit_get_public(slug=slug)
    measures = selectors.measures_for_unit_public(unit)
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
