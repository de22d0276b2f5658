from django.urls import path

from dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.site_list, name="site_list"),
    path("<slug:slug>/", views.site_overview, name="overview"),
]
