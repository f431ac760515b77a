from django.urls import path

from . import views

app_name = "journeys"

urlpatterns = [
    path("", views.journey_list, name="list"),
    path("<int:pk>/", views.journey_board, name="board"),
]
