from django.urls import path

from touchpoints import identity_views, staff_views, token_views, views

app_name = "touchpoints"

urlpatterns = [
    path("", views.touchpoint_list, name="list"),
    path("new/", views.touchpoint_create, name="create"),
    path("<int:pk>/edit/", views.touchpoint_edit, name="edit"),
    path("staff/", staff_views.staff_list, name="staff"),
    path("staff/<int:pk>/invite", staff_views.staff_invite, name="staff_invite"),
    path("api-tokens/", token_views.token_list, name="api_tokens"),
    path("identity-changes/", identity_views.identity_changes, name="identity_changes"),
    path(
        "identity-changes/<int:pk>/",
        identity_views.identity_change_decide,
        name="identity_change_decide",
    ),
    path("api-tokens/<int:pk>/revoke/", token_views.token_revoke, name="api_token_revoke"),
]
