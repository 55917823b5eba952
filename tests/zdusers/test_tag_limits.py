"""At most 50 tags on a profile or an organization, from any form, service or file: refused with a reason."""

from __future__ import annotations

import pytest
from django.urls import reverse

from organizations.models import Organization
from organizations.services.organizations import create_organization
from profiles.models import EndUser
from tests.factories import EndUserFactory
from zdusers.tags import MAX_TAGS, TooManyTags, checked_tags

MANY = " ".join(f"tag{n}" for n in range(5_000))
MESSAGE = "At most 50 tags, and this gives 5,000: tags are labels to filter by; write the rest in the notes."


def test_fifty_tags_pass_and_fifty_one_are_refused_with_the_count():
    assert len(checked_tags([f"t{n}" for n in range(MAX_TAGS)])) == MAX_TAGS
    with pytest.raises(TooManyTags, match="this gives 51"):
        checked_tags([f"t{n}" for n in range(MAX_TAGS + 1)])
    # Repeats and case count once: what is counted is what would be stored.
    assert checked_tags(["VIP"] * 500 + ["vip"]) == ["vip"]


@pytest.mark.django_db
def test_the_profile_form_shows_the_refusal_on_the_field_and_saves_nothing(agent_client):
    ana = EndUserFactory(name="Ana Souza", tags=["vip"])

    answer = agent_client.post(reverse("profiles:edit", args=[ana.pk]), {"name": "Ana Souza", "tags": MANY})

    assert answer.status_code == 200 and MESSAGE in answer.content.decode()
    assert EndUser.objects.get(pk=ana.pk).tags == ["vip"]


@pytest.mark.django_db
def test_an_organization_with_too_many_tags_is_not_created():
    with pytest.raises(TooManyTags):
        create_organization(name="Acme", tags=MANY)

    assert not Organization.objects.exists()
