"""API routes, mounted at /api/v1/ (the Iglu Server API keeps /api/schemas, /api/meta, ...)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from dashboards.api import views

endpoints = [
    path("sites/", views.SiteListView.as_view(), name="api_sites"),
    path("sites/<slug:slug>/aggregate/", views.AggregateView.as_view(), name="api_aggregate"),
    path("sites/<slug:slug>/timeseries/", views.TimeseriesView.as_view(), name="api_timeseries"),
    path("sites/<slug:slug>/ecommerce/", views.EcommerceView.as_view(), name="api_ecommerce"),
    path("sites/<slug:slug>/breakdown/<str:dimension>/", views.BreakdownView.as_view(), name="api_breakdown"),
]

urlpatterns = [
    *endpoints,
    # The OpenAPI document is public: it describes the endpoints, not anyone's data.
    path("schema/", SpectacularAPIView.as_view(patterns=[path("api/v1/", include(endpoints))],
                                               authentication_classes=[], permission_classes=[]),
         name="api_schema"),
]
