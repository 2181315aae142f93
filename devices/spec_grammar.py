"""What card-reader and printer registries share: a `[devices]` value is tried against each
kind's own grammar in order, and a value none accepts is refused naming every allowed form."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

S = TypeVar("S", covariant=True)


class SpecKind(Protocol[S]):
    """A device module that owns its spec grammar."""

    @property
    def FORMS(self) -> Sequence[str]:  # noqa: N802 - a module constant
        """The spec's forms as written in kiosk.toml, e.g. "pcsc:READER NAME"."""

    def parse(self, text: str) -> S | None:
        """The spec `text` is, when it is one of this module's forms."""


def allowed_forms(kinds: Sequence[SpecKind[object]]) -> str:
    """Every kind's forms in one phrase: "a, b or c"."""
    forms = [form for kind in kinds for form in kind.FORMS]
    return ", ".join(forms[:-1]) + " or " + forms[-1]


def first_parse(kinds: Sequence[SpecKind[S]], text: str, refuse: Callable[[str], Exception]) -> S:
    """The spec of the first kind that accepts `text`; else `refuse(allowed forms)` is raised."""
    for kind in kinds:
        spec = kind.parse(text)
        if spec is not None:
            return spec
    raise refuse(allowed_forms(kinds))
