"""Load Heim kommune's plan work from data/heim/: facts in *.toml, the plans' text in *.txt.

The TOML holds what the texts state (and why, where a required field is filled although
they are silent); ``plans.seed_texts`` reads the plans' page. Every write goes through
the apps' services, with only the values that differ: a second run writes nothing and
adds no history, and an adopted plan's text (the record) is never rewritten.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from simple_history.models import registered_models

from core.text import slugify_nb
from measures import services as measures
from measures.models import TargetGroup
from organisation import services as organisation
from organisation.models import ProcessGroup, Unit
from plans import seed_texts
from plans import services as plans
from plans.models import Adoption, LegalBasis, Plan, Reform, WorkingModel
from stakeholders import services as stakeholders
from stakeholders.models import StakeholderAnalysis

DATA_FILES = ("organisation", "plans", "stakeholders")
# Where the services of each kind of row live (``<kind>_create`` and ``<kind>_update``).
SERVICES = {
    kind: app
    for app, kinds in (
        (organisation, "unit process_group mandate_item membership"),
        (measures, "target_group focus_area measure"),
        (plans, "legal_basis reform working_model working_model_step plan section plan_link"),
        (stakeholders, "analysis stakeholder finding activity participation_input"),
    )
    for kind in kinds.split()
}


def differing(row, data: dict) -> dict:
    """The entries of ``data`` that ``row`` does not have; many-to-many compared as sets."""
    found = {}
    for name, value in data.items():
        field = row._meta.get_field(name)
        if field.many_to_many:
            if {r.pk for r in getattr(row, name).all()} != {v.pk for v in value}:
                found[name] = list(value)
        elif getattr(row, field.attname if field.is_relation else name) != (
            value.pk if field.is_relation and value is not None else value
        ):
            found[name] = value
    return found


def history_count() -> int:
    models = registered_models.values()
    return sum(model.history.count() for model in models if hasattr(model, "history"))


class Command(BaseCommand):
    help = "Load Heim kommune's plans, groups, measures and stakeholder work from data/heim/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seeds",
            type=Path,
            default=settings.BASE_DIR / "data" / "heim",
            help="Folder with Heim's data and texts (default: data/heim).",
        )

    def handle(self, *args, seeds: Path, **options):
        if not seeds.is_dir():
            raise CommandError(f"No data folder at {seeds}")
        facts = {}
        for name in DATA_FILES:
            path = seeds / f"{name}.toml"
            try:
                facts[name] = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as error:
                raise CommandError(f"{path}: {error}") from error
        seed_plans = {seed.title: seed for seed in seed_texts.load(seeds)}
        if set(seed_plans) != {row["title"] for row in facts["plans"]["plans"]}:
            raise CommandError(f"The texts in {seeds} are not of the plans in plans.toml")
        before = history_count()
        with transaction.atomic():
            Loader(facts, seed_plans).load()
            # Once, also when nothing changed: a fresh read model or index gets filled.
            plans.plans_republish(actor=None)
        written = history_count() - before
        self.stdout.write(self.style.SUCCESS(f"Heim loaded: {written} history records written."))


class Loader:
    """One run: the parsed TOML (``facts``) and plan texts (``seeds``), written through
    the services. Rows name other rows by name; ``named`` swaps the names for the rows."""

    def __init__(self, facts: dict, seeds: dict):
        self.org, self.plan_facts, self.analyses = (facts[name] for name in DATA_FILES)
        self.seeds = seeds

    @staticmethod
    def named(row: dict, **tables) -> dict:
        """``row`` with the name (or list of names) under each key of ``tables`` replaced
        by the row(s) it names in that table; a key ``row`` lacks becomes ``None``."""
        values = dict(row)
        for key, table in tables.items():
            name = row.get(key)
            if isinstance(name, list):
                values[key] = [table[n] for n in name]
            else:
                values[key] = None if name is None else table[name]
        return values

    def put(self, kind: str, rows, key: dict, data: dict, **parent):
        """The ``kind`` row of ``rows`` that ``key`` finds, through its app's services:
        ``<kind>_create`` when it is missing, else ``<kind>_update`` with only the values
        that differ (nothing at all when none do, so a second run writes nothing)."""
        services = SERVICES[kind]
        row = rows.filter(**key).first()
        if row is None:
            return getattr(services, f"{kind}_create")(actor=None, data={**key, **data}, **parent)
        changes = differing(row, data)
        if changes:
            getattr(services, f"{kind}_update")(actor=None, data=changes, **{kind: row})
        return row

    def load(self) -> None:
        self.units = {}
        for row in self.org["units"]:
            values = self.named({"description": "", **row}, parent=self.units)
            key = {"slug": slugify_nb(row["name"])}
            self.units[row["name"]] = self.put("unit", Unit.objects, key, values)
        self.targets = {
            name: self.put(
                "target_group", TargetGroup.objects, {"slug": slugify_nb(name)}, {"name": name}
            )
            for name in self.plan_facts["target_groups"]
        }
        self.groups = {row["slug"]: self.load_group(**row) for row in self.org["groups"]}
        model = self.load_working_model(**self.plan_facts["working_model"])
        bases = {
            f"{row['law']} {row['section']}": self.put(
                "legal_basis",
                LegalBasis.objects,
                {"law": row["law"], "section": row["section"]},
                row,
            )
            for row in self.plan_facts["legal_bases"]
        }
        reforms = {
            row["name"]: self.put("reform", Reform.objects, {"slug": slugify_nb(row["name"])}, row)
            for row in self.plan_facts["reforms"]
        }
        self.plans = {
            row["title"]: self.load_plan(row, model, bases, reforms)
            for row in self.plan_facts["plans"]
        }
        for row in self.analyses["analyses"]:
            self.load_analysis(row)
        for row in self.plan_facts["plans"]:
            plan = self.plans[row["title"]]
            if not plan.adoptions.exists():
                # Only what the texts say: the meeting date; the body as plans.toml says.
                plans.plan_register_adoption(
                    actor=None,
                    plan=plan,
                    meeting_date=self.seeds[row["title"]].adopted_on,
                    body=row["adopted_by"],
                    # Adopted in 2023 from documents the portal does not hold.
                    source=Adoption.Source.EXTERNAL,
                )

    def load_group(self, *, slug, mandate=(), established_by="", established_on=None, **row):
        values = {**row, "established_by": established_by, "established_on": established_on}
        group = self.put("process_group", ProcessGroup.objects, {"slug": slug}, values)
        for order, point in enumerate(mandate, start=1):
            values = {"deadline": None, "completed_on": None, **point}
            self.put(
                "mandate_item",
                group.mandate_items,
                {"order": order},
                values,
                group=group,
                date_unknown=True,  # the texts say what was done, never on which day
            )
        return group

    def load_working_model(self, *, steps, name, **row):
        model = self.put("working_model", WorkingModel.objects, {"name": name}, row)
        for step in steps:
            key = {"number": step["number"]}
            self.put("working_model_step", model.steps, key, step, working_model=model)
        return model

    def load_plan(self, row: dict, model, bases: dict, reforms: dict):
        seed, text = self.seeds[row["title"]], self.plan_facts["text"]
        group = self.groups[row["group"]]
        for order, role in enumerate(seed.members, start=1):
            unit_name = self.org["role_units"].get(role)  # only where the texts name it
            seat = {"order": order, "unit": self.units[unit_name] if unit_name else None}
            self.put("membership", group.memberships, {"role_title": role}, seat, group=group)
        paragraphs = seed.sections.get(text["summary_section"], [])
        summary = next((p for p in paragraphs if p.startswith(text["summary_begins"])), "")
        values = {
            "title": seed.title,
            "kind": row.get("kind", "action_plan"),
            "summary": summary,
            "process_group": group,
            "working_model": model if row.get("working_model") == model.name else None,
            "legal_bases": [bases[key] for key in row["legal_bases"]],
            "reforms": [reforms[name] for name in row["reforms"]],
        }
        plan = self.put("plan", Plan.objects, {"slug": slugify_nb(seed.title)}, values)
        if plan.working_model_id is not None:
            # Only a plan that follows a working model has steps in it.
            for step in plan.working_model.steps.filter(number__in=row.get("steps_followed", [])):
                if not plan.step_progress.filter(step=step).exists():
                    plans.plan_step_set_progress(
                        actor=None, plan=plan, step=step, completed_on=None, note=row["step_note"]
                    )
        if plan.is_public:
            return plan  # adopted already: the record is not rewritten
        for order, (heading, body) in enumerate(seed.sections.items(), start=1):
            kind = text["section_kinds"].get(heading, "other")
            values = {"order": order, "kind": kind, "body": "\n\n".join(body)}
            self.put("section", plan.sections, {"title": heading}, values, plan=plan)
        for order, (title, url) in enumerate(seed.links, start=1):
            values = {"order": order, "kind": "web", "title": title}
            self.put("plan_link", plan.links, {"url": url}, values, plan=plan)
        for area_order, area_row in enumerate(row["focus_areas"], start=1):
            key = {"title": area_row["title"]}
            area = self.put("focus_area", plan.focus_areas, key, {"order": area_order}, plan=plan)
            for order, item in enumerate(area_row["measures"], start=1):
                self.load_measure(plan, seed, area, order, item)
        return plan

    def load_measure(self, plan, seed, area, order: int, item: dict) -> None:
        values = {**self.plan_facts["measure_defaults"], **item, "focus_area": area, "order": order}
        status = values.pop("status")
        values = self.named(
            values,
            responsible_unit=self.units,
            partner_units=self.units,
            target_groups=self.targets,
        )
        key = {"title": values.pop("title")}
        measure = self.put("measure", plan.measures, key, values, plan=plan)
        if status != "not_started" and not measure.status_reports.exists():
            measures.measure_report_status(
                actor=None,
                measure=measure,
                status=status,
                text=self.plan_facts["status_report"],
                reported_on=seed.adopted_on,
            )

    def load_analysis(self, row: dict) -> None:
        plan = self.plans[row["plan"]]
        values = {"plan": plan, "process_group": self.groups[row["group"]]}
        values["description"] = row["description"]
        key = {"title": row["title"]}
        analysis = self.put("analysis", StakeholderAnalysis.objects, key, values)
        found = {}
        for order, item in enumerate(row["stakeholders"], start=1):
            values = self.named(
                {"attitude": "unknown", **item, "order": order},
                unit=self.units,
                target_group=self.targets,
            )
            key = {"name": values.pop("name")}
            found[key["name"]] = self.put(
                "stakeholder", analysis.stakeholders, key, values, analysis=analysis
            )
        for item in row.get("findings", []):
            values = {k: v for k, v in item.items() if k != "text"}
            key = {"text": item["text"]}
            self.put("finding", analysis.findings, key, values, analysis=analysis)
        for item in row.get("activities", []):
            values = self.named(
                {"completed_on": None, "stakeholders": [], **item},
                responsible_unit=self.units,
                stakeholders=found,
            )
            key = {"title": values.pop("title")}
            self.put("activity", analysis.activities, key, values, analysis=analysis)
        plan_measures = {measure.title: measure for measure in plan.measures.all()}
        for item in row.get("inputs", []):
            values = self.named(
                {"measures": [], **item, "analysis": analysis},
                stakeholder=found,
                measures=plan_measures,
            )
            key = {"source": values.pop("source")}
            self.put("participation_input", plan.participation_inputs, key, values, plan=plan)
