"""Pages and files with customers' data are never kept by a browser or proxy cache."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/users/", "/users/export.csv", "/duplicates/", "/admin/"])
def test_what_signed_in_staff_see_is_not_stored(admin_user, url):
    admin_user.is_superuser = True
    admin_user.save()
    client = Client()
    client.force_login(admin_user)

    response = client.get(url)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "camera=()" in response["Permissions-Policy"]
