"""Builds the demo organisation: people, touchpoints, both journeys, customers, six months
of interactions, survey answers, complaints and follow-ups, then the rollups.

Deterministic (one seeded generator) and idempotent: it does nothing when the demo
journey already exists. Everything is written in one transaction.
One builder, longer than most modules: its steps run in order and share one generator,
so the story they tell reads in one place.
"""

import datetime as dt
import hashlib
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from demo import catalogue, loops
from demo.answers import simulate_answer
from demo.paths import HOTLINE_FIX_DAYS_AGO, PathSimulator
from journeys.models import Journey, JourneyKind, Stage, Step
from surveys.counting.aggregation import rollups_rebuild_all
from surveys.counting.paths import rebuild_paths
from surveys.models import (
    Complaint,
    ComplaintSource,
    ComplaintStatus,
    Invitation,
    InvitationStatus,
    Response,
    Survey,
    SurveyAudience,
)
from surveys.said import sentiment
from surveys.said.theming import refresh_themes
from touchpoints.models import (
    Audience,
    Customer,
    Department,
    ImprovementAction,
    ImprovementStatus,
    Interaction,
    Staff,
    Touchpoint,
    local_day,
)
from touchpoints.roles import CX_MANAGERS_GROUP

DEMO_PASSWORD = "touchstone-demo"
ANSWER_RATE = {"customer": 0.4, "prospect": 0.25}


@dataclass
class DemoLogin:
    username: str
    role: str


@dataclass
class DemoSummary:
    created: bool
    logins: list[DemoLogin]
    counts: dict[str, int]


def demo_logins() -> list[DemoLogin]:
    logins = [DemoLogin("admin", "administrator"), DemoLogin("cx", "CX manager")]
    logins += [
        DemoLogin(username, f"head of {name}") for name, _, username, _ in catalogue.DEPARTMENTS
    ]
    logins.append(DemoLogin(catalogue.STAFF_LOGIN, "salesperson (front-line staff)"))
    return logins


def demo_exists() -> bool:
    return Journey.objects.filter(name=catalogue.CUSTOMER_JOURNEY[0]).exists()


def demo_build(*, customers=2000, interactions=20000, days=180, seed=42, today=None):
    """Create the demo data unless it is there already; returns a DemoSummary."""
    if demo_exists():
        return DemoSummary(False, demo_logins(), {})
    builder = _DemoBuilder(random.Random(seed), today or timezone.localdate(), days)
    with transaction.atomic():
        counts = builder.build(customers, interactions)
        counts["rollups"] = rollups_rebuild_all()
        counts["path transitions"] = rebuild_paths()
        counts["themes"] = refresh_themes(now=builder.now).themes
    return DemoSummary(True, demo_logins(), counts)


