"""Output shapes of the API (documented in the OpenAPI schema); the numbers come from dashboards.selectors."""

from rest_framework import serializers


class SiteSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    timezone = serializers.CharField()
    app_ids = serializers.ListField(child=serializers.CharField())
    role = serializers.CharField()


class TotalsSerializer(serializers.Serializer):
    visitors = serializers.IntegerField()
    sessions = serializers.IntegerField()
    page_views = serializers.IntegerField()
    views_per_session = serializers.FloatField()
    bounce_rate = serializers.FloatField(allow_null=True)
    engaged_seconds = serializers.FloatField(allow_null=True)


class AggregateSerializer(serializers.Serializer):
    site = serializers.SlugField()
    start = serializers.DateField()
    end = serializers.DateField()
    filters = serializers.ListField(child=serializers.CharField())
    results = TotalsSerializer()
    comparison = TotalsSerializer(allow_null=True)


class PointSerializer(serializers.Serializer):
    bucket = serializers.DateTimeField(format="%Y-%m-%dT%H:%M:%S")
    visitors = serializers.IntegerField()
    sessions = serializers.IntegerField()
    page_views = serializers.IntegerField()


class TimeseriesSerializer(serializers.Serializer):
    site = serializers.SlugField()
    interval = serializers.CharField()
    results = PointSerializer(many=True)
    comparison = PointSerializer(many=True, allow_null=True)


class RowSerializer(serializers.Serializer):
    value = serializers.CharField(allow_null=True)
    visitors = serializers.IntegerField()
    page_views = serializers.IntegerField()
    sessions = serializers.IntegerField(allow_null=True)
    engaged_seconds = serializers.FloatField(allow_null=True)
    bounce_rate = serializers.FloatField(allow_null=True)


class EcommerceTotalsSerializer(serializers.Serializer):
    revenue = serializers.FloatField()
    transactions = serializers.IntegerField()
    average_order_value = serializers.FloatField(allow_null=True)
    items = serializers.IntegerField()


class ProductSerializer(serializers.Serializer):
    sku = serializers.CharField(source="value")
    name = serializers.CharField(allow_null=True)
    category = serializers.CharField(allow_null=True)
    quantity = serializers.IntegerField()
    revenue = serializers.FloatField()
    orders = serializers.IntegerField()


class EcommerceSerializer(serializers.Serializer):
    site = serializers.SlugField()
    start = serializers.DateField()
    end = serializers.DateField()
    filters = serializers.ListField(child=serializers.CharField())
    results = EcommerceTotalsSerializer()
    comparison = EcommerceTotalsSerializer(allow_null=True)
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    products = ProductSerializer(many=True)
