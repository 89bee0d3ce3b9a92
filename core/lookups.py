"""Query lookups that keep bad input from reaching the database as an error."""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    """``__in`` on an integer column, ignoring values no such column can hold.

    Django 5 already treats an out-of-range value in ``exact``, ``gt`` … as matching
    nothing (``IntegerFieldOverflow``) but not in ``in``. Posted ids reach ``in``
    unchecked in the admin's actions (``_selected_action``), its autocomplete widgets
    and ``ModelMultipleChoiceField``, so ``99999999999999999999`` crashed SQLite
    (OverflowError) and ``abc`` raised ValueError. Neither can match a row, so both
    are dropped; a list left empty matches nothing.
    """

    def get_prep_lookup(self):
        if self.rhs_is_direct_value() and self.prepare_rhs:
            field = self.lhs.output_field
            kept = []
            for value in self.rhs:
                if hasattr(value, "resolve_expression"):
                    kept.append(value)
                    continue
                try:
                    kept.append(field.get_prep_value(value))
                except (TypeError, ValueError):
                    continue
            self.rhs = kept
        return super().get_prep_lookup()

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
            if not self.rhs:
                raise EmptyResultSet
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
