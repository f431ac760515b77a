from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("departments/<int:pk>/", views.department_detail, name="department"),
]
