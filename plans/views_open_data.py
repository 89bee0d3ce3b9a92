"""Open data: JSON and CSV of published plans (schema in docs/open-data.md)."""

import csv
import io

from django.http import HttpResponse, JsonResponse

from core.middleware import cache_public_page
from core.text import spreadsheet_safe
from plans import open_data


def _base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


@cache_public_page
def plan_json(request, slug):
    plan = open_data.plan_get_published(slug=slug)
    data = open_data.plan_open_data(plan=plan, base_url=_base_url(request))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@cache_public_page
def plan_measures_csv(request, slug):
    plan = open_data.plan_get_published(slug=slug)
    data = open_data.plan_open_data(plan=plan, base_url=_base_url(request))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(open_data.CSV_COLUMNS)
    for row in open_data.plan_measure_rows(data):
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{plan.slug}-tiltak.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
