"""Read an evaluation set from its file, whichever of the two forms it is in.

`.jsonl` is the labeled set's own form (`dataset.parse`), `.csv` the flat form that outside
tools read too (`flat.parse_flat`).
"""

from __future__ import annotations

from pathlib import Path

from devtools.matching_eval import DATA_FILE
from devtools.matching_eval.dataset import Dataset, DatasetError, parse
from devtools.matching_eval.flat import parse_flat


def load(path: Path | str = DATA_FILE) -> Dataset:
    """The evaluation set in `path` (default: the committed `profiles.jsonl`); a `.csv` file is the flat form."""
    path = Path(path)
    if not path.is_file():
        raise DatasetError(f"No such data file: {path}")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DatasetError(f"Cannot read {path}: {error}") from None
    reader = parse_flat if path.suffix.lower() == ".csv" else parse
    return reader(text.splitlines(), source=str(path))
