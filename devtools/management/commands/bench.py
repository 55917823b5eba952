"""`python manage.py bench`: time the operations that have a budget in DESIGN.md, print JSON.

Run it on PostgreSQL with the large demo data (`seed_demo --users 1000000`).
Each operation runs a few warm-up rounds, then `--runs` measured rounds on
inputs drawn from the data; p50/p95/max are in milliseconds. A baseline (a
primary-key fetch) is timed in the same process so a ratio survives a noisy machine.
Operations that write (the merges) prepare fresh rows untimed in each round and
roll the round back, leaving the database as they found it.
"""

from __future__ import annotations

import base64
import json
import random
import secrets
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlencode

import phonenumbers
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from django.utils.html import escape

from devtools.demo_phones import PHONE_PLANS
from intake.models import Provider, WebhookChannel
from intake.services.contacts import record_contact
from intake.webhooks.twilio import signature as twilio_signature
from intake.webhooks.whatsapp import signature as whatsapp_signature
from organizations.models import Membership, OrganizationDomain
from profiles.duplicates.services import check_profile
from profiles.identities import PHONE_KINDS, normalize
from profiles.merges.services import merge
from profiles.models import CandidateStatus, Contact, DuplicateCandidate, EndUser, Identity
from profiles.selectors import identity_keys_matching
from zdusers.db import estimated_row_count

BENCH_USERNAME = "bench"


class Command(BaseCommand):
    help = "Measure the budgeted operations on the current database and print JSON."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=50, help="measured rounds per operation (default 50)")
        parser.add_argument("--seed", type=int, default=7, help="random seed for picking inputs")
        parser.add_argument("--only", default="", help="comma-separated operation names to run")

    def handle(self, *args, runs: int, seed: int, only: str, **options):
        if runs < 1:
            raise CommandError("--runs must be at least 1.")
        rng = random.Random(seed)
        samples = _samples(rng, size=max(runs, 10))
        if not samples["emails"]:
            raise CommandError("There are no end users with identities to measure; run `manage.py seed_demo` first.")
        client = _staff_client()
        operations = _operations(client, samples)
        wanted = {name.strip() for name in only.split(",") if name.strip()}
        unknown = wanted - set(operations) - set(THROUGHPUT_OPERATIONS)
        if unknown:
            known = ", ".join([*operations, *THROUGHPUT_OPERATIONS])
            raise CommandError(f"Unknown operation(s): {', '.join(sorted(unknown))}. Known: {known}.")
        results = {}
        for name, operation in operations.items():
            if wanted and name not in wanted and name != "baseline_pk_fetch":
                continue
            results[name] = _measure(operation, runs=runs, rng=rng)
        for name, measure_throughput in THROUGHPUT_OPERATIONS.items():
            if not wanted or name in wanted:
                results[name] = measure_throughput(runs=runs, rng=rng)
        baseline = results["baseline_pk_fetch"]["p50_ms"] or 1e-6
        for result in results.values():
            result["ratio_to_baseline_p50"] = round(result["p50_ms"] / baseline, 1)
        report = {
            "database": connection.vendor,
            "end_users": estimated_row_count(EndUser),
            "identities": estimated_row_count(Identity),
            "runs": runs,
            "operations": results,
        }
        self.stdout.write(json.dumps(report, indent=2))


