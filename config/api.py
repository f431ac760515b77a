"""The REST API's routes, version 1."""

from rest_framework.routers import DefaultRouter

from surveys.api import InteractionViewSet

router = DefaultRouter()
router.register("interactions", InteractionViewSet, basename="interaction")
