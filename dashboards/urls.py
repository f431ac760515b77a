from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("departments/<int:pk>/", views.department_detail, name="department"),
    path("dashboards/journeys/<int:pk>/", views.journey_dashboard, name="journey"),
    path("dashboards/journeys/<int:pk>/paths/", views.journey_paths, name="journey_paths"),
    path("dashboards/journeys/<int:pk>/report/", views.journey_report, name="journey_report"),
    path("dashboards/priorities/", views.priority_list, name="priorities"),
    path("dashboards/improvements/", views.improvement_list, name="improvements"),
    path("dashboards/trends/", views.trends, name="trends"),
    path("dashboards/standards/", views.standards, name="standards"),
]
