"""Django admin for WhatsApp channels: the app secret is typed once and never shown again."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.urls import reverse

from intake.models import MIN_SECRET_CHARS, WhatsAppChannel


class WhatsAppChannelForm(forms.ModelForm):
    """The app secret is write-only: a password box that never echoes it; left empty on a change, it is kept."""

    new_app_secret = forms.CharField(
        label="App secret",
        required=False,
        strip=True,
        min_length=MIN_SECRET_CHARS,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Meta app → App settings → Basic → App secret. Stored, never displayed again; "
        "leave empty to keep the current one.",
    )

    class Meta:
        model = WhatsAppChannel
        fields = ["name", "slug", "verify_token"]
        widgets = {"verify_token": forms.TextInput(attrs={"autocomplete": "off", "size": 60})}

    def clean_verify_token(self) -> str:
        token = self.cleaned_data["verify_token"].strip()
        if len(token) < MIN_SECRET_CHARS:
            raise forms.ValidationError(f"Use at least {MIN_SECRET_CHARS} characters; a short token is guessable.")
        return token

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and not cleaned.get("new_app_secret") and "new_app_secret" not in self.errors:
            self.add_error("new_app_secret", "A new channel needs the app secret, to check Meta's signatures.")
        return cleaned

    def save(self, commit=True):
        if self.cleaned_data.get("new_app_secret"):
            self.instance.app_secret = self.cleaned_data["new_app_secret"]
        return super().save(commit=commit)


@admin.register(WhatsAppChannel)
class WhatsAppChannelAdmin(admin.ModelAdmin):
    form = WhatsAppChannelForm
    list_display = ["name", "slug", "callback_url", "app_secret_shown", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["callback_url", "app_secret_shown", "created_at"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "slug", "verify_token", "new_app_secret"]
        return ["name", "slug", "callback_url", "verify_token", "app_secret_shown", "new_app_secret", "created_at"]

    @admin.display(description="app secret")
    def app_secret_shown(self, obj: WhatsAppChannel) -> str:
        return obj.secret_hint

    @admin.display(description="callback URL")
    def callback_url(self, obj: WhatsAppChannel) -> str:
        return reverse("webhooks:whatsapp", kwargs={"slug": obj.slug})