def _samples(rng: random.Random, size: int) -> dict[str, list]:
    """Inputs drawn evenly from the id range, so results do not depend on what is cached."""
    bounds = Identity.objects.order_by("pk").values_list("pk", flat=True)
    first, last = bounds.first(), Identity.objects.order_by("-pk").values_list("pk", flat=True).first()
    if first is None:
        return {"emails": [], "phones": [], "names": [], "user_ids": [], "org_ids": []}
    picked: dict[str, list] = {"emails": [], "phones": [], "names": [], "user_ids": [], "org_ids": []}
    attempts = 0
    while (len(picked["emails"]) < size or len(picked["phones"]) < size) and attempts < size * 40:
        attempts += 1
        identity = (
            Identity.objects.filter(pk__gte=rng.randint(first, last), kind__in=["email", "phone"])
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if identity is None:
            continue
        if identity.kind == "email" and len(picked["emails"]) < size:
            picked["emails"].append(identity.value.upper())
        elif identity.kind == "phone" and len(picked["phones"]) < size:
            number = phonenumbers.parse(identity.normalized)
            picked["phones"].append(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL))
            picked.setdefault("regions", []).append(phonenumbers.region_code_for_number(number))
            picked.setdefault("phone_owners", []).append(identity.user.name)
        picked["user_ids"].append(identity.user_id)
        picked["org_ids"].extend(identity.user.memberships.values_list("organization_id", flat=True)[:1])
        surname = identity.user.name.split()[-1]
        if len(surname) >= 4:
            picked["names"].append(surname[:5].lower())
    return picked


