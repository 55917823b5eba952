"""A labeled set of synthetic profiles for measuring duplicate detection.

`generate.py` writes `profiles.jsonl` (`manage.py make_matching_eval`), `dataset.py`
reads it back as `ProfileFacts` plus the true duplicate pairs, `metrics.py` scores
a matcher's pairs against them (`manage.py evaluate_matching`).
"""

from __future__ import annotations

from pathlib import Path

DATA_FILE = Path(__file__).with_name("profiles.jsonl")
DEFAULT_SEED = 2025
# National-format numbers in the set are Brazilian; loading and generating read them in this region.
PHONE_REGION = "BR"
