"""The inbound log's filters: which channel, which outcome, a provider's message id or a sender."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from intake.models import DeliveryOutcome, InboundDelivery, WebhookChannel


class InboundLogFilter(django_filters.FilterSet):
    channel = django_filters.ModelChoiceFilter(
        queryset=WebhookChannel.objects.order_by("name", "id"), empty_label="All channels"
    )
    outcome = django_filters.ChoiceFilter(choices=DeliveryOutcome.choices, empty_label="Any outcome")
    q = django_filters.CharFilter(
        label="Message id or sender", method="filter_q", help_text="As the provider sent it, e.g. wamid.… or +55…"
    )

    class Meta:
        model = InboundDelivery
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(source_ref=value) | Q(sender=value)) if value else queryset