def _open_candidate_ids(size: int = 200) -> list[int]:
    """Open duplicate candidates spread over the queue (by id), for the compare page."""
    ids = list(DuplicateCandidate.objects.filter(status=CandidateStatus.OPEN).values_list("pk", flat=True)[:100_000])
    return sorted(ids)[:: max(1, len(ids) // size)]


def _staff_client() -> Client:
    user, _ = User.objects.get_or_create(username=BENCH_USERNAME, defaults={"is_staff": True, "is_superuser": True})
    host = next((h for h in settings.ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")), "127.0.0.1")
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    return client


def _operations(client: Client, samples: dict[str, list]) -> dict[str, Operation]:
    def page(url: str, params: Callable[[random.Random], dict] | None = None) -> Callable[[random.Random], int]:
        def run(rng: random.Random) -> int:
            response = client.get(url, params(rng) if params else {}, secure=True)
            # 302: a search naming exactly one profile jumps straight to it.
            if response.status_code not in (200, 302):
                raise CommandError(f"GET {url} answered {response.status_code}.")
            return response.status_code

        return run

    def page_of(url_for: Callable[[random.Random], str]) -> Callable[[random.Random], int]:
        """A page whose URL is drawn from the data (a profile, an organization)."""

        def run(rng: random.Random) -> int:
            return page(url_for(rng))(rng)

        return run

    def lookup_email(rng: random.Random) -> int:
        keys = identity_keys_matching(rng.choice(samples["emails"]))
        return len(list(Identity.objects.filter(keys).values_list("user_id", flat=True)))

    def lookup_phone(rng: random.Random) -> int:
        index = rng.randrange(len(samples["phones"]))
        with override_settings(ZDUSERS_DEFAULT_PHONE_REGION=samples["regions"][index]):
            keys = identity_keys_matching(samples["phones"][index])
        return len(list(Identity.objects.filter(keys).values_list("user_id", flat=True)))

    admin_list = page("/admin/profiles/enduser/")

    def admin_search_phone(rng: random.Random) -> int:
        index = rng.randrange(len(samples["phones"]))
        with override_settings(ZDUSERS_DEFAULT_PHONE_REGION=samples["regions"][index]):
            response = client.get("/admin/profiles/enduser/", {"q": samples["phones"][index]}, secure=True)
        if response.status_code != 200 or escape(samples["phone_owners"][index]) not in response.content.decode():
            raise CommandError(f"The admin did not find the owner of {samples['phones'][index]}.")
        return response.status_code

    def baseline(rng: random.Random) -> int:
        return len(list(EndUser.objects.filter(pk=rng.choice(samples["user_ids"])).values_list("pk", flat=True)))

    operations = {
        "baseline_pk_fetch": baseline,
        "exact_lookup_email": lookup_email,
        "exact_lookup_phone_national_format": lookup_phone,
        "directory_page_first": page("/users/"),
        "directory_page_deep": page("/users/", lambda rng: {"page": rng.randint(200, 2000)}),
        # Half way down a million profiles (offset about 500,000), where a plain OFFSET reads every row before.
        "directory_page_deepest": page("/users/", lambda rng: {"page": rng.randint(19_000, 21_000)}),
        "directory_search_name": page("/users/", lambda rng: {"q": rng.choice(samples["names"])}),
        "directory_search_email": page("/users/", lambda rng: {"q": rng.choice(samples["emails"])}),
        "directory_by_organization": page("/users/", lambda rng: {"org": str(rng.choice(samples["org_ids"]))}),
        "directory_by_tag_sorted_by_creation": page("/users/", lambda rng: {"tag": "vip", "sort": "-created_at"}),
        "profile_page": page_of(lambda rng: f"/users/{rng.choice(samples['user_ids'])}/"),
        "organization_list": page("/organizations/"),
        "organization_members": page_of(lambda rng: f"/organizations/{rng.choice(samples['org_ids'])}/"),
        "organization_report": page_of(lambda rng: f"/organizations/{rng.choice(samples['org_ids'])}/report/"),
        "admin_enduser_list": admin_list,
        "admin_enduser_list_deep": page("/admin/profiles/enduser/", lambda rng: {"p": rng.randint(9_000, 11_000)}),
        "admin_enduser_by_organization": page(
            "/admin/profiles/enduser/", lambda rng: {"organization": str(rng.choice(samples["org_ids"]))}
        ),
        "admin_enduser_search_phone_national_format": admin_search_phone,
        "admin_enduser_search_email": page(
            "/admin/profiles/enduser/", lambda rng: {"q": rng.choice(samples["emails"])}
        ),
        "admin_enduser_search_name": page("/admin/profiles/enduser/", lambda rng: {"q": rng.choice(samples["names"])}),
        "admin_enduser_change_page": page_of(
            lambda rng: f"/admin/profiles/enduser/{rng.choice(samples['user_ids'])}/change/"
        ),
        "merge_page": page(
            "/merge/", lambda rng: {"users": ",".join(map(str, _distinct(rng, samples["user_ids"], 3)))}
        ),
        "merge_two_profiles": _merging(2, samples["org_ids"]),
        "merge_ten_profiles": _merging(10, samples["org_ids"]),
        "duplicate_check_incremental": Staged(
            setup=lambda rng: rng.choice(samples["user_ids"]), run=lambda user_id: check_profile(user_id=user_id)
        ),
        "duplicates_queue_page": page("/duplicates/"),
        "duplicates_queue_deep": page("/duplicates/", lambda rng: {"page": rng.randint(2, 40)}),
        "duplicates_queue_by_reason": page("/duplicates/", lambda rng: {"reason": rng.choice(["name", "phone"])}),
        "duplicate_compare_page": page_of(lambda rng: f"/duplicates/{rng.choice(candidate_ids)}/"),
    }
    candidate_ids = _open_candidate_ids()
    if not candidate_ids:
        operations.pop("duplicate_compare_page")
    if not samples["org_ids"]:  # a database without memberships: nothing to measure per organization
        for name in (
            "directory_by_organization",
            "admin_enduser_by_organization",
            "organization_members",
            "organization_report",
        ):
            operations.pop(name)
    return operations


@dataclass(frozen=True)
class Staged:
    """An operation that writes: `setup(rng)` prepares its input (not timed), `run(input)` is timed, and
    each round, setup included, happens in a transaction that is rolled back, leaving the database as it was
    (except for sequences, which PostgreSQL never rolls back)."""

    setup: Callable[[random.Random], Any]
    run: Callable[[Any], object]


Operation = Callable[[random.Random], int] | Staged


@contextmanager
def _round(operation: Operation, rng: random.Random) -> Iterator[Callable[[], object]]:
    """One round of `operation`, ready to be timed."""
    if not isinstance(operation, Staged):
        yield lambda: operation(rng)
        return
    with transaction.atomic():
        prepared = operation.setup(rng)
        try:
            yield lambda: operation.run(prepared)
        finally:
            transaction.set_rollback(True)


COUNTED_ROUNDS = 5


def _measure(operation: Operation, *, runs: int, rng: random.Random) -> dict:
    for _ in range(3):
        with _round(operation, rng) as run:
            run()
    timings, queries = [], []
    # Timed without a query capture (its debug cursor costs time, as the anchor's bench.py notes), then a few
    # rounds counted apart. A capture closes before its round's rollback: the rollback is neither counted nor timed.
    for _ in range(runs):
        with _round(operation, rng) as run:
            started = time.perf_counter()
            run()
            timings.append((time.perf_counter() - started) * 1000)
    for _ in range(min(runs, COUNTED_ROUNDS)):
        with _round(operation, rng) as run, CaptureQueriesContext(connection) as captured:
            run()
        queries.append(len(captured.captured_queries))
    timings.sort()
    return {
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.95))], 2),
        "max_ms": round(timings[-1], 2),
        "max_queries": max(queries),
    }


