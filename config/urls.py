from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path, reverse_lazy
from django.utils.functional import lazy
from django.views.generic import RedirectView
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)

from config.api import router
from dashboards.views import home
from lib.health import healthz

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for it on pages that name no icon (the admin's, the API docs').
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.svg"), permanent=True)),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The link of a staff invitation: set a password, then sign in.
    path(
        "account/set-password/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/set_password.html",
            success_url=reverse_lazy("password_set"),
        ),
        name="set_password",
    ),
    path(
        "account/password-set/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_set.html"
        ),
        name="password_set",
    ),
    path("journeys/", include("journeys.urls")),
    path("touchpoints/", include("touchpoints.urls")),
    path("", include("dashboards.urls")),
    path("", include("surveys.urls")),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view loads its script from a static file: no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    # Redoc drew its logo from its makers' CDN and its search in a blob worker, both
    # refused by the CSP: the one documentation page is Swagger UI's, served offline.
    path("api/redoc/", RedirectView.as_view(pattern_name="api-docs", permanent=True)),
    path("admin/", admin.site.urls),
]

handler400 = "lib.error_pages.bad_request"
handler403 = "lib.error_pages.permission_denied"
handler404 = "lib.error_pages.not_found"
handler500 = "lib.error_pages.server_error"
