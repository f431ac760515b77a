"""Filters of the touchpoints page."""

import django_filters
from django.apps import apps
from django.db.models import Q

from touchpoints.models import Audience, Channel, Department, Touchpoint


class TouchpointFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    channel = django_filters.ChoiceFilter(choices=Channel.choices, empty_label="Any channel")
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), empty_label="Any department"
    )
    audience = django_filters.ChoiceFilter(
        choices=Audience.choices, empty_label="Either side", label="Side"
    )
    journey = django_filters.ModelChoiceFilter(
        field_name="steps__stage__journey",
        # By name: this app imports no other (the journeys app builds on this one).
        queryset=apps.get_model("journeys", "Journey").objects.order_by("name"),
        label="On journey",
        empty_label="Any journey",
        distinct=True,
    )
    standards = django_filters.ChoiceFilter(
        choices=[("yes", "Set"), ("no", "None set")],
        method="with_standards",
        label="Service standards",
        empty_label="Any",
    )

    class Meta:
        model = Touchpoint
        fields = ["q", "channel", "department", "audience", "journey", "standards"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(description__icontains=value)
            | Q(department__name__icontains=value)
        )

    def with_standards(self, queryset, name, value):
        has_any = (
            Q(target_wait_seconds__isnull=False)
            | Q(target_response_seconds__isnull=False)
            | Q(target_resolution_seconds__isnull=False)
            | Q(target_first_contact_resolution__isnull=False)
        )
        return queryset.filter(has_any) if value == "yes" else queryset.exclude(has_any)
