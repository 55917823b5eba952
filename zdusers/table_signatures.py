"""django-tables2 reads a render function's signature for every cell it renders; read each one once.

`django_tables2.utils.call_with_appropriate` asks `inspect.signature` which arguments a `render_<column>`,
`linkify` or `value_<column>` function takes, for every cell of every row: about 200 signature reads for a
page of 25 directory rows. A function's signature does not change, so the answer is
kept per function (bound methods by their function: `self` is dropped either way), in a weak map that lets
functions made on the fly go.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

from django_tables2 import utils

_read_signature = utils.signature
_known: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def signature(fn: Callable) -> tuple[tuple[str, ...], str | None]:
    """`django_tables2.utils.signature(fn)`, read once per function."""
    function = getattr(fn, "__func__", fn)
    bound = function is not fn
    try:
        cached = _known.get(function)
    except TypeError:  # not weakly referenceable (a builtin): read it every time
        return _read_signature(fn)
    if cached is None:
        cached = _known[function] = {}
    if bound not in cached:
        cached[bound] = _read_signature(fn)
    return cached[bound]


def install() -> None:
    """Make django-tables2 use the remembering `signature` (called once, from the app's `ready`)."""
    utils.signature = signature
