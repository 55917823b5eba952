"""The inbound log's filters: which channel, which outcome, a provider's message id or a sender."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from intake.models import DeliveryOutcome, InboundDelivery, WebhookChannel
from zdusers.choice_labels import translated_choices


class InboundLogFilter(django_filters.FilterSet):
    channel = django_filters.ModelChoiceFilter(
        label=_("Channel"), queryset=WebhookChannel.objects.order_by("name", "id"), empty_label=_("All channels")
    )
    outcome = django_filters.ChoiceFilter(
        label=_("Outcome"), choices=translated_choices(DeliveryOutcome), empty_label=_("Any outcome")
    )
    q = django_filters.CharFilter(
        label=_("Message id or sender"), method="filter_q", help_text=_("As the provider sent it, e.g. wamid.… or +55…")
    )

    class Meta:
        model = InboundDelivery
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(source_ref=value) | Q(sender=value)) if value else queryset
