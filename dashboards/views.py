"""Marketer pages: thin views over the selectors in dashboards/selectors.py."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def site_list(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboards/site_list.html", {"sites": []})