def _distinct(rng: random.Random, values: list, count: int) -> list:
    """Up to `count` different values drawn from `values`, in ascending order."""
    unique = sorted(set(values))
    return sorted(rng.sample(unique, min(count, len(unique))))


# --- Merge operations: fresh duplicates written in each round's (rolled back) transaction, merged by the service -


MERGE_CONTACTS_PER_PROFILE = 1000


def _merging(profiles: int, org_ids: list[int]) -> Staged:
    """`merge()` of `profiles` fresh profiles with MERGE_CONTACTS_PER_PROFILE contacts each into the first,
    the name chosen from the last (a field choice, as the confirmation page sends)."""

    def run(prepared: tuple[list[EndUser], User]) -> int:
        (survivor, *others), actor = prepared
        record = merge(survivor=survivor, others=others, field_choices={"name": others[-1].pk}, actor=actor)
        return len(record.merged_ids)

    return Staged(setup=lambda rng: (_duplicates(rng, profiles, org_ids), _bench_user()), run=run)


def _bench_user() -> User:
    return User.objects.get(username=BENCH_USERNAME)


def _duplicates(rng: random.Random, count: int, org_ids: list[int]) -> list[EndUser]:
    """`count` new profiles of one customer, as duplicates look: each with a primary email and chat handle, a
    default organization (drawn from the data, so some may share one), a tag, a note, and
    MERGE_CONTACTS_PER_PROFILE contacts through its email."""
    tag = secrets.token_hex(4)
    users = [
        EndUser.objects.create(name=f"Bench Merge {tag} {n}", tags=[f"bench-{n}"], notes=f"Bench note {n}.")
        for n in range(count)
    ]
    emails = Identity.objects.bulk_create(
        Identity(user=user, kind=kind, value=value, normalized=normalize(kind, value), is_primary=True)
        for n, user in enumerate(users)
        for kind, value in (("email", f"bench.merge.{tag}.{n}@example.com"), ("sdk", f"bench-merge-{tag}-{n}"))
    )[::2]
    if org_ids:
        Membership.objects.bulk_create(
            Membership(user=user, organization_id=rng.choice(org_ids), is_default=True) for user in users
        )
    now = timezone.now()
    Contact.objects.bulk_create(
        (
            Contact(
                requester=user,
                via_identity=email,
                channel="email",
                subject=f"Bench contact {k}",
                created_at=now - timedelta(minutes=n * MERGE_CONTACTS_PER_PROFILE + k),
            )
            for n, (user, email) in enumerate(zip(users, emails, strict=True))
            for k in range(MERGE_CONTACTS_PER_PROFILE)
        ),
        batch_size=1000,
    )
    return users


# --- Throughput operations: their own measuring function each, cleaning up what they write ---------------------


