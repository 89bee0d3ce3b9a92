"""The idempotent upsert services the loaders write through."""

import pytest
from django.core.exceptions import ValidationError

from core.publishing import public_content_version
from measures.services import measure_upsert
from organisation.models import Unit
from organisation.services import unit_upsert
from stakeholders.services import activity_upsert
from tests.factories import (
    StakeholderAnalysisFactory,
    StakeholderFactory,
    UnitFactory,
    UserFactory,
    published_plan,
)

pytestmark = pytest.mark.django_db


def test_an_unchanged_upsert_writes_nothing_and_publishes_nothing():
    unit = unit_upsert(slug="ppt", name="PPT", kind=Unit.Kind.UNIT, description="Tjeneste.")
    assert unit.history.count() == 1
    version = public_content_version()

    again = unit_upsert(slug="ppt", name="PPT", kind=Unit.Kind.UNIT, description="Tjeneste.")

    assert again.pk == unit.pk
    assert unit.history.count() == 1
    assert public_content_version() == version


def test_an_upsert_writes_what_differs_as_the_actor_and_publishes():
    editor = UserFactory(username="redaktor")
    unit_upsert(slug="ppt", name="PPT", kind=Unit.Kind.UNIT)
    version = public_content_version()

    unit = unit_upsert(slug="ppt", name="PPT", kind=Unit.Kind.UNIT, website="https://ppt.example/")

    assert Unit.objects.get(pk=unit.pk).website == "https://ppt.example/"
    assert unit.history.count() == 2
    assert public_content_version() != version
    unit_upsert(slug="ppt", name="PPT-tjenesten", kind=Unit.Kind.UNIT, actor=editor)
    assert unit.history.latest().history_user == editor
    with pytest.raises(TypeError):
        unit_upsert(slug="ppt", name="PPT", kind=Unit.Kind.UNIT, colour="blue")


def test_many_to_many_links_are_set_only_when_they_differ():
    analysis = StakeholderAnalysisFactory()
    first, second = StakeholderFactory(analysis=analysis), StakeholderFactory(analysis=analysis)
    values = {"kind": "information", "channel": "video", "stakeholders": [first]}
    activity = activity_upsert(analysis=analysis, title="Film", **values)
    records = activity.history.count()

    activity_upsert(analysis=analysis, title="Film", **values)
    assert activity.history.count() == records

    activity_upsert(analysis=analysis, title="Film", **{**values, "stakeholders": [second]})
    assert list(activity.stakeholders.all()) == [second]
    assert activity.history.count() > records


def test_an_adopted_plan_is_left_alone_unless_something_would_change():
    plan = published_plan()
    measure = plan.measures.get()
    same = {"description": measure.description, "responsible_unit": measure.responsible_unit}

    assert measure_upsert(plan=plan, title=measure.title, **same).pk == measure.pk

    with pytest.raises(ValidationError):
        measure_upsert(
            plan=plan, title=measure.title, **{**same, "responsible_unit": UnitFactory()}
        )
