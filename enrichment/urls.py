from django.urls import path, re_path

from enrichment import micro_views

urlpatterns = [
    path("all", micro_views.micro_all),
    path("good", micro_views.micro_good),
    path("bad", micro_views.micro_bad),
    path("reset", micro_views.micro_reset),
    path("iglu/<str:vendor>/<str:name>/jsonschema/<str:version>", micro_views.micro_iglu),
    re_path(r"^(?P<rest>.*)$", micro_views.micro_unknown),
]
