"""Django admin for webhook channels (the secret is typed once and never shown again) and their inbound log."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from intake.models import MIN_SECRET_CHARS, SECRET_LABELS, InboundDelivery, Provider, WebhookChannel


class WebhookChannelForm(forms.ModelForm):
    """The secret is write-only: a password box that never echoes it; left empty on a change, it is kept.

    The verify token is WhatsApp's handshake and is asked of WhatsApp channels only.
    """

    new_secret = forms.CharField(
        label="Secret",
        required=False,
        strip=True,
        min_length=MIN_SECRET_CHARS,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="WhatsApp: Meta app → App settings → Basic → App secret. Twilio: Console → Account → Auth "
        "token. Email: a password you choose and put in the forwarder's URL. Stored, never displayed again; "
        "leave empty to keep the current one.",
    )

    class Meta:
        model = WebhookChannel
        fields = ["provider", "name", "slug", "verify_token"]
        widgets = {"verify_token": forms.TextInput(attrs={"autocomplete": "off", "size": 60})}

    def clean_verify_token(self) -> str:
        return self.cleaned_data["verify_token"].strip()

    def clean(self):
        cleaned = super().clean()
        provider = cleaned.get("provider", self.instance.provider)
        token = cleaned.get("verify_token", "")
        if provider == Provider.WHATSAPP and "verify_token" not in self.errors and len(token) < MIN_SECRET_CHARS:
            self.add_error(
                "verify_token",
                f"A WhatsApp channel needs a verify token of at least {MIN_SECRET_CHARS} characters; "
                "a short token is guessable.",
            )
        if not self.instance.pk and not cleaned.get("new_secret") and "new_secret" not in self.errors:
            label = SECRET_LABELS.get(provider, "secret").lower()
            self.add_error("new_secret", f"A new channel needs its {label}, to check the provider's requests.")
        return cleaned

    def save(self, commit=True):
        if self.cleaned_data.get("new_secret"):
            self.instance.secret = self.cleaned_data["new_secret"]
        return super().save(commit=commit)


@admin.register(WebhookChannel)
class WebhookChannelAdmin(admin.ModelAdmin):
    form = WebhookChannelForm
    list_display = ["name", "provider", "slug", "callback_url", "secret_shown", "created_at"]
    list_filter = ["provider"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["callback_url", "secret_shown", "created_at"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["provider", "name", "slug", "verify_token", "new_secret"]
        return ["provider", "name", "slug", "callback_url", "verify_token", "secret_shown", "new_secret", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        # The provider decides the URL and the checks; a channel of another provider is a new channel.
        return [*self.readonly_fields, "provider"] if obj else self.readonly_fields

    @admin.display(description="secret")
    def secret_shown(self, obj: WebhookChannel) -> str:
        return f"{obj.secret_label}: {obj.secret_hint}"

    @admin.display(description="callback URL")
    def callback_url(self, obj: WebhookChannel) -> str:
        return obj.callback_path


@admin.register(InboundDelivery)
class InboundDeliveryAdmin(admin.ModelAdmin):
    """The inbound log, read-only: it is written by the webhooks alone."""

    list_display = ["received_at", "channel", "outcome", "source_ref", "sender", "detail"]
    list_filter = ["outcome", "channel"]
    search_fields = ["source_ref", "sender"]
    list_select_related = ["channel"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
