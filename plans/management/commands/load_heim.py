"""Load Heim kommune's plan work from its published texts (data/heim/).

Idempotent: rows are looked up by natural keys and only written when a value
differs, so a second run writes nothing (and adds no history).

What the texts state (plans, adoption dates, sections, groups and members,
mandate, councils and partners heard, the measures they describe) is taken
from them. What they do not state (interest and influence degrees in the
stakeholder analysis, names of working-model steps 5–7) is loaded as a marked
starting point for the group to assess.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from heimplan.cache import public_content_changed
from heimplan.text import slugify_nb
from measures.models import FocusArea, Measure, MeasureStatus, PreventionLevel, TargetGroup
from measures.services import measure_report_status
from organisation.models import MandateItem, Membership, ProcessGroup, Unit
from plans import seed_texts
from plans.models import (
    LegalBasis,
    Plan,
    PlanLink,
    PlanSection,
    PlanStepProgress,
    Reform,
    WorkingModel,
    WorkingModelStep,
)
from plans.services import adoption_store_missing_pdf, plan_register_adoption
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
    ("Helsestasjon", Unit.Kind.UNIT, "Familiens hus", "Helsestasjon og skolehelsetjeneste."),
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

# Which unit each role in the texts sits in.
ROLE_UNITS = {
    "Rådgiver oppvekst": "Oppvekst",
    "Enhetsleder PPT": "PPT",
    "Kommunepsykolog": "Helse, mestring og familie",
    "Enhetsleder helsestasjon": "Helsestasjon",
    "Enhetsleder barneverntjenesten": "Barneverntjenesten",
    "Enhetsleder Bakkelyenheten": "Bakkelyenheten",
    "Folkehelsekoordinator": "Helse, mestring og familie",
    "Kommuneoverlege": "Helse, mestring og familie",
    "Veileder NAV Heim": "NAV Heim",
}
# Names the reform article gives for roles (kept from the public; see Membership).
ROLE_PERSONS = {
    "Enhetsleder barneverntjenesten": "Mona Forren",
    "Enhetsleder helsestasjon": "Vigdis Bjerkli",
    "Kommunepsykolog": "Ane Aarvaag",
}

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

REFORMS = {
    "Oppvekstreformen": (
        date(2022, 1, 1),
        "Barnevernsreformen: kommunene får større ansvar for forebygging og tidlig innsats.",
    ),
    "Kompetanseløftet for spesialpedagogikk og inkluderende praksis": (
        date(2022, 1, 1),
        "Spesialpedagogisk kompetanse nærmere barna, i barnehage og skole.",
    ),
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
MEASURES = {
    CHILD_WELFARE_PLAN: [
        (
            "Informasjon og eierskap",
            [
                (
                    "Informasjonsvideo om reformene",
                    "En kort animasjonsfilm på to minutter som forklarer oppvekstreformen og "
                    "kompetanseløftet, og kommunens arbeid med dem: «døren inn» til reformene "
                    "for dem som ikke kjenner dem.",
                    "Oppvekst",
                    "Rådgiver oppvekst",
                    ["Barneverntjenesten", "Helsestasjon", "PPT", "Sodin skole", "Barnehage"],
                    ["Foreldre", "Ansatte"],
                    PreventionLevel.UNIVERSAL,
                    MeasureStatus.COMPLETED,
                    "Gjennomført 2022",
                ),
                (
                    "Formidling av planens innhold til enhetsledere",
                    "OKS-gruppen formidler planens innhold til enhetslederne, slik at alle "
                    "enheter kjenner tiltakene og sitt ansvar for å følge dem opp.",
                    "Oppvekst",
                    "Rådgiver oppvekst",
                    ["Helse, mestring og familie"],
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
                    "Tjenestene setter i gang nye tiltak for å forebygge omsorgssvikt og "
                    "atferdsvansker. Alle enheter har et fellesansvar for å påse at tiltakene "
                    "følges opp.",
                    "Oppvekst",
                    "Kommunalsjef oppvekst",
                    ["Barneverntjenesten", "Helsestasjon", "PPT", "Bakkelyenheten"],
                    ["Barn", "Unge", "Foreldre"],
                    PreventionLevel.UNIVERSAL,
                    MeasureStatus.IN_PROGRESS,
                    "Planperioden",
                ),
                (
                    "Kartlegging av status i enhetene",
                    "Kartlegging av status i enhetene etter Trøndelagsmodellen for "
                    "folkehelsearbeid, som kunnskapsgrunnlag for tiltakene.",
                    "Helse, mestring og familie",
                    "Folkehelsekoordinator",
                    ["Barneverntjenesten", "Helsestasjon", "PPT"],
                    ["Ansatte"],
                    "",
                    MeasureStatus.COMPLETED,
                    "Før vedtak",
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
                    "Ansatte i tjenestene får økt kompetanse i å forebygge, avdekke og avverge "
                    "vold i nære relasjoner, og en felles forståelse av fenomenet.",
                    "Helse, mestring og familie",
                    "Kommuneoverlege",
                    ["Helsestasjon", "Barneverntjenesten", "NAV Heim", "RVTS"],
                    ["Ansatte"],
                    PreventionLevel.UNIVERSAL,
                    MeasureStatus.IN_PROGRESS,
                    "Fra høsten 2023",
                ),
            ],
        ),
        (
            "Samhandling og oppfølging",
            [
                (
                    "Formidling av planens innhold til enhetsledere",
                    "Arbeidsgruppen formidler planens rutiner for samhandling og tverrfaglig "
                    "samarbeid til enhetslederne.",
                    "Helse, mestring og familie",
                    "Folkehelsekoordinator",
                    ["Oppvekst"],
                    ["Enhetsledere"],
                    "",
                    MeasureStatus.IN_PROGRESS,
                    "Etter vedtak",
                ),
                (
                    "Realisering av nye tiltak mot vold i nære relasjoner",
                    "Nye tiltak for å forebygge, avdekke og avverge vold i nære relasjoner, og "
                    "samordnet oppfølging av voldsutsatte.",
                    "Helse, mestring og familie",
                    "Kommuneoverlege",
                    ["Politiet", "Krisesenteret", "NAV Heim", "Barneverntjenesten"],
                    ["Voldsutsatte"],
                    PreventionLevel.INDICATED,
                    MeasureStatus.IN_PROGRESS,
                    "Planperioden",
                ),
                (
                    "Kartlegging med enhetene",
                    "Kartlegging av enhetenes arbeid med vold i nære relasjoner som grunnlag "
                    "for planen.",
                    "Helse, mestring og familie",
                    "Folkehelsekoordinator",
                    ["Helsestasjon", "Barneverntjenesten", "NAV Heim"],
                    ["Ansatte"],
                    "",
                    MeasureStatus.COMPLETED,
                    "Før vedtak",
                ),
            ],
        ),
    ],
}

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
            public_content_changed()
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
        plans = {}
        for seed in seed_plans:
            group = oks if seed.title == CHILD_WELFARE_PLAN else violence_group
            plans[seed.title] = self.load_plan(seed, group, model, units, targets)
        self.load_stakeholder_work(plans, oks, violence_group, units, targets)
        for seed in seed_plans:
            plan = plans[seed.title]
            plan.refresh_from_db()
            if not plan.adoptions.exists():
                plan_register_adoption(
                    plan=plan,
                    meeting_date=seed.adopted_on,
                    decision_text=f"Kommunestyret vedtar {seed.title.lower()}.",
                )
                self.written += 1
            # Adopted versions loaded before PDFs existed get theirs, once.
            for adoption in plan.adoptions.filter(pdf_sha256=""):
                adoption_store_missing_pdf(adoption=adoption)
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
                "established_on": date(2021, 6, 1),
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
                    "relasjoner, kartla enhetenes arbeid og innhentet innspill fra rådene, "
                    "politiet, krisesenteret og RVTS."
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
                        "unit": units[ROLE_UNITS[role]],
                        "person_name": ROLE_PERSONS.get(role, "") if group == oks else "",
                    },
                )
        # The last bullet describes the group's composition, which memberships carry.
        tasks = [item for item in mandate if not item.startswith("Tverrfaglig sammensatt")]
        statuses = [
            MandateItem.Status.DONE,  # information strategy: the video and campaign
            MandateItem.Status.IN_PROGRESS,
            MandateItem.Status.IN_PROGRESS,
            MandateItem.Status.IN_PROGRESS,
            MandateItem.Status.DONE,  # the analysis and measures plan: adopted 28.09.23
            MandateItem.Status.IN_PROGRESS,
        ]
        for order, text in enumerate(tasks, start=1):
            status = (
                statuses[order - 1] if order <= len(statuses) else MandateItem.Status.NOT_STARTED
            )
            self.upsert(
                MandateItem,
                {"group": oks, "order": order},
                {
                    "text": text,
                    "deadline": date(2022, 2, 1) if "1.2 22" in text else None,
                    "status": status,
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
                        measure=measure,
                        status=status,
                        text="Status slik kommunens nettsider beskriver tiltaket ved vedtak.",
                        reported_on=seed.adopted_on,
                    )
                    self.written += 1
        if model is not None:
            for step in model.steps.filter(number__lte=4):
                self.upsert(
                    PlanStepProgress,
                    {"plan": plan, "step": step},
                    {"completed_on": seed.adopted_on, "note": "Fullført før planen ble vedtatt."},
                )
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
                    "OKS-gruppen gjennomførte en interessentanalyse høsten 2021. Den ga en "
                    "tydeligere oversikt over hvem som er målgruppe og hvem som er aktører, og "
                    "kan avdekke styrker og svakheter i kommuneorganisasjonen og i samfunnet "
                    f"Heim for øvrig.\n\nGrad av interesse og innflytelse: {ESTIMATED}"
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

        video = self.upsert(
            Activity,
            {"analysis": reform, "title": "Animasjonsfilm om reformene"},
            {
                "kind": Activity.Kind.INFORMATION,
                "channel": Activity.Channel.VIDEO,
                "message": "Reformene forklart på to minutter: «døren inn» for dem som ikke "
                "kjenner dem, og hvordan Heim kommune vil arbeide.",
                "timing": "2022",
                "responsible_unit": units["Oppvekst"],
                "completed_on": date(2022, 12, 31),
            },
        )
        self.set_m2m(
            video.stakeholders,
            [reform_stakeholders[n] for n in ("Foreldre", "Ansatte i tjenestene", "Unge")],
        )
        leaders = self.upsert(
            Activity,
            {"analysis": reform, "title": "Formidling av handlingsplanen til enhetsledere"},
            {
                "kind": Activity.Kind.INFORMATION,
                "channel": Activity.Channel.LEADER_MEETING,
                "message": "Planens innhold og enhetenes felles ansvar for å følge opp tiltakene.",
                "timing": "Etter vedtak 28.09.23",
                "responsible_unit": units["Oppvekst"],
                "completed_on": None,
            },
        )
        self.set_m2m(
            leaders.stakeholders,
            [
                reform_stakeholders[n]
                for n in (
                    "Ansatte i tjenestene",
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
                    "Rådene, samarbeidspartnerne og målgruppene arbeidsgruppen hørte under "
                    f"planarbeidet.\n\nGrad av interesse og innflytelse: {ESTIMATED}"
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
                "message": "Planens rutiner for samhandling og tverrfaglig samarbeid.",
                "timing": "Etter vedtak 23.08.23",
                "responsible_unit": units["Helse, mestring og familie"],
                "completed_on": None,
            },
        )
        self.set_m2m(dissemination.stakeholders, [violence_stakeholders["Ansatte i tjenestene"]])

        shaped = {
            violence_plan: Measure.objects.filter(
                plan=violence_plan,
                title__in=[
                    "Realisering av nye tiltak mot vold i nære relasjoner",
                    "Kompetanseheving om vold i nære relasjoner",
                ],
            ),
            child_plan: Measure.objects.filter(
                plan=child_plan, title="Realisering av nye tiltak i planen"
            ),
        }
        inputs = [
            (
                violence_plan,
                violence,
                "Heim eldreråd",
                "Innspill til handlingsplanen fra Heim eldreråd.",
            ),
            (
                violence_plan,
                violence,
                "Heim ungdomsråd",
                "Innspill til handlingsplanen fra Heim ungdomsråd.",
            ),
            (
                violence_plan,
                violence,
                "Kommunalt råd for personer med nedsatt funksjonsevne",
                "Innspill til handlingsplanen fra rådet.",
            ),
            (violence_plan, violence, "Politiet", "Dialog med arbeidsgruppen under planarbeidet."),
            (
                violence_plan,
                violence,
                "Krisesenteret",
                "Dialog med arbeidsgruppen under planarbeidet.",
            ),
            (violence_plan, violence, "RVTS", "Dialog med arbeidsgruppen under planarbeidet."),
        ]
        for plan, analysis, source, summary in inputs:
            participation = self.upsert(
                ParticipationInput,
                {"plan": plan, "source": source},
                {
                    "analysis": analysis,
                    "stakeholder": violence_stakeholders.get(source),
                    "summary": summary,
                },
            )
            self.set_m2m(participation.measures, list(shaped[plan]))
        participation = self.upsert(
            ParticipationInput,
            {"plan": child_plan, "source": "Medvirkningsprosesser i enhetene"},
            {
                "analysis": reform,
                "stakeholder": None,
                "summary": "Innspill fra flere medvirkningsprosesser, brukt blant annet til "
                "utforming av tiltak i planen.",
            },
        )
        self.set_m2m(participation.measures, list(shaped[child_plan]))
