"""Generate the labeled evaluation set: `generate(seed)` -> records, `dumps(records)` -> JSONL text.

Deterministic: one `random.Random(seed)`, no network, no set iteration in the
output path; the same seed gives the same bytes (the committed
`profiles.jsonl` is checked against it by the tests). The mix:

- duplicate groups (`DUPLICATE_GROUPS`): one customer with 2 profiles (most) or
  3 or 4 (`multi_channel`), each profile linked to an earlier one by one piece of
  evidence (see `scenarios.LINKS`), with a name variation of its own;
- name-only pairs (`NAME_ONLY_GROUPS`, see `name_links`): an email profile and a
  phone or WhatsApp profile of one person sharing nothing but the name;
- multi-system groups (`MULTI_SYSTEM_GROUPS`): 2 or 3 records of one person
  imported from different systems, each with its own external id, linked by a
  mailbox name at another domain, the line, or the name alone;
- hard negatives (`HARD_NEGATIVE_SETS`): sets of different customers who look
  alike, among them crowds of 20-40 people with one common name; about a third
  of the sets have one person with a true duplicate too;
- singletons: the rest of the customer base.

Profiles are shuffled before ids are given, so neither ids nor file order say
anything about the groups.
"""

from __future__ import annotations

import json
import random
from typing import Any

from django.test.utils import override_settings

from devtools.matching_eval import DEFAULT_SEED, PHONE_REGION, crowd, name_links
from devtools.matching_eval.build import Builder, Draft
from devtools.matching_eval.scenarios import LINKS, Group, Scenarios

SINGLETONS = 1500
DUPLICATE_GROUPS = 380
GROUP_SIZES = [(2, 86), (3, 11), (4, 3)]
# Duplicates whose profiles share no contact point: in real customer bases, as many as the linked ones.
NAME_ONLY_GROUPS = 180
MULTI_SYSTEM_GROUPS = 80
MULTI_SYSTEM_SIZES = [(2, 65), (3, 35)]
HARD_NEGATIVE_SETS = {
    "hn_family_phone": 40,
    "hn_same_name_other_company": 32,
    "hn_common_name": 28,
    "hn_colleagues_same_domain": 28,
    "hn_similar_first_name": 35,
    "hn_name_crowd": 5,
}
LOOKALIKE_DUPLICATE_RATE = 0.3  # share of look-alike sets where one person also has a second profile


def generate(seed: int = DEFAULT_SEED) -> list[dict[str, Any]]:
    """The evaluation set of `seed`: one dict per profile, in id order."""
    # Every number written in national format is Brazilian; reading it needs the region.
    with override_settings(ZDUSERS_DEFAULT_PHONE_REGION=PHONE_REGION):
        rng = random.Random(seed)
        s = Scenarios(Builder(rng))
        groups: list[Group] = []
        # Exact shares rather than independent draws: the mix is part of the design, not of the luck of a seed.
        sizes = quota(DUPLICATE_GROUPS, [(str(size), weight) for size, weight in GROUP_SIZES])
        links = quota(DUPLICATE_GROUPS, LINKS)
        rng.shuffle(sizes)
        rng.shuffle(links)
        for size, link in zip(sizes, links, strict=True):
            groups.append(s.duplicate_group(int(size), link))
        for _ in range(NAME_ONLY_GROUPS):
            groups.append(name_links.name_only_group(s))
        system_sizes = quota(MULTI_SYSTEM_GROUPS, [(str(size), weight) for size, weight in MULTI_SYSTEM_SIZES])
        rng.shuffle(system_sizes)
        for size in system_sizes:
            groups.append(name_links.multi_system_group(s, int(size)))
        for scenario, count in HARD_NEGATIVE_SETS.items():
            for _ in range(count):
                lookalikes = crowd.HARD_NEGATIVE_BUILDERS[scenario](s)
                if rng.random() < LOOKALIKE_DUPLICATE_RATE:
                    crowd.add_duplicate(s, rng.choice(lookalikes))
                groups += lookalikes
        for _ in range(SINGLETONS):
            groups.append(Group("singleton", [crowd.singleton(s)]))
    return _records(rng, groups)


def quota(total: int, weights: list[tuple[str, int]]) -> list[str]:
    """`total` items split by `weights` (largest remainder), e.g. 10 by [(a, 2), (b, 1)] -> 7 a, 3 b."""
    whole = sum(weight for _, weight in weights)
    shares = [(item, total * weight / whole) for item, weight in weights]
    counts = {item: int(share) for item, share in shares}
    by_remainder = sorted(shares, key=lambda pair: (-(pair[1] - int(pair[1])), pair[0]))
    for item, _ in by_remainder[: total - sum(counts.values())]:
        counts[item] += 1
    return [item for item, _ in weights for _ in range(counts[item])]


def _records(rng: random.Random, groups: list[Group]) -> list[dict[str, Any]]:
    placed = [(group, draft) for group in groups for draft in group.drafts]
    rng.shuffle(placed)
    group_labels: dict[int, str] = {}
    lookalike_labels: dict[int, str] = {}
    records = []
    for number, (group, draft) in enumerate(placed, start=1):
        group_label = group_labels.setdefault(id(group), f"g{len(group_labels) + 1}")
        lookalike = None
        if group.lookalike is not None:
            lookalike = lookalike_labels.setdefault(group.lookalike, f"h{len(lookalike_labels) + 1}")
        records.append(_record(number, group_label, group, draft, lookalike))
    return records


def _record(number: int, group_label: str, group: Group, draft: Draft, lookalike: str | None) -> dict[str, Any]:
    return {
        "id": number,
        "group": group_label,
        "scenario": group.scenario,
        "name": draft.name,
        "emails": [{"value": value, "verified": verified} for value, verified in draft.emails],
        "phones": draft.phones,
        "whatsapp": draft.whatsapp,
        "handles": {network: draft.handles[network] for network in sorted(draft.handles)},
        "organizations": draft.organizations,
        "external_id": draft.external_id,
        "lookalike": lookalike,
        "variations": draft.variations if len(group.drafts) > 1 else [],
    }


def dumps(records: list[dict[str, Any]]) -> str:
    """One JSON object per line, keys in a fixed order, non-ASCII kept readable."""
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
