"""The REST API's routes, version 1."""

from rest_framework.routers import DefaultRouter

from dashboards.api import ScoresViewSet
from journeys.api import JourneyViewSet, StageViewSet, StepViewSet
from surveys.asking.api import (
    InteractionViewSet,
    InvitationViewSet,
    ResponseViewSet,
    SurveyViewSet,
)
from surveys.complaints.api import ComplaintViewSet
from surveys.counting.api import QuestionResultsViewSet, StandardsViewSet
from surveys.follow_ups.api import FollowUpViewSet, LoopFiguresViewSet
from surveys.outreach.api import OutreachViewSet
from surveys.telling.api import StandardAlertViewSet
from touchpoints.api import (
    CustomerViewSet,
    DepartmentViewSet,
    ImprovementActionViewSet,
    StaffViewSet,
    TouchpointViewSet,
)

router = DefaultRouter()
router.register("journeys", JourneyViewSet, basename="journey")
router.register("stages", StageViewSet, basename="stage")
router.register("steps", StepViewSet, basename="step")
router.register("departments", DepartmentViewSet, basename="department")
router.register("staff", StaffViewSet, basename="staff")
router.register("customers", CustomerViewSet, basename="customer")
router.register("touchpoints", TouchpointViewSet, basename="touchpoint")
router.register("improvements", ImprovementActionViewSet, basename="improvement")
router.register("interactions", InteractionViewSet, basename="interaction")
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("surveys", SurveyViewSet, basename="survey")
router.register("invitations", InvitationViewSet, basename="invitation")
router.register("responses", ResponseViewSet, basename="response")
router.register("follow-ups", FollowUpViewSet, basename="follow-up")
router.register("scores", ScoresViewSet, basename="scores")
router.register("follow-up-figures", LoopFiguresViewSet, basename="follow-up-figures")
router.register("action-lists", OutreachViewSet, basename="action-lists")
router.register("standards", StandardsViewSet, basename="standards")
router.register("question-results", QuestionResultsViewSet, basename="question-results")
router.register("standard-alerts", StandardAlertViewSet, basename="standard-alert")
