"""The admin under the roles' rules: an editor sees and changes only their groups' work.

``ScopedModelAdmin`` adds the object-level rules of ``organisation.permissions`` to
the core admin base, so the back office obeys the same rules as every other page:
its lists, change and delete pages, history pages, autocomplete and list filters
(``ScopedRulesMixin``, also for a plain ModelAdmin of read-only records). Writes go
through each admin's services (``core.admin``), which also say what the public sees
changed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin import RelatedFieldListFilter
from django.contrib.admin.utils import (
    NotRelationField,
    get_fields_from_path,
    get_model_from_relation,
    unquote,
)
from django.core.exceptions import (
    FieldDoesNotExist,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db.models import Q

from core.admin import BaseModelAdmin
from organisation import permissions


def _follow(obj, part: str):
    # A row rebuilt from history (the history page of a deleted row) may point at
    # rows deleted since: treat them as missing rather than fail.
    try:
        return getattr(obj, part, None)
    except ObjectDoesNotExist:
        return None


def _group_id_of(obj, lookup: str):
    *path_parts, last = lookup.split("__")
    for part in path_parts:
        obj = _follow(obj, part)
        if obj is None:
            return None
    return obj.pk if last == "id" else getattr(obj, f"{last}_id", None)


def _plan_of(obj, lookup: str):
    for part in lookup.split("__"):
        obj = _follow(obj, part)
        if obj is None:
            return None
    return obj


class VisibleRelatedFieldListFilter(RelatedFieldListFilter):
    """A "by <related row>" list filter that names only rows the user may see.

    Django's filter offers every row of the related model, drafts of other groups
    included. Here, when the related model's admin is scoped, it offers the rows that
    admin lists to the user and the rows the user's own list points at.
    """

    def field_choices(self, field, request, model_admin):
        related_admin = model_admin.admin_site._registry.get(get_model_from_relation(field))
        if not isinstance(related_admin, ScopedRulesMixin) or related_admin.sees_all(request):
            return super().field_choices(field, request, model_admin)
        listed = related_admin.get_queryset(request).order_by().values("pk")
        pointed_at = model_admin.get_queryset(request).order_by().values(f"{self.field_path}__pk")
        return field.get_choices(
            include_blank=False,
            limit_choices_to=Q(pk__in=listed) | Q(pk__in=pointed_at),
            ordering=self.field_admin_ordering(field, request, model_admin),
        )


class ScopedRulesMixin:
    """The object-level rules for a ModelAdmin: which rows a user sees, changes, deletes.

    ``get_queryset`` is the list of rows the user may see; every other page (change,
    history, autocomplete, the list filters of other admins) asks the same rules.
    """

    # Paths from the model to the ProcessGroup whose editors may change a row
    # (any of them grants it). Empty: shared reference data, ruled by model
    # permissions only (units, legal bases, reforms, target groups…).
    group_lookups: tuple[str, ...] = ()
    # Path to the Plan's status, and the statuses whose rows all staff may read.
    public_status_lookup: str | None = None
    public_statuses: tuple[str, ...] = ()
    # Path to the responsible unit: a Tiltaksansvarlig reads their units' rows.
    unit_lookup: str | None = None
    # Path to the plan whose text lock (Plan.assert_editable) guards deleting a row.
    locked_by_plan: str | None = None

    def may_restore_deleted(self, request) -> bool:
        return permissions.is_plan_admin(request.user)

    # -- object-level rules -------------------------------------------------
    def _scoped(self) -> bool:
        return bool(self.group_lookups)

    def can_edit_object(self, request, obj) -> bool:
        if permissions.is_plan_admin(request.user) or not self._scoped():
            return True
        groups = permissions.editable_group_ids(request.user)
        return any(_group_id_of(obj, lookup) in groups for lookup in self.group_lookups)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        user = request.user
        if permissions.is_plan_admin(user) or not self._scoped():
            return queryset
        visible = Q(pk__in=[])
        groups = permissions.editable_group_ids(user)
        for lookup in self.group_lookups:
            visible |= Q(**{f"{lookup}__in": groups})
        if self.public_status_lookup:
            visible |= Q(**{f"{self.public_status_lookup}__in": self.public_statuses})
        if self.unit_lookup and permissions.is_measure_owner(user):
            visible |= Q(**{f"{self.unit_lookup}__in": permissions.unit_ids(user)})
        return queryset.filter(visible).distinct()

    def sees_all(self, request) -> bool:
        return permissions.is_plan_admin(request.user) or not self._scoped()

    def can_view_object(self, request, obj) -> bool:
        """What ``get_queryset`` lets the user see, asked of one row (also one rebuilt
        from history: the history pages of a deleted row)."""
        user = request.user
        if self.sees_all(request):
            return True
        groups = permissions.editable_group_ids(user)
        if any(_group_id_of(obj, lookup) in groups for lookup in self.group_lookups):
            return True
        if self.public_status_lookup and (
            _plan_of(obj, self.public_status_lookup) in self.public_statuses
        ):
            return True
        return bool(
            self.unit_lookup
            and permissions.is_measure_owner(user)
            and _group_id_of(obj, self.unit_lookup) in permissions.unit_ids(user)
        )

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or self.can_view_object(request, obj))

    def get_list_filter(self, request):
        return [self._visible_filter(entry) for entry in super().get_list_filter(request)]

    def _visible_filter(self, entry):
        if not isinstance(entry, str):
            return entry
        try:
            field = get_fields_from_path(self.model, entry)[-1]
        except (FieldDoesNotExist, NotRelationField):
            return entry
        return (entry, VisibleRelatedFieldListFilter) if field.is_relation else entry

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self.can_edit_object(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if not allowed or obj is None:
            return allowed
        if not self.can_edit_object(request, obj):
            return False
        if self.locked_by_plan:
            plan = _plan_of(obj, self.locked_by_plan)
            return plan is None or plan.is_editable
        return True


class ScopedModelAdmin(ScopedRulesMixin, BaseModelAdmin):
    """A heimplan ModelAdmin under the roles' rules."""

    def _locked_by(self, obj):
        """The plan whose locked text ``obj`` belongs to, or None when it may be edited."""
        if obj is None or not self.locked_by_plan:
            return None
        plan = _plan_of(obj, self.locked_by_plan)
        return plan if plan is not None and not plan.is_editable else None

    def get_readonly_fields(self, request, obj=None):
        """A row of an adopted plan's text is shown read-only, not accepted and refused."""
        readonly = list(super().get_readonly_fields(request, obj))
        if self._locked_by(obj) is not None:
            fields = [
                field.name
                for field in [*self.model._meta.fields, *self.model._meta.many_to_many]
                if field.editable and not field.primary_key
            ]
            readonly += [name for name in fields if name not in readonly]
        return readonly

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            plan = self._locked_by(obj)
            if plan is not None:
                try:
                    plan.assert_editable()
                except ValidationError as locked:
                    messages.warning(request, " ".join(locked.messages))
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not self.can_edit_object(request, obj):
            # E.g. a new row put into another group's plan.
            raise PermissionDenied
        super().save_model(request, obj, form, change)
