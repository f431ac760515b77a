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
]
