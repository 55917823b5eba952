"""The landing page, at the root and outside the `profiles` namespace (its name is `home`)."""

from django.urls import path

from profiles.views.home import home

urlpatterns = [path("", home, name="home")]