class _DemoBuilder:
    def __init__(self, rng: random.Random, today: dt.date, days: int):
        self.rng, self.today, self.days = rng, today, days
        self.now = timezone.now()

    def build(self, customers: int, interactions: int) -> dict[str, int]:
        self.create_people()
        self.create_surveys()
        self.create_touchpoints()
        self.create_journeys()
        facts, buyers = PathSimulator(self.rng, self.today, self.days).simulate(
            customers, interactions
        )
        self.create_customers(customers, buyers)
        rows = self.create_interactions(facts)
        invitations, responses = self.create_answers(facts, rows)
        follow_ups = loops.create_follow_ups(
            self.rng, self.now, responses, fast=self.staff["Sales"][:2]
        )
        # Detractors nobody called back in time often go, and are not seen again.
        gone = loops.leave_after_late_calls(self.rng, follow_ups)
        kept = [(fact, row) for fact, row in zip(facts, rows, strict=True) if row.pk not in gone]
        complaints = self.create_complaints(kept)
        self.create_improvement()
        pulse_answers = self.create_pulse()
        return {
            "touchpoints": len(self.touchpoints),
            "customers": len(self.customers),
            "interactions": len(kept),
            "invitations": invitations - gone.invitations,
            "responses": len(responses) - gone.responses,
            "complaints": complaints,
            "pulse answers": pulse_answers,
        }

    # --- the organisation ---------------------------------------------------------------
    def create_people(self):
        User = get_user_model()
        self.admin = _user(User, "admin", "Ada", "Admin", is_superuser=True, is_staff=True)
        self.cx = _user(User, "cx", "Casey", "Morgan")
        self.cx.groups.add(Group.objects.get_or_create(name=CX_MANAGERS_GROUP)[0])
        self.departments, self.staff = {}, {}
        names = iter(catalogue.STAFF_NAMES)
        for name, colour, head_username, head_name in catalogue.DEPARTMENTS:
            first, last = head_name.split()
            department = Department.objects.create(name=name, colour=colour)
            department.heads.add(_user(User, head_username, first, last))
            self.departments[name] = department
            self.staff[name] = [
                Staff.objects.create(
                    name=staff_name,
                    email=f"{staff_name.lower().replace(' ', '.')}@flooring.example",
                    department=department,
                )
                for staff_name in (next(names) for _ in range(5))
            ]
        # One of the two salespeople who call back fast signs in as front-line staff.
        salesperson = self.staff["Sales"][1]
        salesperson.user = _user(User, catalogue.STAFF_LOGIN, *salesperson.name.split())
        salesperson.save(update_fields=["user"])

    def create_surveys(self):
        self.surveys = {
            "customer": Survey.objects.create(
                name="After your visit",
                intro="A few questions about your recent contact with us.",
                languages=["en", "de"],
            ),
            "prospect": Survey.objects.create(
                name="What made you go elsewhere?",
                audience=SurveyAudience.PROSPECT,
                asks_csat=False,
                asks_effort=False,
                languages=["en", "de"],
            ),
            "staff": Survey.objects.create(
                name="Staff pulse",
                audience=SurveyAudience.STAFF,
                asks_csat=False,
                asks_nps=False,
                languages=["en"],
            ),
        }

    def create_touchpoints(self):
        self.touchpoints = {}
        for key, spec in catalogue.CUSTOMER_TOUCHPOINTS.items():
            name, channel, department, standards, effort, profile = spec
            self.touchpoints[key] = Touchpoint.objects.create(
                name=name,
                channel=channel,
                department=self.departments[department],
                effort_estimate=effort,
                surveyed=profile is not None,
                survey=self.surveys["customer"] if profile else None,
                survey_delay=dt.timedelta(hours=2),
                survey_cap_days=7,
                **standards,
            )
        for key, spec in catalogue.EMPLOYEE_TOUCHPOINTS.items():
            name, channel, department, effort, supports = spec
            touchpoint = Touchpoint.objects.create(
                name=name,
                channel=channel,
                department=self.departments[department],
                audience=Audience.EMPLOYEE,
                effort_estimate=effort,
                surveyed=True,
                survey=self.surveys["staff"],
                survey_cap_days=28,
            )
            touchpoint.supports.set([self.touchpoints[k] for k in supports])
            self.touchpoints[key] = touchpoint

    def create_journeys(self):
        customer = _journey(catalogue.CUSTOMER_JOURNEY, JourneyKind.CUSTOMER, self.cx)
        employee = _journey(catalogue.EMPLOYEE_JOURNEY, JourneyKind.EMPLOYEE, self.cx)
        for journey, spec in (
            (customer, catalogue.CUSTOMER_JOURNEY),
            (employee, catalogue.EMPLOYEE_JOURNEY),
        ):
            for position, (stage_name, goal, keys) in enumerate(spec[3]):
                stage = Stage.objects.create(
                    journey=journey, name=stage_name, position=position, customer_goal=goal
                )
                Step.objects.bulk_create(
                    Step(stage=stage, touchpoint=self.touchpoints[key], position=index)
                    for index, key in enumerate(keys)
                )

    # --- customers and what happened to them ----------------------------------------------
    def create_customers(self, count: int, buyers: set):
        rng = self.rng
        self.customers = Customer.objects.bulk_create(
            Customer(
                email=f"customer{index:05d}@mail.example",
                name=f"Customer {index:05d}",
                external_ref=f"CRM-{index:05d}",
                segment=rng.choice(catalogue.SEGMENTS),
                is_prospect=index not in buyers,
                language="de" if rng.random() < 0.1 else "en",
                opted_out_at=self.now if rng.random() < 0.02 else None,
            )
            for index in range(count)
        )
        sales = self.staff["Sales"]
        self.own_salesperson = {index: rng.choice(sales) for index in range(count)}

    def handler_of(self, fact):
        if fact.own_contact:
            return self.own_salesperson[fact.customer]
        department = self.touchpoints[fact.touchpoint].department.name
        if department == "Marketing":
            return None
        return self.rng.choice(self.staff[department])

    def create_interactions(self, facts):
        rows = [
            Interaction(
                customer=self.customers[fact.customer],
                touchpoint=self.touchpoints[fact.touchpoint],
                occurred_at=fact.occurred_at,
                day=local_day(fact.occurred_at),  # bulk_create does not call save()
                handled_by=self.handler_of(fact),
                outcome=fact.outcome,
                wait_seconds=fact.wait_seconds,
                response_seconds=fact.response_seconds,
                resolution_seconds=fact.resolution_seconds,
                first_contact_resolution=fact.first_contact_resolution,
                external_id=f"DEMO-{index:06d}",
            )
            for index, fact in enumerate(facts)
        ]
        return Interaction.objects.bulk_create(rows, batch_size=2000)

    def create_answers(self, facts, rows) -> tuple[int, list[Response]]:
        """Invitations under each touchpoint's policy, and the answers to some of them."""
        rng = self.rng
        last_invited: dict[int, dt.datetime] = {}
        invitations, answers = [], []
        for fact, interaction in zip(facts, rows, strict=True):
            touchpoint, customer = interaction.touchpoint, interaction.customer
            if not touchpoint.surveyed or customer.has_opted_out:
                continue
            previous = last_invited.get(customer.pk)
            if previous and fact.occurred_at - previous < dt.timedelta(
                days=touchpoint.survey_cap_days
            ):
                continue
            last_invited[customer.pk] = fact.occurred_at
            walked_away = interaction.customer_walked_away
            audience = "prospect" if walked_away else "customer"
            sent_at = fact.occurred_at + touchpoint.survey_delay
            if sent_at >= self.now:
                continue
            survey = self.surveys[audience]
            invitation = Invitation(
                interaction=interaction,
                survey=survey,
                token_hash=hashlib.sha256(rng.randbytes(32)).hexdigest(),
                due_at=sent_at,
                sent_at=sent_at,
                sent_on=local_day(sent_at),
                expires_at=sent_at + dt.timedelta(days=survey.expires_after_days),
                attempts=1,
            )
            answered_at = sent_at + dt.timedelta(minutes=rng.randrange(5, 3 * 24 * 60))
            if rng.random() < ANSWER_RATE[audience] and answered_at < self.now:
                invitation.status, invitation.answered_at = InvitationStatus.ANSWERED, answered_at
                answers.append((invitation, fact, walked_away))
            elif invitation.expires_at < self.now:
                invitation.status = InvitationStatus.EXPIRED
            else:
                invitation.status = InvitationStatus.SENT
            invitations.append(invitation)
        Invitation.objects.bulk_create(invitations, batch_size=2000)
        responses = Response.objects.bulk_create(
            [
                _scored(
                    Response(
                        invitation=invitation,
                        touchpoint=invitation.interaction.touchpoint,
                        submitted_at=invitation.answered_at,
                        day=local_day(invitation.answered_at),
                        language=invitation.interaction.customer.language,
                        **simulate_answer(rng, fact, walked_away),
                    )
                )
                for invitation, fact, walked_away in answers
            ],
            batch_size=2000,
        )
        return len(invitations), responses

    def create_pulse(self) -> int:
        """Six monthly pulse rounds: each staff member scored one of their department's
        internal touchpoints (as surveys.pulse does), most of them answering."""
        rng, answered = self.rng, 0
        internal: dict[str, list[str]] = {}
        for key, (_name, _channel, department, *_rest) in catalogue.EMPLOYEE_TOUCHPOINTS.items():
            internal.setdefault(department, []).append(key)
        people = [(d, i, p) for d in internal for i, p in enumerate(self.staff[d])]
        for months_ago in range(6, 0, -1):
            moment = self.now - dt.timedelta(days=30 * months_ago - 3)
            for minute, (department, index, person) in enumerate(people):
                key = internal[department][(index + months_ago) % len(internal[department])]
                # Each person at their own minute: answers keep a stable order.
                at = moment + dt.timedelta(minutes=minute)
                answered += self._pulse_answer(rng, person, key, at)
        return answered

    def _pulse_answer(self, rng, person, key, moment) -> int:
        customer, _ = Customer.objects.get_or_create(
            email=person.email, defaults={"name": person.name, "segment": "staff"}
        )
        interaction = Interaction.objects.create(
            customer=customer,
            touchpoint=self.touchpoints[key],
            occurred_at=moment,
            outcome="resolved",
            external_id=f"DEMO-PULSE-{moment:%Y%m}-{person.pk}",
        )
        survey = self.surveys["staff"]
        answered = rng.random() < 0.7
        invitation = Invitation.objects.create(
            interaction=interaction,
            survey=survey,
            token_hash=hashlib.sha256(rng.randbytes(32)).hexdigest(),
            due_at=moment,
            sent_at=moment,
            sent_on=local_day(moment),
            expires_at=moment + dt.timedelta(days=survey.expires_after_days),
            attempts=1,
            status=InvitationStatus.ANSWERED if answered else InvitationStatus.EXPIRED,
            answered_at=moment + dt.timedelta(hours=5) if answered else None,
        )
        if not answered:
            return 0
        expected, experienced = catalogue.EMPLOYEE_PROFILES[key]
        experience = max(1, min(7, round(rng.gauss(experienced, 1.0))))
        comment = rng.choice(catalogue.PULSE_COMMENTS.get(key, [""])) if rng.random() < 0.4 else ""
        Response.objects.create(
            invitation=invitation,
            touchpoint=self.touchpoints[key],
            submitted_at=invitation.answered_at,
            expectation=max(1, min(7, round(rng.gauss(expected, 0.8)))),
            experience=experience,
            effort=max(1, min(7, 8 - experience)),
            comment=comment,
            sentiment=sentiment.score(comment),
        )
        return 1

    def create_complaints(self, interactions) -> int:
        rng = self.rng
        complaints = []
        for fact, interaction in interactions:
            likelihood = 0.08 if (fact.wait_seconds or 0) > 900 else 0.02
            if fact.touchpoint not in catalogue.COMPLAINT_TEXTS or rng.random() > likelihood:
                continue
            received_at = fact.occurred_at + dt.timedelta(hours=rng.randrange(1, 72))
            text = rng.choice(catalogue.COMPLAINT_TEXTS[fact.touchpoint])
            resolved = (self.now - received_at).days > 10 and rng.random() < 0.8
            complaints.append(
                Complaint(
                    customer=interaction.customer,
                    touchpoint=interaction.touchpoint,
                    source=rng.choice(ComplaintSource.values),
                    received_at=received_at,
                    text=text,
                    sentiment=sentiment.score(text),
                    status=ComplaintStatus.RESOLVED if resolved else ComplaintStatus.OPEN,
                    owner=rng.choice(self.staff[interaction.touchpoint.department.name]),
                    resolved_at=received_at + dt.timedelta(days=rng.randrange(1, 9))
                    if resolved
                    else None,
                    resolution_notes="Called the customer and apologised." if resolved else "",
                )
            )
        Complaint.objects.bulk_create(complaints, batch_size=2000)
        return len(complaints)

    def create_improvement(self):
        ImprovementAction.objects.create(
            touchpoint=self.touchpoints["hotline"],
            title="Offer a call-back instead of holding",
            description="Callers waiting over a minute are offered a call-back within the hour.",
            status=ImprovementStatus.DONE,
            changed_on=self.today - dt.timedelta(days=HOTLINE_FIX_DAYS_AGO),
            created_by=self.cx,
        )
        ImprovementAction.objects.create(
            touchpoint=self.touchpoints["aftersale_call"],
            title="After-sale call by the customer's own salesperson",
            description="The salesperson who sold the floor makes the after-sale call.",
            created_by=self.cx,
        )


def _scored(response: Response) -> Response:
    """Bulk-created answers skip the sentiment task: score them here."""
    response.sentiment = sentiment.score(response.comment, response.language)
    return response


def _user(User, username, first_name, last_name, **flags):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@flooring.example",
            **flags,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _journey(spec, kind, owner):
    name, description, persona, _ = spec
    return Journey.objects.create(
        name=name, description=description, persona=persona, kind=kind, owner=owner
    )
