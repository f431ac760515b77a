"""factory_boy factories for every model, in one place."""

import datetime as dt
import hashlib
import secrets

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from journeys.models import Journey, Stage, Step
from surveys.models import (
    Complaint,
    ComplaintSource,
    FollowUp,
    Invitation,
    Response,
    Survey,
    TouchpointDailyScore,
)
from touchpoints.models import (
    Channel,
    Customer,
    Department,
    ImprovementAction,
    Interaction,
    Outcome,
    Staff,
    Touchpoint,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "secret-password")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Department {n}")


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    name = factory.Sequence(lambda n: f"Agent {n}")
    email = factory.Sequence(lambda n: f"agent{n}@example.com")
    department = factory.SubFactory(DepartmentFactory)


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    name = factory.Sequence(lambda n: f"Survey {n}")
    languages = ["en"]


class TouchpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Touchpoint

    name = factory.Sequence(lambda n: f"Touchpoint {n}")
    channel = Channel.PHONE
    department = factory.SubFactory(DepartmentFactory)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    name = factory.Sequence(lambda n: f"Customer {n}")
    external_ref = factory.Sequence(lambda n: f"REF-{n}")


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    customer = factory.SubFactory(CustomerFactory)
    touchpoint = factory.SubFactory(TouchpointFactory)
    occurred_at = factory.LazyFunction(timezone.now)
    outcome = Outcome.RESOLVED
    external_id = factory.Sequence(lambda n: f"EXT-{n}")


class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complaint

    customer = factory.SubFactory(CustomerFactory)
    touchpoint = factory.SubFactory(TouchpointFactory)
    source = ComplaintSource.PHONE
    received_at = factory.LazyFunction(timezone.now)
    text = "The call dropped."


class ImprovementActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImprovementAction

    touchpoint = factory.SubFactory(TouchpointFactory)
    title = factory.Sequence(lambda n: f"Improvement {n}")


class JourneyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Journey

    name = factory.Sequence(lambda n: f"Journey {n}")


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stage

    journey = factory.SubFactory(JourneyFactory)
    name = factory.Sequence(lambda n: f"Stage {n}")
    position = factory.Sequence(lambda n: n)


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    stage = factory.SubFactory(StageFactory)
    touchpoint = factory.SubFactory(TouchpointFactory)
    position = factory.Sequence(lambda n: n)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    interaction = factory.SubFactory(InteractionFactory)
    survey = factory.SubFactory(SurveyFactory)
    token_hash = factory.LazyFunction(lambda: hashlib.sha256(secrets.token_bytes(32)).hexdigest())
    due_at = factory.LazyAttribute(lambda i: i.interaction.occurred_at + dt.timedelta(hours=2))
    expires_at = factory.LazyAttribute(lambda i: i.due_at + dt.timedelta(days=14))


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    invitation = factory.SubFactory(InvitationFactory)
    touchpoint = factory.LazyAttribute(lambda r: r.invitation.interaction.touchpoint)
    submitted_at = factory.LazyFunction(timezone.now)
    expectation = 6
    experience = 4
    csat = 3
    nps = 7
    effort = 3


class TouchpointDailyScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TouchpointDailyScore

    touchpoint = factory.SubFactory(TouchpointFactory)
    day = factory.LazyFunction(timezone.localdate)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    response = factory.SubFactory(ResponseFactory)
    reason = "detractor"
    due_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(hours=24))
