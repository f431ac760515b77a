from django.urls import path

from journeys import views

app_name = "journeys"

urlpatterns = [
    path("", views.journey_list, name="list"),
    path("new/", views.journey_create, name="create"),
    path("new/<slug:slug>/", views.journey_from_starter, name="from_starter"),
    path("import/", views.journey_import, name="import"),
    path("<int:pk>/export/", views.journey_export, name="export"),
    path("<int:pk>/", views.journey_board, name="board"),
    path("<int:pk>/edit/", views.journey_edit, name="edit"),
    path("<int:pk>/delete/", views.journey_delete, name="delete"),
    path("<int:pk>/duplicate/", views.journey_duplicate, name="duplicate"),
    path("<int:pk>/stages/", views.stage_add, name="stage_add"),
    path("stages/<int:pk>/edit/", views.stage_edit, name="stage_edit"),
    path("stages/<int:pk>/move/", views.stage_move, name="stage_move"),
    path("stages/<int:pk>/delete/", views.stage_delete, name="stage_delete"),
    path("stages/<int:pk>/picker/", views.stage_picker, name="stage_picker"),
    path("stages/<int:pk>/place/", views.step_place, name="step_place"),
    path("stages/<int:pk>/new-touchpoint/", views.step_create, name="step_create"),
    path("steps/<int:pk>/", views.step_detail, name="step_detail"),
    path("steps/<int:pk>/move/", views.step_move, name="step_move"),
    path("steps/<int:pk>/remove/", views.step_remove, name="step_remove"),
]
