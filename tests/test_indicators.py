"""Indicators: the trend rule, both importers (all rows or none) and flat query counts."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from plans.services import goal_create, plan_register_adoption
from results import importers, selectors
from results.models import IndicatorValue
from results.services import (
    indicator_create,
    indicator_import_preview,
    indicator_value_create,
    indicator_values_import,
)
from results.trend import TrendStatus, trend_of
from tests.lifecycle_helpers import plan_with_content

D = Decimal
pytestmark = pytest.mark.django_db


# -- the trend rule ----------------------------------------------------------------------


def test_too_little_data_with_fewer_than_two_points():
    assert trend_of([], better_up=True).status == TrendStatus.TOO_LITTLE_DATA
    one = [(date(2024, 1, 1), D(5))]
    assert trend_of(one, better_up=True).status == TrendStatus.TOO_LITTLE_DATA
    # the baseline counts as a point when it comes first
    baseline = (date(2020, 1, 1), D(4))
    assert trend_of(one, better_up=True, baseline=baseline).status == TrendStatus.ON_TRACK


def test_without_a_target_the_direction_decides():
    series = [(date(2021, 1, 1), D(10)), (date(2023, 1, 1), D(8))]
    assert trend_of(series, better_up=False).status == TrendStatus.ON_TRACK
    assert trend_of(series, better_up=True).status == TrendStatus.NOT_ON_TRACK


def test_with_a_target_the_line_to_the_target_decides():
    target = (date(2030, 1, 1), D(20))
    start = (date(2020, 1, 1), D(10))
    halfway_good = [start, (date(2025, 1, 1), D(15.5))]
    halfway_short = [start, (date(2025, 1, 1), D(13))]
    assert trend_of(halfway_good, better_up=True, target=target).status == TrendStatus.ON_TRACK
    assert trend_of(halfway_short, better_up=True, target=target).status == TrendStatus.NOT_ON_TRACK
    reached = [start, (date(2022, 1, 1), D(21))]
    assert trend_of(reached, better_up=True, target=target).status == TrendStatus.ON_TRACK
    late = [start, (date(2031, 1, 1), D(19))]
    assert trend_of(late, better_up=True, target=target).status == TrendStatus.NOT_ON_TRACK
    # lower is better: falling from 10 towards 5
    down_target = (date(2030, 1, 1), D(5))
    falling = [start, (date(2025, 1, 1), D(7))]
    assert trend_of(falling, better_up=False, target=down_target).status == TrendStatus.ON_TRACK


# -- the readers -------------------------------------------------------------------------


def test_csv_reads_norwegian_numbers_and_periods():
    data = (
        "\ufeffPeriode;Verdi;Merknad;Kilde\n"
        "2021;12,5;;Ungdata\n"
        "2022 K3;1 234,5;revidert;\n"
        "2018-2020;1.234,25;;\n"
        "31.12.2023;-3;;\n"
        "2024;..;;\n"
    ).encode()
    result = importers.read_csv(data)
    assert result.errors == []
    assert [(r.date, r.period, r.value, r.note) for r in result.rows] == [
        (date(2021, 1, 1), "2021", D("12.5"), ""),
        (date(2022, 7, 1), "2022 K3", D("1234.5"), "revidert"),
        (date(2020, 1, 1), "2018–2020", D("1234.25"), ""),
        (date(2023, 12, 31), "", D(-3), ""),
    ]
    assert len(result.missing) == 1


def test_csv_names_every_bad_row_with_its_reason():
    data = b"periode;verdi\n2021;12.5\nsnart;3\n2022;abc\n2022;4\n2022;5\n"
    result = importers.read_csv(data)
    assert len(result.errors) == 4
    assert "Row 2" in result.errors[0] or "Rad 2" in result.errors[0]
    assert any("abc" in e for e in result.errors) and any("snart" in e for e in result.errors)
    with pytest.raises(importers.ImportFileError):
        importers.read_csv(b"a;b\n1;2\n")


def _jsonstat(values, *, times=("2021", "2022", "2023"), extra_size=1):
    return json.dumps(
        {
            "version": "2.0",
            "class": "dataset",
            "source": "Statistisk sentralbyrå",
            "id": ["Region", "ContentsCode", "Tid"],
            "size": [extra_size, 1, len(times)],
            "role": {"time": ["Tid"], "geo": ["Region"]},
            "dimension": {
                "Region": {"category": {"index": {f"50{i}": i for i in range(extra_size)}}},
                "ContentsCode": {"category": {"label": {"Andel": "Andel"}}},
                "Tid": {"category": {"index": list(times)}},
            },
            "value": values,
            "status": {"1": "."},
        }
    ).encode()


def test_jsonstat_reads_a_filtered_series():
    result = importers.read_jsonstat(_jsonstat([10.5, None, 12]))
    assert result.errors == []
    assert [(r.period, r.value) for r in result.rows] == [("2021", D("10.5")), ("2023", D(12))]
    assert result.rows[0].source == "Statistisk sentralbyrå"
    assert len(result.missing) == 1 and "2022" in result.missing[0]


def test_jsonstat_refuses_several_series_and_bad_values():
    with pytest.raises(importers.ImportFileError):
        importers.read_jsonstat(_jsonstat([1, 2, 3, 4, 5, 6], extra_size=2))
    with pytest.raises(importers.ImportFileError):
        importers.read_jsonstat(_jsonstat([1, 2]))  # too few values
    with pytest.raises(importers.ImportFileError):
        importers.read_jsonstat(b"[1, 2]")
    result = importers.read_jsonstat(_jsonstat([1, "x", 3]))
    assert len(result.errors) == 1 and "2022" in result.errors[0]


# -- applying ----------------------------------------------------------------------------


@pytest.fixture
def indicator(db):
    plan = plan_with_content(measures=1)
    goal = goal_create(actor=None, plan=plan, data={"title": "Mål"})
    return indicator_create(
        actor=None,
        goal=goal,
        data={"name": "Andel som trives", "direction": "up", "data_source": "ungdata"},
    )


def test_an_import_applies_all_rows_and_a_bad_file_changes_nothing(indicator):
    indicator_value_create(
        actor=None, indicator=indicator, data={"date": date(2021, 1, 1), "value": D(1)}
    )
    good = importers.read_csv(b"periode;verdi\n2021;2\n2022;3\n")
    preview = indicator_import_preview(indicator=indicator, result=good)
    assert (len(preview.new), len(preview.changed)) == (1, 1)
    indicator_values_import(actor=None, indicator=indicator, result=good)
    stored = list(indicator.values.order_by("date").values_list("value", flat=True))
    assert stored == [D(2), D(3)]

    bad = importers.read_csv(b"periode;verdi\n2021;9\n2023;7\n2024;sju\n")
    with pytest.raises(ValidationError):
        indicator_values_import(actor=None, indicator=indicator, result=bad)
    assert list(indicator.values.order_by("date").values_list("value", flat=True)) == stored


def test_indicator_rules(indicator):
    with pytest.raises(ValidationError):
        indicator_create(
            actor=None,
            goal=indicator.goal,
            data={"name": "Uten kilde", "direction": "up", "data_source": "other"},
        )
    with pytest.raises(ValidationError):
        indicator_create(
            actor=None,
            goal=indicator.goal,
            data={
                "name": "Halvt mål",
                "direction": "up",
                "data_source": "kostra",
                "target_value": D(3),
            },
        )
    with pytest.raises(ValidationError):  # one value per date
        for _ in range(2):
            indicator_value_create(
                actor=None, indicator=indicator, data={"date": date(2020, 1, 1), "value": D(1)}
            )


@pytest.mark.django_db
def test_public_page_queries_stay_flat_in_indicators_and_values(
    client, django_assert_max_num_queries
):
    plan = plan_with_content(measures=2)
    goals = [goal_create(actor=None, plan=plan, data={"title": f"Mål {n}"}) for n in range(3)]
    plan_register_adoption(actor=None, plan=plan, meeting_date=plan.created_at.date())
    plan.refresh_from_db()

    def add(count, years):
        for n in range(count):
            indicator = indicator_create(
                actor=None,
                goal=goals[n % 3],
                data={"name": f"Indikator {n}", "direction": "up", "data_source": "kostra"},
            )
            IndicatorValue.objects.bulk_create(
                IndicatorValue(indicator=indicator, date=date(2010 + y, 1, 1), value=D(y))
                for y in range(years)
            )

    add(1, 2)
    client.get(plan.get_absolute_url())  # warm up sessions, sites, translations
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Uncached: a query parameter the page does not read is never served from the page
    # cache (clearing the shared cache would leave this process's copy of the page).
    uncached = plan.get_absolute_url() + "?uten-mellomlager=1"
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        assert client.get(uncached).status_code == 200
    add(15, 10)
    cache.clear()
    assert len(small.captured_queries) > 3  # the page was rendered, not served from a cache
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(uncached)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('class="indicator card') == 16
    # SVG coordinates keep a decimal point on a Norwegian page
    import re

    assert re.search(r'<circle cx="[\d.]+" cy="[\d.]+"', html)
    assert not re.search(r'(cx|cy|y1|x1)="\d+,\d', html)
    assert selectors.follow_up_by_goal([goals[0].pk])[goals[0].pk][0].trend.status in TrendStatus


def test_the_import_page_previews_then_applies_and_a_bad_file_changes_nothing(indicator, client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.lifecycle_helpers import editor_of

    plan = indicator.goal.plan
    client.force_login(editor_of(plan))
    url = reverse("results:value_import", args=[plan.slug, indicator.pk])
    bad = SimpleUploadedFile("verdier.csv", b"periode;verdi\n2021;1,5\n2022;mye\n")
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    assert "mye" in response.content.decode() and not indicator.values.exists()
    assert "rows" not in response.content.decode() or response.context["rows"] == ""

    good = SimpleUploadedFile("verdier.csv", b"periode;verdi\n2021;1,5\n2022;2\n")
    preview = client.post(url, {"file": good})
    assert preview.status_code == 200 and not indicator.values.exists()  # nothing yet
    applied = client.post(url, {"apply": "1", "rows": preview.context["rows"]})
    assert applied.status_code == 302
    assert list(indicator.values.values_list("value", flat=True)) == [D("1.5"), D(2)]
    forged = client.post(url, {"apply": "1", "rows": preview.context["rows"] + "x"})
    assert forged.status_code == 302 and indicator.values.count() == 2
    page = client.get(reverse("results:indicator_update", args=[plan.slug, indicator.pk]))
    assert page.status_code == 200 and "1,5" in page.content.decode()


def test_goals_are_in_the_adopted_pdf(indicator):
    import io

    from pypdf import PdfReader

    plan = indicator.goal.plan
    plan_register_adoption(actor=None, plan=plan, meeting_date=plan.created_at.date())
    adoption = plan.adoptions.get()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(adoption.pdf)).pages)
    assert "1 Mål" in text


def test_a_long_series_shows_its_latest_values_and_is_judged_whole(client, admin_client):
    """A daily series of thousands of values must not make the page, its chart or the
    yearly report grow with it; the trend still starts from the first value."""
    from datetime import timedelta

    plan = plan_with_content(measures=1)
    goal = goal_create(actor=None, plan=plan, data={"title": "Mål"})
    indicator = indicator_create(
        actor=None,
        goal=goal,
        data={"name": "Daglig besøk", "direction": "up", "data_source": "kostra"},
    )
    plan_register_adoption(actor=None, plan=plan, meeting_date=plan.created_at.date())
    plan.refresh_from_db()
    total = selectors.SHOWN_VALUES + 40
    start = date(2020, 1, 1)
    # Falling from 100 for 40 days, then rising from 10: the latest values alone rise,
    # the whole series (first 100, latest < 100) does not.
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator=indicator,
            date=start + timedelta(days=n),
            value=D(100 - n) if n < 40 else D(10 + n - 40),
        )
        for n in range(total)
    )
    item = selectors.follow_up_by_goal([goal.pk])[goal.pk][0]
    assert len(item.values) == selectors.SHOWN_VALUES and item.total == total
    assert item.values[-1].date == start + timedelta(days=total - 1)  # the newest, in date order
    assert item.values[0].date == start + timedelta(days=40)
    assert item.trend.status == TrendStatus.NOT_ON_TRACK
    assert len(item.chart.points) == selectors.SHOWN_VALUES

    html = client.get(plan.get_absolute_url() + "?uten-mellomlager=2").content.decode()
    assert html.count("<circle ") == selectors.SHOWN_VALUES
    assert f"viser de siste {selectors.SHOWN_VALUES} av {total} verdier" in html
    assert "trend-not_on_track" in html

    editor = admin_client.get(f"/arbeid/planer/{plan.slug}/indikatorer/{indicator.pk}/")
    assert editor.status_code == 200
    assert editor.content.decode().count("/slett/") >= selectors.SHOWN_VALUES
    assert f"De siste {selectors.SHOWN_VALUES} av {total} verdier vises" in editor.content.decode()

    # Up to a date: the latest values before it, and the count before it.
    until = start + timedelta(days=49)
    earlier = selectors.follow_up_by_goal([goal.pk], until=until)[goal.pk][0]
    assert earlier.total == 50 and len(earlier.values) == 50
    assert earlier.values[-1].date == until