def _measure_intake(*, runs: int, rng: random.Random) -> dict:
    """Inbound contacts per second through `record_contact()`, half from known identities, half from new ones.

    `runs` x 20 contacts, each committed on its own as a connector's delivery would be (so the figure includes
    a COMMIT per contact); a warm-up of 20 more counts queries. Every contact, profile, identity and
    membership it created is deleted at the end, also when it fails.
    """
    count = INTAKE_CONTACTS_PER_RUN * max(1, runs)
    tag = secrets.token_hex(4)
    deliveries = _intake_deliveries(rng, count + INTAKE_WARM_UP, tag)
    contact_ids: list[int] = []
    user_ids: list[int] = []

    def deliver(position: int) -> None:
        channel, contact_point = deliveries[position]
        result = record_contact(
            channel=channel,
            contact_point=contact_point,
            source_ref=f"bench-{tag}-{position}",
            subject="Bench contact",
            summary="Olá, meu pedido ainda não chegou. Podem verificar?",
        )
        contact_ids.append(result.contact_id)
        if result.created_user:
            user_ids.append(result.user_id)

    try:
        rate = _deliveries_per_second(deliver, len(deliveries))
    finally:
        _delete_intake_rows(contact_ids, user_ids)
    return {"contacts": count, "known_share": 0.5, "contacts_per_second": rate.pop("per_second"), **rate}


@dataclass(frozen=True)
class _WebhookBench:
    """How the bench speaks one provider's webhook: the channel kind of its known senders and one signed request."""

    provider: str
    sender_channel: str  # known senders are identities of this contact channel
    post: Callable[[Client, str, WebhookChannel, str, str], Any]  # (client, url, channel, sender, ref) -> response
    recorded: Callable[[Any], bool]


def _post_whatsapp(client: Client, url: str, channel: WebhookChannel, sender: str, ref: str):
    body = json.dumps(_whatsapp_notification(sender.lstrip("+"), ref)).encode()
    signature = whatsapp_signature(body, channel.secret)
    return client.post(url, body, content_type="application/json", secure=True, HTTP_X_HUB_SIGNATURE_256=signature)


def _post_twilio(client: Client, url: str, channel: WebhookChannel, sender: str, ref: str):
    params = {
        "MessageSid": ref, "AccountSid": "AC" + "0" * 32, "From": "+" + sender.lstrip("+"), "To": "+5511955550100",
        "Body": "Olá, meu pedido ainda não chegou. Podem verificar?", "NumMedia": "0", "SmsStatus": "received",
    }  # fmt: skip
    signed = twilio_signature(
        f"https://{client.defaults['HTTP_HOST']}{url}", QueryDict(urlencode(params)), channel.secret
    )
    return client.post(url, params, secure=True, HTTP_X_TWILIO_SIGNATURE=signed)


def _post_email(client: Client, url: str, channel: WebhookChannel, sender: str, ref: str):
    raw = (
        f"From: Cliente Bench <{sender}>\r\nTo: suporte@example.com\r\nSubject: Pedido atrasado\r\n"
        f"Message-ID: <{ref}@bench.example>\r\nDate: {format_datetime(timezone.now())}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nOlá, meu pedido ainda não chegou. Podem verificar?\r\n"
    ).encode()
    credentials = base64.b64encode(f"inbound:{channel.secret}".encode()).decode()
    return client.post(url, raw, content_type="message/rfc822", secure=True, HTTP_AUTHORIZATION=f"Basic {credentials}")


def _json_recorded(response) -> bool:
    return response.status_code == 200 and response.json().get("recorded") == 1


_WEBHOOKS = {
    Provider.WHATSAPP: _WebhookBench(Provider.WHATSAPP, "whatsapp", _post_whatsapp, _json_recorded),
    Provider.TWILIO: _WebhookBench(Provider.TWILIO, "voice", _post_twilio, lambda r: r.status_code == 200),
    Provider.EMAIL: _WebhookBench(Provider.EMAIL, "email", _post_email, _json_recorded),
}


