"""Django admin for API tokens: create one (its secret is shown once), see when each was used, revoke."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.html import format_html

from zdusers.models import ApiToken
from zdusers.services.api_tokens import issue_api_token, revoke_api_tokens


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix_shown", "name", "created_by", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "=prefix"]
    search_help_text = "Name, or a token's first characters (zdu_…)."
    list_select_related = ["created_by"]
    fields = ["name", "prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    @admin.display(description="token", ordering="prefix")
    def prefix_shown(self, obj: ApiToken) -> str:
        return f"{obj.prefix}…"

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # revoke instead: a revoked token keeps its history
        return actions

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name"])
            return
        raw = issue_api_token(token=obj, created_by=request.user)
        messages.warning(
            request,
            format_html(
                "The token for “{}” is <code>{}</code>. Copy it now: it is not stored and will not be shown again.",
                obj.name,
                raw,
            ),
        )

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        revoked = revoke_api_tokens(tokens=queryset)
        self.message_user(request, f"Revoked {revoked} token(s); requests with them now get HTTP 403.")
