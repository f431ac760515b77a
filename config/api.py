"""The REST API's routes, version 1."""

from rest_framework.routers import DefaultRouter

from surveys.api import (
    ComplaintViewSet,
    InteractionViewSet,
    StandardAlertViewSet,
    StandardsViewSet,
)

router = DefaultRouter()
router.register("interactions", InteractionViewSet, basename="interaction")
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("standards", StandardsViewSet, basename="standards")
router.register("standard-alerts", StandardAlertViewSet, basename="standard-alert")
