from django.urls import path

from . import views

app_name = "journeys"

urlpatterns = [
    path("", views.journey_list, name="list"),
    path("new/", views.journey_create, name="create"),
    path("<int:pk>/", views.journey_board, name="board"),
    path("<int:pk>/edit/", views.journey_edit, name="edit"),
    path("<int:pk>/delete/", views.journey_delete, name="delete"),
    path("<int:pk>/duplicate/", views.journey_duplicate, name="duplicate"),
    path("<int:pk>/stages/", views.stage_add, name="stage_add"),
    path("stages/<int:pk>/move/", views.stage_move, name="stage_move"),
    path("stages/<int:pk>/delete/", views.stage_delete, name="stage_delete"),
    path("stages/<int:pk>/place/", views.step_place, name="step_place"),
    path("steps/<int:pk>/move/", views.step_move, name="step_move"),
    path("steps/<int:pk>/remove/", views.step_remove, name="step_remove"),
]
