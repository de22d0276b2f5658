"""API endpoints: sites, aggregate, time series and breakdowns; thin over dashboards.selectors."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import authentication, pagination, permissions
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from dashboards import ecommerce, selectors
from dashboards.access import SiteAccess, get_site_access, list_sites_with_roles
from dashboards.api import serializers
from dashboards.api.authentication import ApiTokenAuthentication
from dashboards.errors import QueryError
from dashboards.filters import check_dimension
from dashboards.query import DashboardQuery, parse_query

QUERY_PARAMETERS = [
    OpenApiParameter("period", str, description="today, yesterday, 7d, 30d (default), 90d, month, last_month, "
                                                 "year, 12mo or custom"),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Custom range start (site time zone), inclusive"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Custom range end (site time zone), inclusive"),
    OpenApiParameter("compare", str, enum=["previous", "year"], description="Comparison period"),
    OpenApiParameter("f", str, many=True, description="Filter dimension:op:value (op: is, is_not, contains), "
                                                      "or prop:NAME:op:value; repeatable, combined with AND"),
]


class BreakdownPagination(pagination.LimitOffsetPagination):
    default_limit = 100
    max_limit = 1000


class SiteAPIView(APIView):
    """Base: authentication, the site from the URL (404 without a role) and the parsed query (400 if bad)."""

    authentication_classes = [ApiTokenAuthentication, authentication.SessionAuthentication]
    permission_classes = [permissions.IsAuthenticated]

    def handle_exception(self, exc: Exception) -> Response:
        # A question the query layer cannot answer (e.g. a filter the data models do not take) is a 400.
        if isinstance(exc, QueryError):
            exc = ValidationError({exc.param: [exc.message]})
        return super().handle_exception(exc)

    def get_access(self, slug: str) -> SiteAccess:
        try:
            return get_site_access(self.request.user, slug)
        except Http404:
            raise NotFound("No such site.") from None

    def get_query(self, slug: str) -> DashboardQuery:
        access = self.get_access(slug)
        try:
            return parse_query(access.site, self.request.query_params)
        except QueryError as error:
            raise ValidationError({error.param: [error.message]}) from None


class SiteListView(SiteAPIView):
    @extend_schema(responses=serializers.SiteSerializer(many=True), summary="Sites you have a role on")
    def get(self, request: Request) -> Response:
        data = [{"slug": s.slug, "name": s.name, "timezone": s.timezone, "app_ids": s.app_ids, "role": role}
                for s, role in list_sites_with_roles(request.user)]
        return Response(serializers.SiteSerializer(data, many=True).data)


class AggregateView(SiteAPIView):
    @extend_schema(parameters=QUERY_PARAMETERS, responses=serializers.AggregateSerializer,
                   summary="Totals over a date range (and its comparison period)")
    def get(self, request: Request, slug: str) -> Response:
        query = self.get_query(slug)
        totals = _totals(selectors.get_totals(query))
        comparison = _totals(selectors.get_totals(query, comparison=True)) if query.comparison else None
        data = {"site": slug, "start": query.period.start, "end": query.period.end,
                "filters": [f.expression for f in query.filters], "results": totals, "comparison": comparison}
        return Response(serializers.AggregateSerializer(data).data)


class TimeseriesView(SiteAPIView):
    @extend_schema(parameters=[*QUERY_PARAMETERS, OpenApiParameter("interval", str, enum=["hour", "day", "week",
                                                                                          "month"])],
                   responses=serializers.TimeseriesSerializer, summary="One point per bucket, zero-filled")
    def get(self, request: Request, slug: str) -> Response:
        query = self.get_query(slug)
        compared = selectors.list_timeseries(query, comparison=True) if query.comparison else None
        data = {"site": slug, "interval": query.interval, "results": selectors.list_timeseries(query),
                "comparison": compared}
        return Response(serializers.TimeseriesSerializer(data).data)


class BreakdownView(SiteAPIView):
    pagination_class = BreakdownPagination

    @extend_schema(parameters=[*QUERY_PARAMETERS, OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
                   responses=serializers.RowSerializer(many=True), summary="Top values of one dimension")
    def get(self, request: Request, slug: str, dimension: str) -> Response:
        query = self.get_query(slug)
        try:
            dimension = check_dimension(dimension)
        except QueryError as error:
            raise ValidationError({error.param: [error.message]}) from None
        paginator = self.pagination_class()
        limit, offset = paginator.get_limit(request), paginator.get_offset(request)
        try:
            rows = selectors.list_breakdown(query, dimension, limit=limit, offset=offset)
        except selectors.Unavailable as error:
            raise ValidationError({"dimension": [str(error)]}) from None
        return Response({
            "count": selectors.count_breakdown(query, dimension),
            "next": _page_link(request, limit, offset + limit) if len(rows) == limit else None,
            "previous": _page_link(request, limit, max(offset - limit, 0)) if offset else None,
            "results": serializers.RowSerializer(rows, many=True).data,
        })


class EcommerceView(SiteAPIView):
    pagination_class = BreakdownPagination

    @extend_schema(parameters=[*QUERY_PARAMETERS, OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
                   responses=serializers.EcommerceSerializer,
                   summary="Revenue, transactions, average order value and top products")
    def get(self, request: Request, slug: str) -> Response:
        query = self.get_query(slug)
        paginator = self.pagination_class()
        limit, offset = paginator.get_limit(request), paginator.get_offset(request)
        try:
            totals = ecommerce.get_ecommerce_totals(query)
            previous = ecommerce.get_ecommerce_totals(query, comparison=True) if query.comparison else None
            products = ecommerce.list_products(query, limit=limit, offset=offset)
        except QueryError as error:
            raise ValidationError({error.param: [error.message]}) from None
        data = {"site": slug, "start": query.period.start, "end": query.period.end,
                "filters": [f.expression for f in query.filters], "results": totals, "comparison": previous,
                "next": _page_link(request, limit, offset + limit) if len(products) == limit else None,
                "previous": _page_link(request, limit, max(offset - limit, 0)) if offset else None,
                "products": products}
        return Response(serializers.EcommerceSerializer(data).data)


def _page_link(request: Request, limit: int, offset: int) -> str:
    return replace_query_param(replace_query_param(request.build_absolute_uri(), "limit", limit), "offset", offset)


def _totals(totals: selectors.Totals) -> dict:
    return {"visitors": totals.visitors, "sessions": totals.sessions, "page_views": totals.page_views,
            "views_per_session": totals.views_per_session, "bounce_rate": totals.bounce_rate,
            "engaged_seconds": totals.engaged_seconds}
