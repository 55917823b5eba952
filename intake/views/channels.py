"""/channels/: the desk's webhook channels, their last 24 hours, and the inbound log (admins)."""

from __future__ import annotations

from django.contrib.auth.mixins import PermissionRequiredMixin
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from intake.filters import InboundLogFilter
from intake.selectors import channel_summaries, inbound_log
from intake.tables import InboundLogTable
from zdusers.pagination import BoundedLazyPaginator

FILTER_PARAMS = ("channel", "outcome", "q")


class ChannelsView(PermissionRequiredMixin, SingleTableMixin, FilterView):
    """Each channel's callback URL and recent outcomes, then its deliveries, so a desk can debug its connector."""

    permission_required = "intake.view_inbounddelivery"
    raise_exception = True
    table_class = InboundLogTable
    filterset_class = InboundLogFilter
    template_name = "intake/channels.html"
    paginator_class = BoundedLazyPaginator
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        return inbound_log()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summaries = channel_summaries()
        for summary in summaries:
            summary.callback_url = self.request.build_absolute_uri(summary.channel.callback_path)
        context["summaries"] = summaries
        context["filters_active"] = any(self.request.GET.get(param) for param in FILTER_PARAMS)
        return context
