"""Load Heim kommune's plan work from its published texts (data/heim/).

Idempotent: rows are looked up by natural keys and only written when a value
differs, so a second run writes nothing (and adds no history).

What the texts state (plans, adoption dates, sections, groups and members,
mandate, councils and partners heard, the measures they describe) is taken
from them. What they do not state is left empty where the field is optional
(decision texts and case numbers, dates the texts do not give, which measures
the councils' and partners' input shaped, responsible roles, partners, target
groups and prevention levels of measures). Where a field is required and the
texts are silent, the value is the most neutral truthful one and a comment
says why.
The stakeholder analyses' lists and grid, and the names of working-model
steps 5–7, are loaded as a marked starting point for the group to assess.

Databases loaded by an earlier version of this command, which invented some
of these facts, are corrected on the next run (see ``reopen_legacy_adoption``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.text import slugify_nb
from measures.models import FocusArea, Measure, MeasureStatus, TargetGroup
from measures.services import measure_report_status
from organisation.models import MandateItem, Membership, ProcessGroup, Unit
from plans import seed_texts
from plans.models import (
    Adoption,
    LegalBasis,
    Plan,
    PlanLink,
    PlanSection,
    PlanStepProgress,
    Reform,
    WorkingModel,
    WorkingModelStep,
)
from plans.services import adoption_store_missing_pdf, plan_register_adoption, plans_republish
from stakeholders.models import (
    Activity,
    Finding,
    ParticipationInput,
    Stakeholder,
    StakeholderAnalysis,
)

CHILD_WELFARE_PLAN = "Handlingsplan for forebygging av omsorgssvikt og atferdsvansker"
VIOLENCE_PLAN = "Handlingsplan mot vold i nære relasjoner"
ESTIMATED = "Anslått ved innlasting fra kommunens nettsider; vurderes av gruppen."

# Who adopted each plan. The texts give only "(Vedtatt dd.mm.yy)": no body, case
# numbers or decision text, so those stay empty. The body is a required field:
# - the child welfare plan is "lovpålagt under Barnevernslovens §15-1", and § 15-1
#   has the kommunestyre itself adopt it (it cannot be delegated);
# - for the violence plan the texts say nothing about the body: "not stated".
ADOPTION_BODIES = {
    CHILD_WELFARE_PLAN: Adoption.Body.MUNICIPAL_COUNCIL,
    VIOLENCE_PLAN: Adoption.Body.NOT_STATED,
}
# The decision text an earlier version of this command invented; an adoption with
# exactly this text and no registering user was written by that version.
LEGACY_DECISION_TEXT = "Kommunestyret vedtar {title_lower}."

# name, kind, parent, description
UNITS = [
    ("Oppvekst", Unit.Kind.SECTOR, None, "Kommunalsektor ledet av kommunalsjef oppvekst."),
    (
        "Helse, mestring og familie",
        Unit.Kind.SECTOR,
        None,
        "Kommunalsektor ledet av kommunalsjef helse, mestring og familie.",
    ),
    ("Toppledergruppen", Unit.Kind.LEADERSHIP, None, "Kommunens toppledergruppe."),
    (
        "Familiens hus",
        Unit.Kind.SERVICE,
        None,
        "Samler barnevern, helsestasjon og PPT under ett tak.",
    ),
    ("Barneverntjenesten", Unit.Kind.UNIT, "Familiens hus", ""),
    ("Helsestasjon", Unit.Kind.UNIT, "Familiens hus", ""),
    ("PPT", Unit.Kind.UNIT, "Familiens hus", "Pedagogisk-psykologisk tjeneste."),
    ("Sodin skole", Unit.Kind.UNIT, "Oppvekst", ""),
    ("Barnehage", Unit.Kind.UNIT, "Oppvekst", "Kommunens barnehager og rådgiver barnehage."),
    ("Bakkelyenheten", Unit.Kind.UNIT, None, ""),
    ("NAV Heim", Unit.Kind.UNIT, None, ""),
    ("Heim eldreråd", Unit.Kind.COUNCIL, None, "Lovpålagt råd etter kommuneloven § 5-12."),
    ("Heim ungdomsråd", Unit.Kind.COUNCIL, None, "Lovpålagt råd etter kommuneloven § 5-12."),
    (
        "Kommunalt råd for personer med nedsatt funksjonsevne",
        Unit.Kind.COUNCIL,
        None,
        "Lovpålagt råd etter kommuneloven § 5-12.",
    ),
    ("Politiet", Unit.Kind.EXTERNAL, None, ""),
    ("Krisesenteret", Unit.Kind.EXTERNAL, None, ""),
    (
        "RVTS",
        Unit.Kind.EXTERNAL,
        None,
        "Regionalt ressurssenter for vold, traumatisk stress og voldsforebygging.",
    ),
]

# Which unit each role in the texts sits in, where the role's title names it. The
# texts do not say where kommunepsykolog, folkehelsekoordinator and kommuneoverlege
# sit, so those memberships have no unit (the field is optional).
ROLE_UNITS = {
    "Rådgiver oppvekst": "Oppvekst",
    "Enhetsleder PPT": "PPT",
    "Enhetsleder helsestasjon": "Helsestasjon",
    "Enhetsleder barneverntjenesten": "Barneverntjenesten",
    "Enhetsleder Bakkelyenheten": "Bakkelyenheten",
    "Veileder NAV Heim": "NAV Heim",
}
# No person names: the reform article names the members of the group as it was in
# 2021, while the memberships are the roles the 2023 plan page lists; the texts do
# not say who holds those roles now.

LEGAL_BASES = {
    CHILD_WELFARE_PLAN: [
        (
            "Barnevernsloven",
            "§ 15-1",
            "Kommunestyret skal vedta en plan for kommunens arbeid med å forebygge "
            "omsorgssvikt og atferdsvansker.",
            "https://lovdata.no/lov/2021-06-18-97/§15-1",
        ),
    ],
    VIOLENCE_PLAN: [
        (
            "Helse- og omsorgstjenesteloven",
            "§ 3-3a",
            "Kommunen skal forebygge, avdekke og avverge vold og seksuelle overgrep.",
            "https://lovdata.no/lov/2011-06-24-30/§3-3a",
        ),
        (
            "Krisesenterlova",
            "§ 4",
            "Kommunen skal sørge for samordnet oppfølging av voldsutsatte.",
            "https://lovdata.no/lov/2009-06-19-44/§4",
        ),
    ],
}

# The texts say "I 2022 trådte to nasjonale reformer i kraft", not on which day:
# the year is in the description and the date field stays empty.
REFORMS_IN_HEIM = (
    "Trådte i kraft i 2022. Heim kommune ser oppvekstreformen og kompetanseløftet i "
    "sammenheng fordi de har flere felles målsettinger: økt fokus på forebygging, "
    "tilgjengelige tjenester og tjenester som i større grad er tilpasset barnets behov, og "
    "en styrking av «laget rundt barnet»."
)
REFORMS = {
    "Oppvekstreformen": (None, REFORMS_IN_HEIM),
    "Kompetanseløftet for spesialpedagogikk og inkluderende praksis": (None, REFORMS_IN_HEIM),
    "Regjeringens oppfordring om handlingsplaner mot vold i nære relasjoner": (
        None,
        "I 2020 oppfordret regjeringen kommunene til å utarbeide handlingsplaner mot vold i "
        "nære relasjoner.",
    ),
}
PLAN_REFORMS = {
    CHILD_WELFARE_PLAN: [
        "Oppvekstreformen",
        "Kompetanseløftet for spesialpedagogikk og inkluderende praksis",
    ],
    VIOLENCE_PLAN: ["Regjeringens oppfordring om handlingsplaner mot vold i nære relasjoner"],
}

SECTION_KINDS = {
    "Bakgrunn for planen": PlanSection.Kind.BACKGROUND,
    "Veien videre": PlanSection.Kind.WAY_FORWARD,
    "Fokus på forebygging, avdekking og avverging": PlanSection.Kind.FOCUS,
}

TARGET_GROUPS = ["Barn", "Unge", "Foreldre", "Ansatte", "Enhetsledere", "Voldsutsatte"]

# Per plan: focus areas, each with measures the texts describe.
# (title, description, unit, role, partners, target groups, level, status, timing)
#
# The texts name who does each of these: OKS-gruppen or the violence plan's working
# group, neither of which is a unit, and no role, partner, prevention level or date.
# Those optional fields stay empty. The responsible unit is required: Toppledergruppen,
# the leadership over all the services involved (it set up OKS-gruppen, and "alle har
# et fellesansvar for å påse at tiltakene i planen følges opp"), is the one unit that
# does not single out a service the texts do not name.
# Statuses are as the texts put them: "det ble produsert en video", "gjennomførte en
# kartlegging" (completed); "begynner med formidling", "setter i gang med realisering
# av nye tiltak" (in progress).
RESPONSIBLE = "Toppledergruppen"
MEASURES = {
    CHILD_WELFARE_PLAN: [
        (
            "Informasjon og eierskap",
            [
                (
                    "Informasjonsvideo om reformene",
                    "En kort animasjonsfilm på to minutter som informerer om "
                    "oppvekstreformen og kompetanseløftet på en lett tilgjengelig måte og "
                    "forklarer kommunens arbeid: «døren inn» til reformene for dem som ikke "
                    "kjenner dem. Videoen ble produsert som ledd i OKS-gruppens "
                    "informasjonskampanje.",
                    RESPONSIBLE,
                    "",
                    [],
                    [],
                    "",
                    MeasureStatus.COMPLETED,
                    "Som ledd i innføringen av reformene (dato ikke oppgitt)",
                ),
                (
                    "Formidling av planens innhold til enhetsledere",
                    "OKS-gruppen formidler planens innhold til enhetslederne. Alle enheter i "
                    "kommunen er mer eller mindre berørt av handlingsplanen, og alle har et "
                    "fellesansvar for å påse at tiltakene i planen følges opp.",
                    RESPONSIBLE,
                    "",
                    [],
                    ["Enhetsledere"],
                    "",
                    MeasureStatus.IN_PROGRESS,
                    "Etter vedtak",
                ),
            ],
        ),
        (
            "Forebygging og tidlig innsats",
            [
                (
                    "Realisering av nye tiltak i planen",
                    "OKS-gruppen setter i gang med realisering av nye tiltak for å forebygge "
                    "omsorgssvikt og atferdsvansker. Alle enheter har et fellesansvar for å "
                    "påse at tiltakene i planen følges opp.",
                    RESPONSIBLE,
                    "",
                    [],
                    [],
                    "",
                    MeasureStatus.IN_PROGRESS,
                    "Etter vedtak",
                ),
                (
                    "Kartlegging av status i enhetene",
                    "OKS-gruppen gjennomførte en kartlegging av status i enhetene som ledd i "
                    "arbeidet med handlingsplanen, der gruppen fulgte Trøndelagsmodellen for "
                    "folkehelsearbeid.",
                    RESPONSIBLE,
                    "",
                    [],
                    [],
                    "",
                    MeasureStatus.COMPLETED,
                    "Under arbeidet med planen",
                ),
            ],
        ),
    ],
    VIOLENCE_PLAN: [
        (
            "Kompetanseheving",
            [
                (
                    "Kompetanseheving om vold i nære relasjoner",
                    "Arbeidsgruppen setter i gang med realisering av nye tiltak med fokus på "
                    "kompetanseheving om vold i nære relasjoner.",
                    RESPONSIBLE,
                    "",
                    [],
                    [],
                    "",
                    MeasureStatus.IN_PROGRESS,
                    "Etter vedtak",
                ),
            ],
        ),
        (
            "Samhandling og oppfølging",
            [
                (
                    "Formidling av planens innhold til enhetsledere",
                    "Arbeidsgruppen formidler planens innhold til enhetslederne: Heim "
                    "kommunes rutiner for samhandling, tverrfaglig samarbeid og tiltak for å "
                    "forebygge, avdekke og avverge vold i nære relasjoner.",
                    RESPONSIBLE,
                    "",
                    [],
                    ["Enhetsledere"],
                    "",
                    MeasureStatus.IN_PROGRESS,
                    "Etter vedtak",
                ),
                (
                    "Realisering av nye tiltak mot vold i nære relasjoner",
                    "Arbeidsgruppen setter i gang med realisering av nye tiltak for å "
                    "forebygge, avdekke og avverge vold i nære relasjoner. Planen bygger på "
                    "kommunens plikt til dette (helse- og omsorgstjenesteloven § 3-3a) og til "
                    "å sørge for samordnet oppfølging av voldsutsatte (krisesenterlova § 4).",
                    RESPONSIBLE,
                    "",
                    [],
                    [],
                    "",
                    MeasureStatus.IN_PROGRESS,
                    "Etter vedtak",
                ),
                (
                    "Kartlegging med enhetene",
                    "I forbindelse med planarbeidet gjennomførte arbeidsgruppen en kartlegging "
                    "med enhetene.",
                    RESPONSIBLE,
                    "",
                    [],
                    [],
                    "",
                    MeasureStatus.COMPLETED,
                    "Under arbeidet med planen",
                ),
            ],
        ),
    ],
}

# Mandate items whose status the texts give. The reform article speaks of the
# strategy as made ("videoen er bare en del av informasjonsstrategien"), and the plan
# page says the campaign was run ("Som et ledd i prosessen kjørte OKS-gruppen en
# informasjonskampanje og det ble produsert en video"). The texts say nothing about
# the ownership strategy, its activities, the analysis and measures plan due 1.2.22
# or the use of internal competence: their status is "not recorded", and no item gets
# a completion date, as no text gives one.
MANDATE_STATUSES = {
    "Lage en informasjonsstrategi": MandateItem.Status.DONE,
    "Gjennomføre informasjonsaktivitetene": MandateItem.Status.DONE,
}


def mandate_item_status(text: str) -> str:
    for start, status in MANDATE_STATUSES.items():
        if text.startswith(start):
            return status
    return MandateItem.Status.NOT_RECORDED


TRONDELAG_STEPS = [
    (1, "Samfunnsoppdraget", True),
    (2, "Klargjøre kunnskapsgrunnlaget", True),
    (3, "Involvere og utvikle", True),
    (4, "Planlegge tiltak", True),
    (5, "Gjennomføre tiltak", False),
    (6, "Evaluere", False),
    (7, "Videreføre og forankre", False),
]


class Command(BaseCommand):
    help = "Load Heim kommune's plans, groups, measures and stakeholder work from its texts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seeds",
            type=Path,
            default=settings.BASE_DIR / "data" / "heim",
            help="Folder with Heim's texts (default: data/heim).",
        )

    def handle(self, *args, seeds: Path, **options):
        if not seeds.is_dir():
            raise CommandError(f"No seed folder at {seeds}")
        seed_plans, mandate, article = seed_texts.load(seeds)
        if len(seed_plans) != 2 or not mandate:
            raise CommandError(f"Expected two plans and a mandate in {seeds}")
        self.written = 0
        with transaction.atomic():
            self.load(seed_plans, mandate, article)
            # Also when nothing changed: a fresh cache or search index gets filled.
            plans_republish(actor=None)
        self.stdout.write(
            self.style.SUCCESS(f"Heim loaded: {self.written} rows written or changed.")
        )

    # -- helpers ---------------------------------------------------------------

    def upsert(self, model, lookup: dict, values: dict):
        """Get or create by ``lookup``; save only the fields whose value differs."""
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.full_clean()
            obj.save()
            self.written += 1
            return obj
        changed = [field for field, value in values.items() if getattr(obj, field) != value]
        if changed:
            for field in changed:
                setattr(obj, field, values[field])
            obj.full_clean()
            obj.save(update_fields=changed)
            self.written += 1
        return obj

    def set_m2m(self, manager, objects):
        if set(manager.all()) != set(objects):
            manager.set(objects)
            self.written += 1

    # -- content ---------------------------------------------------------------

    def load(self, seed_plans, mandate, article):
        units = self.load_units()
        targets = {
            name: self.upsert(TargetGroup, {"slug": slugify_nb(name)}, {"name": name})
            for name in TARGET_GROUPS
        }
        oks, violence_group = self.load_groups(seed_plans, mandate, units)
        model = self.load_working_model()
        for seed in seed_plans:
            self.reopen_legacy_adoption(seed)
        plans = {}
        for seed in seed_plans:
            group = oks if seed.title == CHILD_WELFARE_PLAN else violence_group
            plans[seed.title] = self.load_plan(seed, group, model, units, targets)
        self.load_stakeholder_work(plans, oks, violence_group, units, targets)
        for seed in seed_plans:
            plan = plans[seed.title]
            plan.refresh_from_db()
            if not plan.adoptions.exists():
                # Only what the texts say: the meeting date. Body: see ADOPTION_BODIES.
                plan_register_adoption(
                    actor=None,
                    plan=plan,
                    meeting_date=seed.adopted_on,
                    body=ADOPTION_BODIES[seed.title],
                )
                self.written += 1
            # Adopted versions loaded before PDFs existed get theirs, once.
            for adoption in plan.adoptions.filter(pdf_sha256=""):
                adoption_store_missing_pdf(actor=None, adoption=adoption)
                self.written += 1

    def reopen_legacy_adoption(self, seed):
        """Undo an adoption an earlier version of this command registered with invented facts.

        That version wrote a decision text the texts do not contain, and froze
        measures, participation links and statuses it had made up into the
        adopted snapshot and PDF. Such an adoption is no council record: it is
        recognised by its exact invented decision text and the absence of a
        registering user, removed, and the plan set back to draft, so this run
        loads the corrected content and registers the adoption again on the same
        date. An adoption that anyone has built on since (a revision, a later
        version) is left alone with a warning.
        """
        plan = Plan.objects.filter(slug=slugify_nb(seed.title)).first()
        if plan is None:
            return
        legacy_text = LEGACY_DECISION_TEXT.format(title_lower=seed.title.lower())
        adoptions = list(plan.adoptions.all())
        legacy = [
            a for a in adoptions if a.decision_text == legacy_text and a.registered_by_id is None
        ]
        if not legacy:
            return
        if len(adoptions) != 1 or plan.status != Plan.Status.ADOPTED:
            self.stderr.write(
                f"{plan}: version {legacy[0].version_number} has the decision text an earlier "
                "loader invented, but the plan has moved on since; correct it by hand."
            )
            return
        legacy[0].delete()
        plan.status = Plan.Status.DRAFT
        plan.save(update_fields=["status", "updated_at"])
        self.written += 1

    def load_units(self):
        units = {}
        for name, kind, parent, description in UNITS:
            units[name] = self.upsert(
                Unit,
                {"slug": slugify_nb(name)},
                {
                    "name": name,
                    "kind": kind,
                    "parent": units.get(parent),
                    "description": description,
                },
            )
        return units

    def load_groups(self, seed_plans, mandate, units):
        oks = self.upsert(
            ProcessGroup,
            {"slug": "oks-gruppen"},
            {
                "name": "OKS-gruppen",
                "kind": ProcessGroup.Kind.PROCESS_GROUP,
                "established_by": "Toppledergruppen",
                # "I juni 2021 opprettet toppledergruppen ...": the month, not the day. The
                # purpose says June 2021; the date field stays empty rather than invent a day.
                "established_on": None,
                "purpose": (
                    "Tverrfaglig prosessgruppe opprettet av toppledergruppen i juni 2021 for å "
                    "innføre oppvekstreformen og kompetanseløftet for spesialpedagogikk og "
                    "inkluderende praksis i sammenheng, med vekt på forebygging, tilgjengelige "
                    "tjenester og «laget rundt barnet».\n\n"
                    "Gruppen ble opprinnelig satt sammen av enhetsleder barnevern, enhetsleder "
                    "helsestasjon, rektor Sodin skole, enhetsleder/rådgiver PPT, rådgiver "
                    "barnehage og kommunepsykolog. Den fikk også ansvar for handlingsplanen for "
                    "forebygging av omsorgssvikt og atferdsvansker."
                ),
            },
        )
        violence_group = self.upsert(
            ProcessGroup,
            {"slug": "arbeidsgruppe-vold-i-naere-relasjoner"},
            {
                "name": "Arbeidsgruppe for handlingsplan mot vold i nære relasjoner",
                "kind": ProcessGroup.Kind.WORKING_GROUP,
                "established_by": "",
                "established_on": None,
                "purpose": (
                    "Tverrfaglig arbeidsgruppe som utarbeidet handlingsplanen mot vold i nære "
                    "relasjoner. I forbindelse med planarbeidet gjennomførte den en kartlegging "
                    "med enhetene, innhentet innspill fra blant annet Heim eldreråd, Heim "
                    "ungdomsråd og kommunalt råd for personer med nedsatt funksjonsevne, og var "
                    "i dialog med politiet, krisesenteret og RVTS."
                ),
            },
        )
        for seed in seed_plans:
            group = oks if seed.title == CHILD_WELFARE_PLAN else violence_group
            for order, role in enumerate(seed.members, start=1):
                self.upsert(
                    Membership,
                    {"group": group, "role_title": role},
                    {
                        "order": order,
                        "unit": units[ROLE_UNITS[role]] if role in ROLE_UNITS else None,
                        "person_name": "",
                    },
                )
        # The last bullet describes the group's composition, which memberships carry.
        tasks = [item for item in mandate if not item.startswith("Tverrfaglig sammensatt")]
        for order, text in enumerate(tasks, start=1):
            self.upsert(
                MandateItem,
                {"group": oks, "order": order},
                {
                    "text": text,
                    "deadline": date(2022, 2, 1) if "1.2 22" in text else None,
                    "status": mandate_item_status(text),
                    "completed_on": None,  # no text dates the completion of any item
                },
            )
        return oks, violence_group

    def load_working_model(self):
        model = self.upsert(
            WorkingModel,
            {"name": "Trøndelagsmodellen for folkehelsearbeid"},
            {
                "source": "NTNU",
                "description": (
                    "En metode for å drive systematisk og kunnskapsbasert folkehelsearbeid i "
                    "kommunene, i sju steg. Navnene på steg 5–7 er ikke bekreftet mot kilden og "
                    "kan rettes her."
                ),
            },
        )
        for number, name, verified in TRONDELAG_STEPS:
            self.upsert(
                WorkingModelStep,
                {"model": model, "number": number},
                {"name": name, "name_verified": verified},
            )
        return model

    def load_plan(self, seed, group, model, units, targets):
        legal = [
            self.upsert(
                LegalBasis, {"law": law, "section": section}, {"summary": summary, "url": url}
            )
            for law, section, summary, url in LEGAL_BASES[seed.title]
        ]
        reforms = []
        for name in PLAN_REFORMS[seed.title]:
            in_force, description = REFORMS[name]
            reforms.append(
                self.upsert(
                    Reform,
                    {"slug": slugify_nb(name)},
                    {"name": name, "in_force_from": in_force, "description": description},
                )
            )
        paragraphs = seed.sections.get("Bakgrunn for planen", [])
        plan = self.upsert(
            Plan,
            {"slug": slugify_nb(seed.title)},
            {
                "title": seed.title,
                "kind": Plan.Kind.ACTION_PLAN,
                "summary": next(
                    (p for p in paragraphs if p.startswith("Denne handlingsplanen")), ""
                ),
                "process_group": group,
                "working_model": model if seed.title == CHILD_WELFARE_PLAN else None,
            },
        )
        self.set_m2m(plan.legal_bases, legal)
        self.set_m2m(plan.reforms, reforms)
        if model is not None:
            # "Som et ledd i arbeidet med handlingsplanen fulgte OKS-gruppen
            # Trøndelagsmodellen": the steps up to planning measures, with no dates.
            for step in model.steps.filter(number__lte=4):
                self.upsert(
                    PlanStepProgress,
                    {"plan": plan, "step": step},
                    {
                        "completed_on": None,
                        "note": "OKS-gruppen fulgte Trøndelagsmodellen i arbeidet med "
                        "handlingsplanen. Når steget ble fullført, står ikke i kommunens omtale.",
                    },
                )
        if plan.status in Plan.PUBLIC_STATUSES:
            return plan  # adopted already: the record is not rewritten
        for order, (heading, body) in enumerate(seed.sections.items(), start=1):
            self.upsert(
                PlanSection,
                {"plan": plan, "title": heading},
                {
                    "order": order,
                    "kind": SECTION_KINDS.get(heading, PlanSection.Kind.OTHER),
                    "body": "\n\n".join(body),
                },
            )
        for order, (title, url) in enumerate(seed.links, start=1):
            self.upsert(
                PlanLink,
                {"plan": plan, "url": url},
                {"order": order, "kind": PlanLink.Kind.WEB, "title": title},
            )
        for area_order, (area_title, measures) in enumerate(MEASURES[seed.title], start=1):
            area = self.upsert(
                FocusArea, {"plan": plan, "title": area_title}, {"order": area_order}
            )
            for order, row in enumerate(measures, start=1):
                title, description, unit, role, partners, groups, level, status, timing = row
                measure = self.upsert(
                    Measure,
                    {"plan": plan, "title": title},
                    {
                        "focus_area": area,
                        "order": order,
                        "description": description,
                        "responsible_unit": units[unit],
                        "responsible_role": role,
                        "prevention_level": level,
                        "timing": timing,
                    },
                )
                self.set_m2m(measure.partner_units, [units[name] for name in partners])
                self.set_m2m(measure.target_groups, [targets[name] for name in groups])
                if not measure.status_reports.exists() and status != MeasureStatus.NOT_STARTED:
                    measure_report_status(
                        actor=None,
                        measure=measure,
                        status=status,
                        text="Status slik kommunens nettsider beskriver tiltaket ved vedtak.",
                        reported_on=seed.adopted_on,
                    )
                    self.written += 1
        return plan

    def load_stakeholder_work(self, plans, oks, violence_group, units, targets):
        child_plan = plans[CHILD_WELFARE_PLAN]
        violence_plan = plans[VIOLENCE_PLAN]
        reform = self.upsert(
            StakeholderAnalysis,
            {"title": "Interessentanalyse for innføring av reformene"},
            {
                "process_group": oks,
                "plan": child_plan,
                "description": (
                    "OKS-gruppen møttes første gang tidlig på høsten 2021. En interessentanalyse "
                    "ble gjennomført og resulterte i en tydeligere oversikt over hvem som er "
                    "målgruppe og hvem som er aktører. Gruppen forteller at et slikt arbeid vil "
                    "kunne avdekke styrker og svakheter, både i kommuneorganisasjonen og i "
                    "samfunnet Heim for øvrig.\n\nKommunens omtale sier ikke hvem analysen "
                    "fant. Interessentene her, og grad av interesse og innflytelse: "
                    f"{ESTIMATED}"
                ),
            },
        )
        reform_stakeholders = {}
        # name, role, category, unit, target group, interest, influence
        rows = [
            ("Barn", Stakeholder.Role.TARGET_GROUP, Stakeholder.Category.USER, None, "Barn", 2, 1),
            ("Unge", Stakeholder.Role.TARGET_GROUP, Stakeholder.Category.USER, None, "Unge", 2, 1),
            (
                "Foreldre",
                Stakeholder.Role.TARGET_GROUP,
                Stakeholder.Category.USER,
                None,
                "Foreldre",
                3,
                1,
            ),
            (
                "Ansatte i tjenestene",
                Stakeholder.Role.TARGET_GROUP,
                Stakeholder.Category.USER,
                None,
                "Ansatte",
                3,
                2,
            ),
            (
                "Toppledergruppen",
                Stakeholder.Role.ACTOR,
                Stakeholder.Category.MANAGEMENT,
                "Toppledergruppen",
                None,
                2,
                3,
            ),
            (
                "Barneverntjenesten",
                Stakeholder.Role.ACTOR,
                Stakeholder.Category.SUPPLIER,
                "Barneverntjenesten",
                None,
                3,
                3,
            ),
            (
                "Helsestasjon",
                Stakeholder.Role.ACTOR,
                Stakeholder.Category.SUPPLIER,
                "Helsestasjon",
                None,
                3,
                2,
            ),
            ("PPT", Stakeholder.Role.ACTOR, Stakeholder.Category.SUPPLIER, "PPT", None, 3, 2),
            (
                "Sodin skole",
                Stakeholder.Role.ACTOR,
                Stakeholder.Category.SUPPLIER,
                "Sodin skole",
                None,
                3,
                2,
            ),
            (
                "Barnehage",
                Stakeholder.Role.ACTOR,
                Stakeholder.Category.SUPPLIER,
                "Barnehage",
                None,
                3,
                2,
            ),
            (
                "Bakkelyenheten",
                Stakeholder.Role.ACTOR,
                Stakeholder.Category.SUPPLIER,
                "Bakkelyenheten",
                None,
                2,
                1,
            ),
        ]
        for order, (name, role, category, unit, target, interest, influence) in enumerate(rows, 1):
            reform_stakeholders[name] = self.upsert(
                Stakeholder,
                {"analysis": reform, "name": name},
                {
                    "order": order,
                    "role": role,
                    "category": category,
                    "unit": units.get(unit) if unit else None,
                    "target_group": targets.get(target) if target else None,
                    "interest": interest,
                    "influence": influence,
                    "attitude": Stakeholder.Attitude.UNKNOWN,
                },
            )
        for kind, scope, text in [
            (
                Finding.Kind.STRENGTH,
                Finding.Scope.ORGANISATION,
                "Organiseringen av barnevern, helsestasjon og PPT i Familiens hus har styrket "
                "kunnskapsdelingen på tvers av fagområdene.",
            ),
            (
                Finding.Kind.STRENGTH,
                Finding.Scope.ORGANISATION,
                "Heim kommune har vært god på tverrfaglig samarbeid siden sammenslåingen.",
            ),
            (
                Finding.Kind.STRENGTH,
                Finding.Scope.COMMUNITY,
                "Det bredt sammensatte folkehelsearbeidet har gjort tjenestene gode til å finne "
                "sammen på tvers av fag.",
            ),
        ]:
            self.upsert(Finding, {"analysis": reform, "text": text}, {"kind": kind, "scope": scope})

        # The article shows "En skjermdump fra den kommende filmen"; the plan page later
        # says "det ble produsert en video". No text dates it, so it has no done date
        # (which is what marks an activity done); the timing says what is known. Nor do
        # the texts say which unit was responsible or which target groups it was for.
        video = self.upsert(
            Activity,
            {"analysis": reform, "title": "Animasjonsfilm om reformene"},
            {
                "kind": Activity.Kind.INFORMATION,
                "channel": Activity.Channel.VIDEO,
                "message": "Reformene forklart på to minutter: «døren inn» for dem som ikke "
                "kjenner dem, og hvordan Heim kommune vil arbeide.",
                "timing": "Omtalt som «den kommende filmen» i reformartikkelen; ifølge "
                "omtalen av handlingsplanen ble videoen produsert. Datoen er ikke oppgitt.",
                "responsible_unit": None,
                "completed_on": None,
            },
        )
        self.set_m2m(video.stakeholders, [])
        leaders = self.upsert(
            Activity,
            {"analysis": reform, "title": "Formidling av handlingsplanen til enhetsledere"},
            {
                "kind": Activity.Kind.INFORMATION,
                "channel": Activity.Channel.LEADER_MEETING,
                "message": "Planens innhold og enhetenes felles ansvar for å følge opp tiltakene.",
                "timing": "Etter vedtak 28.09.23",
                "responsible_unit": None,  # "OKS-gruppen begynner med formidling": no unit
                "completed_on": None,
            },
        )
        # "... formidling av planens innhold til enhetsledere": the leaders of the units.
        self.set_m2m(
            leaders.stakeholders,
            [
                reform_stakeholders[n]
                for n in (
                    "Barneverntjenesten",
                    "Helsestasjon",
                    "PPT",
                    "Sodin skole",
                    "Barnehage",
                    "Bakkelyenheten",
                )
            ],
        )

        violence = self.upsert(
            StakeholderAnalysis,
            {"title": "Interessenter i arbeidet mot vold i nære relasjoner"},
            {
                "process_group": violence_group,
                "plan": violence_plan,
                "description": (
                    "Rådene arbeidsgruppen innhentet innspill fra, og samarbeidspartnerne den "
                    "var i dialog med under planarbeidet, etter kommunens omtale. "
                    f"Målgruppene, og grad av interesse og innflytelse: {ESTIMATED}"
                ),
            },
        )
        violence_rows = [
            (
                "Voldsutsatte",
                Stakeholder.Role.TARGET_GROUP,
                Stakeholder.Category.USER,
                None,
                "Voldsutsatte",
                3,
                1,
            ),
            (
                "Ansatte i tjenestene",
                Stakeholder.Role.TARGET_GROUP,
                Stakeholder.Category.USER,
                None,
                "Ansatte",
                3,
                2,
            ),
            (
                "Heim eldreråd",
                Stakeholder.Role.ACTOR,
                Stakeholder.Category.PREMISE_PROVIDER,
                "Heim eldreråd",
                None,
                2,
                2,
            ),
            (
                "Heim ungdomsråd",
                Stakeholder.Role.ACTOR,
                Stakeholder.Category.PREMISE_PROVIDER,
                "Heim ungdomsråd",
                None,
                2,
                2,
            ),
            (
                "Kommunalt råd for personer med nedsatt funksjonsevne",
                Stakeholder.Role.ACTOR,
                Stakeholder.Category.PREMISE_PROVIDER,
                "Kommunalt råd for personer med nedsatt funksjonsevne",
                None,
                2,
                2,
            ),
            (
                "Politiet",
                Stakeholder.Role.ACTOR,
                Stakeholder.Category.OTHER,
                "Politiet",
                None,
                3,
                3,
            ),
            (
                "Krisesenteret",
                Stakeholder.Role.ACTOR,
                Stakeholder.Category.SUPPLIER,
                "Krisesenteret",
                None,
                3,
                2,
            ),
            ("RVTS", Stakeholder.Role.ACTOR, Stakeholder.Category.OTHER, "RVTS", None, 2, 2),
        ]
        violence_stakeholders = {}
        for order, (name, role, category, unit, target, interest, influence) in enumerate(
            violence_rows, 1
        ):
            violence_stakeholders[name] = self.upsert(
                Stakeholder,
                {"analysis": violence, "name": name},
                {
                    "order": order,
                    "role": role,
                    "category": category,
                    "unit": units.get(unit) if unit else None,
                    "target_group": targets.get(target) if target else None,
                    "interest": interest,
                    "influence": influence,
                    "attitude": Stakeholder.Attitude.UNKNOWN,
                },
            )
        dissemination = self.upsert(
            Activity,
            {"analysis": violence, "title": "Formidling av handlingsplanen til enhetsledere"},
            {
                "kind": Activity.Kind.INFORMATION,
                "channel": Activity.Channel.LEADER_MEETING,
                "message": "Planens innhold: Heim kommunes rutiner for samhandling, tverrfaglig "
                "samarbeid og tiltak for å forebygge, avdekke og avverge vold i nære relasjoner.",
                "timing": "Etter vedtak 23.08.23",
                "responsible_unit": None,  # "Arbeidsgruppen begynner med formidling": no unit
                "completed_on": None,
            },
        )
        # Aimed at the unit leaders, none of whom is a stakeholder in this analysis.
        self.set_m2m(dissemination.stakeholders, [])

        # Which measures the input shaped, only where the texts say so. The violence
        # plan's page says the working group "innhentet innspill fra blant annet de 3
        # rådene" and "har også vært i dialog med politiet, krisesenteret og RVTS", not
        # that any of it shaped a particular measure: those inputs link to none. The child
        # welfare plan's page says the input from "flere medvirkningsprosesser ... ble
        # brukt til blant annet utforming av tiltak i planen": it links to the measure
        # that stands for the plan's new measures.
        inputs = [
            ("Heim eldreråd", "Innspill til handlingsplanen fra Heim eldreråd."),
            ("Heim ungdomsråd", "Innspill til handlingsplanen fra Heim ungdomsråd."),
            (
                "Kommunalt råd for personer med nedsatt funksjonsevne",
                "Innspill til handlingsplanen fra rådet.",
            ),
            ("Politiet", "Dialog med arbeidsgruppen under planarbeidet."),
            ("Krisesenteret", "Dialog med arbeidsgruppen under planarbeidet."),
            ("RVTS", "Dialog med arbeidsgruppen under planarbeidet."),
        ]
        for source, summary in inputs:
            participation = self.upsert(
                ParticipationInput,
                {"plan": violence_plan, "source": source},
                {
                    "analysis": violence,
                    "stakeholder": violence_stakeholders.get(source),
                    "summary": summary,
                },
            )
            self.set_m2m(participation.measures, [])
        # An earlier version named this source "Medvirkningsprosesser i enhetene"; the
        # text does not say where the processes were held.
        source = "Medvirkningsprosesser"
        legacy = ParticipationInput.objects.filter(
            plan=child_plan, source="Medvirkningsprosesser i enhetene"
        ).first()
        if (
            legacy
            and not ParticipationInput.objects.filter(plan=child_plan, source=source).exists()
        ):
            legacy.source = source
            legacy.save(update_fields=["source"])
            self.written += 1
        participation = self.upsert(
            ParticipationInput,
            {"plan": child_plan, "source": source},
            {
                "analysis": reform,
                "stakeholder": None,
                "summary": "Innspill fra flere medvirkningsprosesser, brukt blant annet til "
                "utforming av tiltak i planen.",
            },
        )
        self.set_m2m(
            participation.measures,
            list(
                Measure.objects.filter(plan=child_plan, title="Realisering av nye tiltak i planen")
            ),
        )
