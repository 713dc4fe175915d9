"""What every importer asks before it writes a row: may this person import into that record?

The reviews, findings and actions importers each read their own columns, but the question of
rights is one question, asked of the access policy here in one way, so that a command line and
an admin upload refuse the same rows with the same words.

A refusal never tells someone whether a record they may not see exists. A row that names
another partnership's record as its parent (`review_reference`) is refused with the same
sentence whether that record exists, is hidden or is only read-only to them; and a row that would
create a record in a partnership the person does not belong to is refused before it is ever
asked whether its reference is taken. Only when someone may create the record (their own
partnership) and its reference already belongs to a record they may not change is that said:
references are unique across the Hub, so such a row could never be written whatever it said.
"""

from __future__ import annotations

from collections.abc import Iterable

from hub.importing import RowError

from .access import can_change, changeable_by, membership_of, sees_everything


class ImportRights:
    """The importing person's rights, asked of the access policy once per file.

    `user` None is an import run on the server by someone who holds the database already (a
    management command without a user): nothing is refused for rights, as nothing could be."""

    def __init__(self, user, *existing: Iterable):
        self.user = user
        self.unrestricted = user is None or sees_everything(user)
        self._changeable: set[tuple[type, object]] = set()
        if self.unrestricted:
            return
        by_model: dict[type, list] = {}
        for records in existing:
            for record in records:
                by_model.setdefault(type(record), []).append(record.pk)
        for model, pks in by_model.items():
            allowed = changeable_by(self.user, model._base_manager.filter(pk__in=pks))
            self._changeable |= {(model, pk) for pk in allowed.values_list("pk", flat=True)}

    def may_change(self, record) -> bool:
        """May the person change this saved record (one of those given when asked)?"""
        return self.unrestricted or (type(record), record.pk) in self._changeable

    def may_create(self, instance) -> bool:
        """May the person create `instance` (unsaved), that is, in the partnership it names?"""
        return self.unrestricted or can_change(self.user, instance)

    def own_partnership(self) -> str:
        membership = None if self.unrestricted else membership_of(self.user)
        return membership.partnership.short_name if membership else "no partnership"

    def refuse_parent(
        self, row: int, column: str, noun: str, reference: str, parent, allowed: bool
    ) -> RowError | None:
        """A row naming `parent` (None when no record has that reference) to import into;
        `allowed` is whether the person may write there. The same words for a missing, a
        hidden and a read-only parent, so that the answer reveals nothing."""
        if parent is not None and allowed:
            return None
        if parent is None and self.unrestricted:
            return RowError(row, column, f"no {noun} has the reference {reference}")
        return RowError(row, column, f"there is no {noun} {reference} that you may import into")

    def refuse_partnership(self, row: int, column: str, noun: str, new, partnership):
        """A row that would put `new` (unsaved) in `partnership`, which it names itself."""
        if self.may_create(new):
            return None
        return RowError(
            row,
            column,
            f"you can import only your own partnership's {noun}s ({self.own_partnership()}), "
            f"not {partnership}'s",
        )

    def refuse_record(self, row: int, column: str, noun: str, reference: str, record):
        """A row that would change the saved `record` with this reference. Ask only once the
        row has passed the partnership or parent check: see the module's docstring."""
        if record is None or self.may_change(record):
            return None
        article = "an" if noun[:1] in "aeiou" else "a"
        return RowError(row, column, f"{reference} is {article} {noun} you may not change")
