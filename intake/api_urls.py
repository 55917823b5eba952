"""The JSON API for integrations, under /api/ (token-authenticated; see docs/api.md)."""

from django.urls import path

from intake import api

app_name = "api"

urlpatterns = [
    path("inbound/", api.inbound, name="inbound"),
]