def _measure_webhook(provider: str) -> Callable[..., dict]:
    """Messages per second through `/webhooks/<provider>/<slug>/`, one signed request per message as the provider
    sends a chat's messages: the authentication, the payload, `record_contact`, the log line, the answer.

    Half from known customers (their WhatsApp numbers, phone numbers for Twilio's SMS, emails for email;
    `known_share` says how many there were), half from new senders. A channel made for the run, its log, its
    contacts and the profiles they created are deleted at the end, also when it fails.
    """
    bench = _WEBHOOKS[provider]

    def measure(*, runs: int, rng: random.Random) -> dict:
        count = INTAKE_CONTACTS_PER_RUN * max(1, runs)
        tag = secrets.token_hex(4)
        # Known senders are identities of the channel's own kind (a phone would gain a WhatsApp one, left behind).
        known = [point for channel, point in _known_contact_points(rng, count * 3) if channel == bench.sender_channel]
        if bench.sender_channel == "email":
            fresh = [f"bench.{tag}.{n}@example.org" for n in range(count)]
        else:
            fresh = _free_numbers(rng, count)
        total = count + INTAKE_WARM_UP
        senders = [rng.choice(known) if known and n % 2 else fresh[n % len(fresh)] for n in range(total)]
        channel = WebhookChannel.objects.create(
            provider=provider,
            name=f"bench {tag}",
            slug=f"bench-{tag}",
            verify_token=secrets.token_hex(8),
            secret=secrets.token_hex(16),
        )
        host = next((h for h in settings.ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")), "127.0.0.1")
        client, url = Client(HTTP_HOST=host), channel.callback_path

        def deliver(position: int) -> None:
            response = bench.post(client, url, channel, senders[position], f"bench-{tag}-{position}")
            if not bench.recorded(response):
                raise CommandError(f"The webhook did not record message {position}: {response.content[:200]!r}")

        try:
            rate = _deliveries_per_second(deliver, total)
        finally:
            contacts = Contact.objects.filter(source_ref__contains=f"bench-{tag}-")
            kinds = ["email"] if bench.sender_channel == "email" else list(PHONE_KINDS)
            created = EndUser.objects.filter(
                identities__kind__in=kinds, identities__normalized__in=[_normalized(point) for point in fresh]
            ).distinct()
            channel.delete()  # and its inbound log, which points at the contacts
            _delete_intake_rows(list(contacts.values_list("pk", flat=True)), list(created.values_list("pk", flat=True)))
        measured = senders[INTAKE_WARM_UP:]
        known_share = round(sum(sender in known for sender in measured) / len(measured), 2)
        return {"messages": count, "known_share": known_share, "messages_per_second": rate.pop("per_second"), **rate}

    return measure


def _normalized(point: str) -> str:
    return point.lower() if "@" in point else "+" + point.lstrip("+")


def _whatsapp_notification(sender: str, message_id: str) -> dict:
    """A one-message notification laid out as Meta's messages webhook sends it (docs/whatsapp.md)."""
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "5511955550100", "phone_number_id": "884512007654321"},
        "contacts": [{"profile": {"name": "Cliente Bench"}, "wa_id": sender}],
        "messages": [
            {
                "from": sender,
                "id": message_id,
                "timestamp": str(int(time.time())),
                "type": "text",
                "text": {"body": "Olá, meu pedido ainda não chegou. Podem verificar?"},
            }
        ],
    }
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "301455870012345", "changes": [{"value": value, "field": "messages"}]}],
    }


def _deliveries_per_second(deliver: Callable[[int], None], total: int) -> dict:
    """Call `deliver(position)` for positions 0..total-1: the first INTAKE_WARM_UP count queries, the rest are
    timed one by one. Returns the rate (`per_second`), the duration and the latencies of the timed ones."""
    timings, queries = [], []
    for position in range(INTAKE_WARM_UP):
        with CaptureQueriesContext(connection) as captured:
            deliver(position)
        queries.append(len(captured.captured_queries))
    started = time.perf_counter()
    for position in range(INTAKE_WARM_UP, total):
        tick = time.perf_counter()
        deliver(position)
        timings.append((time.perf_counter() - tick) * 1000)
    seconds = time.perf_counter() - started
    timings.sort()
    return {
        "seconds": round(seconds, 3),
        "per_second": round((total - INTAKE_WARM_UP) / seconds, 1),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.95))], 2),
        "max_ms": round(timings[-1], 2),
        "max_queries": max(queries),
    }


