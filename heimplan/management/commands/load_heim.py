"""Load Heim kommune's plan work from data/heim/: facts in *.toml, the plans' text in *.txt.

The TOML files hold what the municipality's texts state, and say why where a required
field had to be filled although the texts are silent. ``plans.seed_texts`` reads the
plans' page (action_plans.txt): titles, adoption dates, sections, the roles in the
groups and links. The reform article (reform_article.txt) is the source the TOML quotes.

Every write goes through the apps' services. Their upserts find each row by its
natural key and write only what differs, so a second run writes nothing and adds no
history. An adopted plan's text is the record and is not rewritten.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from simple_history.models import registered_models

from core.publishing import public_content_changed
from core.text import slugify_nb
from measures import services as measures
from organisation import services as organisation
from plans import seed_texts
from plans import services as plans
from plans.models import Adoption
from stakeholders import services as stakeholders

DATA_FILES = ("organisation", "plans", "stakeholders")


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
            # Once, also when nothing changed: a fresh cache or search index gets filled.
            public_content_changed()
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

    def load(self) -> None:
        self.units = {}
        for row in self.org["units"]:
            self.units[row["name"]] = organisation.unit_upsert(
                slug=slugify_nb(row["name"]),
                **self.named({"description": "", **row}, parent=self.units),
            )
        self.targets = {
            name: measures.target_group_upsert(slug=slugify_nb(name), name=name)
            for name in self.plan_facts["target_groups"]
        }
        self.groups = {row["slug"]: self.load_group(**row) for row in self.org["groups"]}
        model = self.load_working_model(**self.plan_facts["working_model"])
        bases = {
            f"{row['law']} {row['section']}": plans.legal_basis_upsert(**row)
            for row in self.plan_facts["legal_bases"]
        }
        reforms = {
            row["name"]: plans.reform_upsert(slug=slugify_nb(row["name"]), **row)
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
                    plan=plan,
                    meeting_date=self.seeds[row["title"]].adopted_on,
                    body=row["adopted_by"],
                    # Adopted in 2023 from documents the portal does not hold.
                    source=Adoption.Source.EXTERNAL,
                )

    def load_group(self, *, mandate=(), established_by="", established_on=None, **row):
        group = organisation.process_group_upsert(
            established_by=established_by, established_on=established_on, **row
        )
        for order, point in enumerate(mandate, start=1):
            organisation.mandate_item_upsert(
                group=group, order=order, **{"deadline": None, "completed_on": None, **point}
            )
        return group

    def load_working_model(self, *, steps, **row):
        model = plans.working_model_upsert(**row)
        for step in steps:
            plans.working_model_step_upsert(model=model, **step)
        return model

    def load_plan(self, row: dict, model, bases: dict, reforms: dict):
        seed, text = self.seeds[row["title"]], self.plan_facts["text"]
        group = self.groups[row["group"]]
        for order, role in enumerate(seed.members, start=1):
            unit_name = self.org["role_units"].get(role)  # only where the texts name it
            unit = self.units[unit_name] if unit_name else None
            organisation.membership_upsert(group=group, role_title=role, order=order, unit=unit)
        paragraphs = seed.sections.get(text["summary_section"], [])
        plan = plans.plan_upsert(
            slug=slugify_nb(seed.title),
            title=seed.title,
            kind=row.get("kind", "action_plan"),
            summary=next((p for p in paragraphs if p.startswith(text["summary_begins"])), ""),
            process_group=group,
            working_model=model if row.get("working_model") == model.name else None,
            legal_bases=[bases[key] for key in row["legal_bases"]],
            reforms=[reforms[name] for name in row["reforms"]],
        )
        if plan.working_model_id is not None:
            # Only a plan that follows a working model has steps in it.
            for step in plan.working_model.steps.filter(number__in=row.get("steps_followed", [])):
                plans.plan_step_set_progress(
                    plan=plan, step=step, completed_on=None, note=row["step_note"]
                )
        if plan.is_public:
            return plan  # adopted already: the record is not rewritten
        for order, (heading, body) in enumerate(seed.sections.items(), start=1):
            kind = text["section_kinds"].get(heading, "other")
            plans.section_upsert(
                plan=plan, title=heading, order=order, kind=kind, body="\n\n".join(body)
            )
        for order, (title, url) in enumerate(seed.links, start=1):
            plans.plan_link_upsert(plan=plan, url=url, order=order, kind="web", title=title)
        for area_order, area_row in enumerate(row["focus_areas"], start=1):
            area = measures.focus_area_upsert(plan=plan, title=area_row["title"], order=area_order)
            for order, item in enumerate(area_row["measures"], start=1):
                self.load_measure(plan, seed, area, order, item)
        return plan

    def load_measure(self, plan, seed, area, order: int, item: dict) -> None:
        values = {**self.plan_facts["measure_defaults"], **item}
        status = values.pop("status")
        measure = measures.measure_upsert(
            plan=plan,
            focus_area=area,
            order=order,
            **self.named(
                values,
                responsible_unit=self.units,
                partner_units=self.units,
                target_groups=self.targets,
            ),
        )
        if status != "not_started" and not measure.status_reports.exists():
            measures.measure_report_status(
                measure=measure,
                status=status,
                text=self.plan_facts["status_report"],
                reported_on=seed.adopted_on,
            )

    def load_analysis(self, row: dict) -> None:
        plan = self.plans[row["plan"]]
        analysis = stakeholders.analysis_upsert(
            title=row["title"],
            plan=plan,
            process_group=self.groups[row["group"]],
            description=row["description"],
        )
        found = {}
        for order, item in enumerate(row["stakeholders"], start=1):
            values = self.named(
                {"attitude": "unknown", **item}, unit=self.units, target_group=self.targets
            )
            found[item["name"]] = stakeholders.stakeholder_upsert(
                analysis=analysis, order=order, **values
            )
        for item in row.get("findings", []):
            stakeholders.finding_upsert(analysis=analysis, **item)
        for item in row.get("activities", []):
            values = {"completed_on": None, "stakeholders": [], **item}
            stakeholders.activity_upsert(
                analysis=analysis,
                **self.named(values, responsible_unit=self.units, stakeholders=found),
            )
        plan_measures = {measure.title: measure for measure in plan.measures.all()}
        for item in row.get("inputs", []):
            values = {"measures": [], **item}
            stakeholders.participation_input_upsert(
                plan=plan,
                analysis=analysis,
                **self.named(values, stakeholder=found, measures=plan_measures),
            )
