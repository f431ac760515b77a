from django.urls import path

from . import views

app_name = "touchpoints"

urlpatterns = [
    path("", views.touchpoint_list, name="list"),
    path("new/", views.touchpoint_create, name="create"),
    path("<int:pk>/edit/", views.touchpoint_edit, name="edit"),
]