INTAKE_CONTACTS_PER_RUN = 20
INTAKE_WARM_UP = 20
THROUGHPUT_OPERATIONS: dict[str, Callable[..., dict]] = {
    "intake_contacts_per_second": _measure_intake,
    "whatsapp_webhook_messages_per_second": _measure_webhook(Provider.WHATSAPP),
    "twilio_webhook_messages_per_second": _measure_webhook(Provider.TWILIO),
    "email_webhook_messages_per_second": _measure_webhook(Provider.EMAIL),
}
# Channels a known identity's contacts come through.
_CHANNEL_OF_KIND = {
    "email": "email", "phone": "voice", "whatsapp": "whatsapp", "messenger": "messenger", "instagram": "instagram",
    "x": "x", "telegram": "telegram", "line": "line", "sdk": "web_chat",
}  # fmt: skip


def _intake_deliveries(rng: random.Random, count: int, tag: str) -> list[tuple[str, str]]:
    """(channel, contact point) pairs in random order: every other one a known identity, the rest new ones."""
    known = _known_contact_points(rng, count - count // 2)
    if not known:
        raise CommandError("There are no identities to send contacts from; run `manage.py seed_demo` first.")
    domains = list(
        OrganizationDomain.objects.filter(auto_assign=True).order_by("pk").values_list("domain", flat=True)[:100]
    )
    fresh = _free_numbers(rng, count // 2)
    new = []
    for n in range(count // 2):
        pick = rng.random()
        if pick < 0.4:
            domain = rng.choice(domains) if domains and rng.random() < 0.3 else "example.org"
            new.append(("email", f"bench.{tag}.{n}@{domain}"))
        elif pick < 0.8:
            new.append((rng.choice(("whatsapp", "sms", "voice")), fresh[n]))
        else:
            new.append(("web_chat", f"bench-{tag}-{n}"))
    deliveries = [rng.choice(known) for _ in range(count - count // 2)] + new
    rng.shuffle(deliveries)
    return deliveries


def _known_contact_points(rng: random.Random, size: int) -> list[tuple[str, str]]:
    first = Identity.objects.order_by("pk").values_list("pk", flat=True).first()
    last = Identity.objects.order_by("-pk").values_list("pk", flat=True).first()
    if first is None:
        return []
    ids = [rng.randint(first, last) for _ in range(size * 2)]
    rows = Identity.objects.filter(pk__in=ids, kind__in=list(_CHANNEL_OF_KIND)).values_list(
        "kind", "value", "normalized"
    )
    points = []
    for kind, value, normalized in rows:
        # As connectors send them: numbers in E.164 or bare digits, emails and handles as stored.
        written = rng.choice((normalized, normalized[1:])) if kind in PHONE_KINDS else value
        points.append((_CHANNEL_OF_KIND[kind], written))
    return points


def _free_numbers(rng: random.Random, size: int) -> list[str]:
    """Valid mobile numbers that no identity has, as phone or WhatsApp."""
    plan = PHONE_PLANS["BR"]
    candidates = list({plan.number(4_000_000_000 + rng.randrange(10**9))[0] for _ in range(size * 2 + 10)})
    taken = set(
        Identity.objects.filter(kind__in=list(PHONE_KINDS), normalized__in=candidates).values_list(
            "normalized", flat=True
        )
    )
    return [number for number in candidates if number not in taken][:size]


def _delete_intake_rows(contact_ids: list[int], user_ids: list[int]) -> None:
    """Delete the bench's contacts, then its profiles (their identities, memberships and the duplicate checks
    intake queued for them go with them)."""
    with transaction.atomic():
        for start in range(0, len(contact_ids), 1000):
            Contact.objects.filter(pk__in=contact_ids[start : start + 1000]).delete()
        for start in range(0, len(user_ids), 1000):
            EndUser.objects.filter(pk__in=user_ids[start : start + 1000]).delete()
