"""factory_boy factories: the smallest valid rows, with the normalized keys filled in correctly."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone

from organizations.models import Membership, Organization, OrganizationDomain
from profiles.identities import normalize
from profiles.models import Contact, EndUser, Identity
from zdusers.models import ApiToken
from zdusers.roles import ADMINS, AGENTS
from zdusers.services.api_tokens import PREFIX_LENGTH, hash_token


class StaffUserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """`role="Agents"` puts the user in that group (created by the roles migration)."""
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


def _with_role(group_name: str):
    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=extracted or group_name))

    return role


class AgentFactory(StaffUserFactory):
    role = _with_role(AGENTS)


class AdminFactory(StaffUserFactory):
    role = _with_role(ADMINS)


class EndUserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EndUser

    name = factory.Sequence(lambda n: f"Customer {n}")


class IdentityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Identity

    user = factory.SubFactory(EndUserFactory)
    kind = Identity.Kind.EMAIL
    value = factory.Sequence(lambda n: f"customer{n}@example.com")
    normalized = factory.LazyAttribute(lambda identity: normalize(identity.kind, identity.value))


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Company {n}")


class OrganizationDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizationDomain

    organization = factory.SubFactory(OrganizationFactory)
    domain = factory.Sequence(lambda n: f"company{n}.example")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(EndUserFactory)
    organization = factory.SubFactory(OrganizationFactory)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    requester = factory.SubFactory(EndUserFactory)
    channel = Contact.Channel.EMAIL
    subject = factory.Sequence(lambda n: f"Question {n}")
    created_at = factory.LazyFunction(timezone.now)


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """An API token whose secret the test chooses (`raw=`); stored as issued: hashed, with its prefix."""

    class Meta:
        model = ApiToken
        exclude = ("raw",)

    raw = factory.Sequence(lambda n: f"zdu_test-token-{n:06d}-0123456789abcdefghijklmnopq")
    name = factory.Sequence(lambda n: f"Connector {n}")
    prefix = factory.LazyAttribute(lambda token: token.raw[:PREFIX_LENGTH])
    hashed_key = factory.LazyAttribute(lambda token: hash_token(token.raw))
