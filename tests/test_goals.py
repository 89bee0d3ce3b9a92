"""Goals are plan text: adopted with the plan, never shown in public before that."""

import pytest
from django.core.exceptions import ValidationError

from measures.services import measure_update
from plans import selectors
from plans.models import Goal
from plans.services import (
    goal_create,
    goal_delete,
    goal_move,
    goal_update,
    plan_register_adoption,
    plan_start_revision,
)
from results.services import indicator_create
from tests.factories import MeasureFactory, PlanFactory, StatusReportFactory
from tests.lifecycle_helpers import plan_with_content

pytestmark = pytest.mark.django_db


def _adopt(plan):
    plan_register_adoption(actor=None, plan=plan, meeting_date=plan.created_at.date())
    plan.refresh_from_db()


def test_goals_nest_one_level_and_stay_in_their_plan():
    plan, other = PlanFactory(), PlanFactory()
    main = goal_create(actor=None, plan=plan, data={"title": "Trygge barn", "order": 1})
    sub = goal_create(actor=None, plan=plan, data={"title": "Færre meldinger", "parent": main})
    with pytest.raises(ValidationError):
        goal_create(actor=None, plan=plan, data={"title": "For dypt", "parent": sub})
    with pytest.raises(ValidationError):
        goal_create(actor=None, plan=other, data={"title": "Feil plan", "parent": main})
    with pytest.raises(ValidationError):  # a main goal with sub-goals cannot become one
        goal_update(
            actor=None,
            goal=main,
            data={
                "parent": goal_create(
                    actor=None, plan=plan, data={"title": "Annet hovedmål", "order": 2}
                )
            },
        )
    assert list(plan.goals.filter(parent=None).values_list("title", flat=True)) == [
        "Trygge barn",
        "Annet hovedmål",
    ]


def test_goals_are_locked_with_the_plan_text_and_move_and_delete_in_order():
    plan = plan_with_content(measures=1)
    first = goal_create(actor=None, plan=plan, data={"title": "A", "order": 1})
    second = goal_create(actor=None, plan=plan, data={"title": "B", "order": 2})
    goal_move(actor=None, goal=second, direction="up")
    assert list(plan.goals.order_by("order").values_list("title", flat=True)) == ["B", "A"]
    indicator = indicator_create(
        actor=None, goal=first, data={"name": "Andel", "direction": "up", "data_source": "ungdata"}
    )
    with pytest.raises(ValidationError):  # it has an indicator
        goal_delete(actor=None, goal=first)
    indicator.delete()
    goal_delete(actor=None, goal=first)
    assert list(plan.goals.values_list("title", "order")) == [("B", 1)]
    _adopt(plan)
    with pytest.raises(ValidationError):
        goal_create(actor=None, plan=plan, data={"title": "Etter vedtak"})
    with pytest.raises(ValidationError):
        goal_update(actor=None, goal=plan.goals.get(), data={"title": "Endret"})


def test_a_measure_serves_only_its_own_plans_goals():
    plan, other = PlanFactory(), PlanFactory()
    goal = goal_create(actor=None, plan=other, data={"title": "Annen plan"})
    measure = MeasureFactory(plan=plan)
    with pytest.raises(ValidationError):
        measure_update(actor=None, measure=measure, data={"goals": [goal]})
    own = goal_create(actor=None, plan=plan, data={"title": "Egen"})
    measure_update(actor=None, measure=measure, data={"goals": [own]})
    assert list(measure.goals.all()) == [own]


def test_the_document_carries_numbered_goals_and_the_measures_goals():
    plan = plan_with_content(measures=1)
    main = goal_create(actor=None, plan=plan, data={"title": "Hovedmål", "order": 1})
    sub = goal_create(actor=None, plan=plan, data={"title": "Delmål", "parent": main})
    measure = plan.measures.get()
    measure_update(actor=None, measure=measure, data={"goals": [sub]})
    document = selectors.with_goal_names(selectors.build_plan_document(plan))
    assert document["schema"] == 3
    assert [(g["number"], g["title"]) for g in selectors.document_goals(document)] == [
        ("1", "Hovedmål"),
        ("1.1", "Delmål"),
    ]
    assert document["focus_areas"][0]["measures"][0]["goal_names"] == ["1.1 Delmål"]


def test_the_public_page_shows_adopted_goals_only(client):
    plan = plan_with_content(measures=1)
    goal = goal_create(actor=None, plan=plan, data={"title": "Vedtatt mål"})
    indicator_create(
        actor=None,
        goal=goal,
        data={"name": "Vedtatt indikator", "direction": "up", "data_source": "kostra"},
    )
    _adopt(plan)
    plan_start_revision(actor=None, plan=plan)
    plan.refresh_from_db()
    draft = goal_create(actor=None, plan=plan, data={"title": "Utkast til mål"})
    indicator_create(
        actor=None,
        goal=draft,
        data={"name": "Utkastindikator", "direction": "down", "data_source": "bufdir"},
    )
    goal_update(actor=None, goal=goal, data={"title": "Omskrevet mål"})
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Vedtatt mål" in page and "Vedtatt indikator" in page
    for secret in ("Utkast til mål", "Utkastindikator", "Omskrevet mål"):
        assert secret not in page
    assert Goal.objects.filter(plan=plan).count() == 2


def test_the_public_page_shows_each_measures_status_reports(client):
    plan = plan_with_content(measures=1)
    _adopt(plan)
    measure = plan.measures.get()
    StatusReportFactory(measure=measure, text="Første rapport", reported_on="2025-01-10")
    StatusReportFactory(measure=measure, text="Siste rapport", reported_on="2025-06-10")
    page = client.get(plan.get_absolute_url()).content.decode()
    assert page.index("Siste rapport") < page.index("<details>", page.index("Siste rapport"))
    assert "Første rapport" in page


def test_a_draft_plan_with_goals_indicators_and_a_draft_report_can_be_deleted():
    from plans.services import plan_delete
    from results.models import Indicator, YearlyReport
    from results.services import yearly_report_create

    plan = PlanFactory()
    main = goal_create(actor=None, plan=plan, data={"title": "Hovedmål"})
    sub = goal_create(actor=None, plan=plan, data={"title": "Delmål", "parent": main})
    indicator_create(
        actor=None, goal=sub, data={"name": "Andel", "direction": "up", "data_source": "kostra"}
    )
    yearly_report_create(actor=None, plan=plan, data={"year": 2025})
    with pytest.raises(ValidationError):  # a main goal with sub-goals is not deleted alone
        goal_delete(actor=None, goal=main)
    plan_delete(actor=None, plan=plan)
    assert not Goal.objects.exists() and not Indicator.objects.exists()
    assert not YearlyReport.objects.exists()
