"""The three-way merge of a stale form: which fields someone else changed, beside yours.

An edit form carries the version it was opened at. When the save is refused because the
record has changed since, the page compares three versions: the base (the history's snapshot
at the form's version), theirs (the record as stored now) and yours (the form as loaded). A
field is a conflict when theirs differs from the base and yours differs from theirs; each one
is shown with a label and both values, ready for the conflict table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app import labels
from app.models.snapshots import diff, flatten
from app.web.messages import label

if TYPE_CHECKING:
    from app.web.edit_views import Choices

EMPTY = "(tomt)"
"""How the conflict table shows a field without a value."""


@dataclass
class FieldConflict:
    """A field someone else changed since the form was opened, with both values."""

    field: str
    label: str
    theirs: str
    yours: str


def _shown(field: str, value: Any, choices: Choices | None) -> str:
    """Return a value as the conflict table shows it."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return "Ja" if value else "Nei"
    if isinstance(value, list):
        return ", ".join(choices.name_of(field, str(v)) if choices else str(v) for v in value)
    if field == "status" and choices is None:
        return labels.ADOPTION_STATUS_LABELS.get(str(value), str(value))
    return choices.name_of(field, str(value)) if choices else str(value)


def field_conflicts(
    base: dict[str, Any] | None,
    theirs: dict[str, Any],
    yours: dict[str, Any],
    choices: Choices | None = None,
) -> list[FieldConflict]:
    """Return the fields someone else changed after ``base`` where your value differs.

    Without a recorded ``base`` every field where the two differ is listed.
    """
    changed = diff(base, theirs) if base is not None else diff(yours, theirs)
    theirs_flat, yours_flat = flatten(theirs), flatten(yours)
    return [
        FieldConflict(
            field=name,
            label=label(name),
            theirs=_shown(name, theirs_flat.get(name), choices),
            yours=_shown(name, yours_flat.get(name), choices),
        )
        for name in changed
        if name != "is_draft" and theirs_flat.get(name) != yours_flat.get(name)
    ]
