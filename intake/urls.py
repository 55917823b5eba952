"""Intake by hand (a new profile with match-on-create, a call, a contact logged) and the channels page."""

from django.urls import path

from intake.views import channels, create, log_contact

app_name = "intake"

urlpatterns = [
    path("users/new/", create.create, name="create"),
    path("users/match/", create.match, name="match"),
    path("users/<int:pk>/log/", log_contact.log_contact, name="log_contact"),
    path("calls/new/", log_contact.log_call, name="log_call"),
    path("channels/", channels.ChannelsView.as_view(), name="channels"),
]
