"""User text is inert: every text field a person can fill holds an XSS payload (a survey's
own question and option too), and no page or chart runs it, grows a node from it, or
breaks the content security policy: the designer, its preview and the public survey
page included."""

import pytest
from django.utils import timezone

from demo.build import DEMO_PASSWORD, demo_build
from journeys.editing import add_stage, place_touchpoint
from journeys.models import Journey, JourneyKind
from surveys.asking.public_answers import open_public_link
from surveys.counting.aggregation import rollups_rebuild_all
from surveys.models import Complaint, Question, QuestionAnswer, QuestionOption, Response
from tests.browser.conftest import log_in
from tests.factories import InteractionFactory, ResponseFactory
from touchpoints.models import Department, ImprovementAction, ImprovementStatus, Staff, Touchpoint

pytestmark = pytest.mark.django_db(transaction=True)

PAYLOAD = '"><img src=x id=xss onerror="window.pwned=1"><script>window.pwned=1</script>'


@pytest.fixture
def poisoned():
    demo_build(customers=200, interactions=2000, days=90)
    department = Department.objects.get(name="Customer Service")
    department.name = f"Service {PAYLOAD}"
    department.save()
    hotline = Touchpoint.objects.get(name="Service hotline")
    hotline.name, hotline.description = f"Hotline {PAYLOAD}", PAYLOAD
    hotline.save()
    Staff.objects.filter(department=department).update(name=f"Agent {PAYLOAD}")
    journey = Journey.objects.get(kind=JourneyKind.CUSTOMER)
    Journey.objects.filter(pk=journey.pk).update(
        name=f"Journey {PAYLOAD}", description=PAYLOAD, persona=PAYLOAD
    )
    stage = journey.stages.first()
    stage.name, stage.customer_goal = f"Stage {PAYLOAD}", PAYLOAD
    stage.save()
    extra = Touchpoint.objects.create(name=f"New {PAYLOAD}", channel="web", department=department)
    place_touchpoint(add_stage(journey, f"Another {PAYLOAD}"), extra.pk)
    for _ in range(3):
        ResponseFactory(
            invitation__interaction=InteractionFactory(touchpoint=hotline, wait_seconds=900),
            comment=f"Comment {PAYLOAD}",
        )
    Complaint.objects.filter(touchpoint=hotline).update(text=f"Complaint {PAYLOAD}")
    ImprovementAction.objects.create(
        touchpoint=hotline, title=f"Fix {PAYLOAD}", description=PAYLOAD,
        status=ImprovementStatus.DONE, changed_on=timezone.localdate(),
    )  # fmt: skip
    survey = hotline.survey
    survey.asks_own_questions = True
    survey.save()
    asked = Question.objects.create(
        survey=survey, version=survey.version, key="q1", position=1, kind="single",
        wording={"en": f"Which {PAYLOAD}"}, show_if="", required=False,
    )  # fmt: skip
    option = QuestionOption.objects.create(question=asked, key="o1", position=1,
                                           wording={"en": f"Option {PAYLOAD}"})  # fmt: skip
    QuestionOption.objects.create(question=asked, key="o2", position=2, wording={"en": "Other"})
    for response in Response.objects.filter(touchpoint=hotline)[:3]:
        QuestionAnswer.objects.create(response=response, question=asked, option=option)
    open_public_link(hotline)
    rollups_rebuild_all()
    return journey, department


def test_no_page_or_chart_runs_user_text(page, poisoned):
    journey, department = poisoned
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, "cx", DEMO_PASSWORD)
    paths = [
        "/journeys/",
        f"/journeys/{journey.pk}/",
        f"/journeys/{journey.pk}/?backstage=1",
        f"/dashboards/journeys/{journey.pk}/?backstage=on",
        f"/dashboards/journeys/{journey.pk}/paths/",
        f"/dashboards/journeys/{journey.pk}/report/",
        f"/departments/{department.pk}/",
        "/dashboards/priorities/",
        "/dashboards/trends/",
        "/dashboards/standards/",
        "/dashboards/improvements/",
        "/touchpoints/",
        "/complaints/?status=all",
        "/surveys/",
        f"/surveys/{Touchpoint.objects.get(name__startswith='Hotline').survey_id}/",
        f"/surveys/{Touchpoint.objects.get(name__startswith='Hotline').survey_id}/preview",
        f"/surveys/{Touchpoint.objects.get(name__startswith='Hotline').survey_id}/preview/page",
        f"/touchpoints/{Touchpoint.objects.get(name__startswith='Hotline').pk}/public/",
        f"/t/{Touchpoint.objects.get(name__startswith='Hotline').public_token}",
        "/action-lists/at_risk/",
        "/customers/?q=customer00001@mail.example",
    ]
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        for chart in page.locator(".js-plotly-plot").all():
            chart.hover()  # hover labels are drawn from user text too
        assert page.locator("#xss").count() == 0, path
        assert page.evaluate("window.pwned") is None, path
    page.goto(f"/journeys/{journey.pk}/")
    assert PAYLOAD in page.locator("h1").inner_text()  # shown, as text
    page.locator(".tp-card h3 a").first.click()
    page.locator("#panel .panel-body").wait_for()
    assert page.locator("#xss").count() == 0
    assert dialogs == [] and page.watched.violations == []
