"""Product pages live under reserved prefixes; collector paths are served by collector.asgi before Django."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(url="/dashboards/", permanent=False)),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),  # password reset and change
    path("dashboards/", include("dashboards.urls")),
    path("api/v1/", include("dashboards.api.urls")),
    path("micro/", include("enrichment.urls")),
    path("api/", include("iglu.urls")),
    path("", include("operations.urls")),
]
