"""The import history and the problems of one import, paginated without COUNT(*)."""

from __future__ import annotations

import django_tables2 as tables
from django_tables2.utils import A

from imports.models import ImportIssue, ImportJob

NUMBER = {"td": {"class": "org-num"}, "th": {"class": "org-num"}}


class ImportJobTable(tables.Table):
    id = tables.Column("Import", linkify=("imports:detail", [A("pk")]), orderable=False)
    file_name = tables.Column("File", linkify=("imports:detail", [A("pk")]), orderable=False)
    kind = tables.Column("Of", orderable=False)
    created_by = tables.Column("By", orderable=False, default="command line")
    created_at = tables.DateTimeColumn(verbose_name="When", format="Y-m-d H:i")
    status = tables.TemplateColumn(template_name="imports/cells/status.html", orderable=False)
    created = tables.Column("Created", orderable=False, attrs=NUMBER)
    updated = tables.Column("Updated", orderable=False, attrs=NUMBER)
    unchanged = tables.Column("Unchanged", orderable=False, attrs=NUMBER)
    conflicts = tables.Column("Conflicts", orderable=False, attrs=NUMBER)
    invalid = tables.Column("Invalid", orderable=False, attrs=NUMBER)
    warned = tables.Column("Warnings", orderable=False, attrs=NUMBER)

    class Meta:
        model = ImportJob
        fields = ["id", "file_name", "kind", "created_by", "created_at", "status"]
        sequence = [*fields, "created", "updated", "unchanged", "conflicts", "invalid", "warned"]
        attrs = {"class": "table"}
        template_name = "includes/table.html"
        order_by = "-created_at"
        empty_text = "No imports yet."

    def render_id(self, value: int) -> str:
        return f"#{value}"

    def order_created_at(self, queryset, is_descending):
        return queryset.order_by(*(["-created_at", "-id"] if is_descending else ["created_at", "id"])), True


class ImportIssueTable(tables.Table):
    line = tables.Column("Line", attrs=NUMBER)
    column = tables.Column("Column", default="(whole row)")
    kind = tables.Column("Problem")
    message = tables.TemplateColumn(template_name="imports/cells/message.html", verbose_name="Reason")

    class Meta:
        model = ImportIssue
        fields = ["line", "column", "kind", "message"]
        attrs = {"class": "table"}
        template_name = "includes/table.html"
        orderable = False
        empty_text = "No problems: every row can be imported."
