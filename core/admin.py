"""The admin base every heimplan ModelAdmin builds on.

One place for what all editing in the admin shares: history (simple-history),
versioned forms (no lost edits), restoring deleted rows, bounded inline saves, and
one write path. Every ModelAdmin (``BaseModelAdmin``) and every inline
(``ServiceInlineMixin``) declares the services it writes through,
``services = ModelServices(create=…, update=…, delete=…)``: saving, deleting and
each inline row go through them with the signed-in user as ``actor``, so history,
the plan's edit check and publishing happen once, as on the working pages. What a
model has no service for, the admin cannot do. The object-level rules (who may see
and change which rows) live with the roles, in ``organisation.admin_rules``: this
module imports no app.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import (
    FieldDoesNotExist,
    ImproperlyConfigured,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.forms import ModelChoiceField, ModelMultipleChoiceField, Select
from django.forms.models import BaseInlineFormSet, modelform_factory
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from simple_history.admin import SimpleHistoryAdmin

from core.concurrency import EditConflict
from core.forms import add_validation_error
from core.history import deleted_records, m2m_history_fields, m2m_linked_ids
from core.views import form_status


@dataclass(frozen=True)
class ModelServices:
    """The services an admin page or inline writes its rows through (one write path).

    - ``create(*, actor, <parent>=…, data)`` adds a row; ``parent`` names the keyword
      of its parent (an inline passes its parent object, a ModelAdmin the value of
      its form field of that name), None for a row without one;
    - ``update(*, actor, <thing>=…, data, expected_version)`` changes a row;
    - ``delete(*, actor, <thing>=…)`` deletes a row;
    - ``check(*, <parent>=…, data)`` raises the ``ValidationError`` the services
      would raise for ``data``, so the form shows it by its fields before anything
      is saved;
    - ``delete_refusal(obj)`` says why ``obj`` cannot be deleted, or None: shown on
      the delete page (like a protected relation) and on an inline row marked deleted.

    ``<thing>`` is the services' name without ``_update``/``_delete``
    (``measure_update(*, actor, measure, …)``). A missing service means the admin
    cannot do that: no add button, a read-only page, no delete.
    """

    create: Callable | None = None
    update: Callable | None = None
    delete: Callable | None = None
    parent: str | None = None
    check: Callable | None = None
    delete_refusal: Callable | None = None
    thing: str = dataclasses.field(init=False, default="")

    def __post_init__(self):
        things = {
            fn.__name__.removesuffix(suffix)
            for fn, suffix in ((self.update, "_update"), (self.delete, "_delete"))
            if fn is not None
        }
        if len(things) > 1:
            raise ImproperlyConfigured(f"Services of different things: {sorted(things)}")
        object.__setattr__(self, "thing", things.pop() if things else "")
        parent = {self.parent} if self.parent else set()
        for fn, names in (
            (self.create, {"actor", "data"} | parent),
            (self.update, {"actor", self.thing, "data", "expected_version"}),
            (self.delete, {"actor", self.thing}),
            (self.check, {"data"} | parent),
        ):
            if fn is None:
                continue
            keywords = {
                name
                for name, parameter in inspect.signature(fn).parameters.items()
                if parameter.kind is inspect.Parameter.KEYWORD_ONLY
            }
            if not names <= keywords:
                raise ImproperlyConfigured(
                    f"{fn.__module__}.{fn.__qualname__} lacks the keyword-only "
                    f"arguments {', '.join(sorted(names - keywords))}"
                )

    def parent_of(self, form) -> dict:
        """The create and check services' parent keyword, from a ModelAdmin's form."""
        if not self.parent:
            return {}
        if self.parent in form.cleaned_data:
            return {self.parent: form.cleaned_data[self.parent]}
        return {self.parent: getattr(form.instance, self.parent)}


def service_data(form, *, exclude=()) -> dict:
    """The form's cleaned values of its model's fields (links included), for a service.

    The form's own extras (the loaded version, the delete box, the row's key) and
    ``exclude`` are left out. An update service writes only what differs from the
    stored row.
    """
    model = form._meta.model
    writable = {
        f.name
        for f in model._meta.get_fields()
        if (f.concrete or f.many_to_many) and not f.auto_created and not f.primary_key
    }
    return {
        name: form.cleaned_data[name]
        for name in form.fields
        if name in writable and name not in exclude and name in form.cleaned_data
    }


def _saved_as(obj, saved) -> None:
    # The admin goes on with ``obj`` (messages, log, redirect): make it the saved row.
    obj.pk = saved.pk
    obj._state.adding = False
    obj._state.db = saved._state.db


class _PreloadedRows:
    """Stands in for a widget's queryset: answers ``using().filter(<key>__in=...)`` from
    rows fetched once for the whole formset."""

    def __init__(self, rows_by_key: dict[str, object]):
        self.rows_by_key = rows_by_key

    def using(self, _db):
        return self

    def filter(self, **lookup):
        (keys,) = lookup.values()
        return [self.rows_by_key[key] for key in keys if key in self.rows_by_key]


def _inner_widget(widget):
    # The admin wraps relation widgets in RelatedFieldWidgetWrapper (the + and ✎ links).
    return getattr(widget, "widget", widget)


class RowQueriesOnceFormSetMixin:
    """An inline formset whose page costs the same number of queries for 2 rows or 200.

    Django's admin otherwise queries per row: the row's label (``__str__`` following a
    foreign key), the selected item of each autocomplete widget, and the options of
    each plain select. Here the rows come with their foreign keys joined, each
    autocomplete's selected rows are fetched once for all rows, and each select's
    options are read once and shared.
    """

    def __init__(self, *args, queryset=None, **kwargs):
        if queryset is not None and not queryset.query.is_sliced:
            # The parent too: a row's label often names it (StatusReport.__str__).
            joined = [field.name for field in self.model._meta.concrete_fields if field.many_to_one]
            queryset = queryset.select_related(*joined)
        super().__init__(*args, queryset=queryset, **kwargs)
        self._share_relation_choices()

    def _share_relation_choices(self) -> None:
        forms = self.forms
        if not forms:
            return
        for name, field in forms[0].fields.items():
            if not isinstance(field, ModelChoiceField):
                continue
            widget = _inner_widget(field.widget)
            if isinstance(widget, AutocompleteSelect):
                self._preload_autocomplete(name, field)
            elif isinstance(widget, Select) and not isinstance(field, ModelMultipleChoiceField):
                options = list(field.choices)
                for form in forms:
                    form.fields[name].choices = options

    def _preload_autocomplete(self, name: str, field) -> None:
        model = field.queryset.model
        key = field.to_field_name or model._meta.pk.attname
        wanted = set()
        for form in self.forms:
            value = form[name].value()
            values = value if isinstance(value, list | tuple) else [value]
            wanted.update(str(v) for v in values if v not in field.empty_values)
        # Garbage posted as an id matches nothing (core.lookups.IntegerFieldIn): it is
        # shown as nothing selected, and the form says why.
        found = field.queryset.filter(**{f"{key}__in": wanted}) if wanted else []
        rows = {str(getattr(row, key)): row for row in found}
        for form in self.forms:
            widget = _inner_widget(form.fields[name].widget)
            widget.choices = copy.copy(widget.choices)
            widget.choices.queryset = _PreloadedRows(rows)


class BaseModelAdmin(SimpleHistoryAdmin):
    """What every heimplan ModelAdmin shares, whatever the object rules: history,
    writes only through the declared ``services``, bounded inline saves, inline rows
    without per-row queries, a service's refusal shown on the form (or, should it
    come only at save time, as a message) rather than a 500. The rules of who may
    see and change which rows are added by the organisation app's
    ``ScopedModelAdmin``."""

    # The services this admin writes through (none: it only shows rows).
    services = ModelServices()

    # At most this many rows per inline in one save. Django's formsets otherwise
    # accept up to 2,000 forms per inline whatever the browser claims in
    # TOTAL_FORMS, and building and re-rendering that many took half a minute.
    inline_rows_max = 300

    def get_formsets_with_inlines(self, request, obj=None):
        for inline in self.get_inline_instances(request, obj):
            rows_max = min(
                inline.get_max_num(request, obj) or self.inline_rows_max, self.inline_rows_max
            )
            formset = inline.get_formset(request, obj, max_num=rows_max, absolute_max=rows_max)
            formset = type(formset.__name__, (RowQueriesOnceFormSetMixin, formset), {})
            yield formset, inline

    # -- history: read by those who may see the row, never reverted ------------

    def revert_disabled(self, request, obj=None):
        # Reverting writes an old version back past the services (a plan's lifecycle
        # and text lock, the history of links): earlier versions are only read.
        return True

    def _history(self):
        return getattr(self.model, self.model._meta.simple_history_manager_attribute)

    def history_object(self, request, object_id):
        """The row whose history ``request.user`` asks for, or None if they may not see it.

        A live row only if the changelist's queryset holds it; a deleted one as its last
        version, if the object permissions let the user see that version.
        """
        pk_field = self.model._meta.pk
        try:
            pk = pk_field.to_python(unquote(object_id))
        except ValidationError:
            return None
        obj = self.get_queryset(request).filter(pk=pk).first()
        if obj is None:
            if self.model._default_manager.filter(pk=pk).exists():
                return None  # there, but not for this user
            last = (
                self._history()
                .filter(**{pk_field.attname: pk})
                .order_by("-history_date", "-history_id")
                .first()
            )
            if last is None:
                return None
            obj = last.instance
        return obj if self.has_view_or_change_permission(request, obj) else None

    def history_view(self, request, object_id, extra_context=None):
        # simple_history shows any row's history to whoever may view the model, and
        # filters on the id unchecked ("abc" was a 500). Answer as the change page does
        # for a row that is not there, or not the user's to see.
        if self.history_object(request, object_id) is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """One earlier version of a row, read-only, for those who may see the row.

        simple_history's own view saved the posted form as a revert, past every rule.
        Here a POST is refused with a message and changes nothing.
        """
        history = self._history()
        try:
            self.model._meta.pk.to_python(unquote(object_id))
            history_id = history.model._meta.pk.to_python(version_id)
        except ValidationError:
            raise Http404 from None
        obj = self.history_object(request, object_id)
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        record = history.filter(**{self.model._meta.pk.attname: obj.pk}, history_id=history_id)
        record = record.first()
        if record is None:
            raise Http404
        if request.method not in ("GET", "HEAD"):
            self.message_user(
                request,
                _(
                    "Earlier versions are for reading only and cannot be restored here: "
                    "that would go past the rules every change follows. Make the change on "
                    "the change page."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())
        return self.render_history_view(
            request,
            self.object_history_form_template,
            {**self.history_record_context(request, record), **(extra_context or {})},
        )

    def history_record_context(self, request, record) -> dict:
        """The change form's context showing ``record``: every field read-only."""
        opts = self.model._meta
        obj = record.instance
        obj._state.adding = False
        # Links are shown as the version had them, not as they are now.
        tracked = {field.name: field for field in m2m_history_fields(self.model)}
        obj._prefetched_objects_cache = {
            name: field.related_model._default_manager.filter(pk__in=m2m_linked_ids(record, field))
            for name, field in tracked.items()
        }

        def shown(name) -> bool:
            if callable(name):
                return True
            try:
                field = opts.get_field(name)
            except FieldDoesNotExist:
                # Form-only fields (an edit version) have no past value.
                return hasattr(self, name) or hasattr(self.model, name)
            return not field.many_to_many or name in tracked

        fieldsets = []
        for title, options in self.get_fieldsets(request, obj):
            names = []
            for name in options["fields"]:
                if isinstance(name, list | tuple):  # fields on one line
                    line = tuple(filter(shown, name))
                    if line:
                        names.append(line)
                elif shown(name):
                    names.append(name)
            if names:
                fieldsets.append((title, {**options, "fields": names}))
        form = modelform_factory(self.model, fields=())(instance=obj)
        admin_form = helpers.AdminForm(
            form, fieldsets, {}, readonly_fields=flatten_fieldsets(fieldsets), model_admin=self
        )
        info = self.admin_site.name, opts.app_label, opts.model_name
        return {
            **self.admin_site.each_context(request),
            "title": self.history_form_view_title(request, obj),
            "subtitle": None,
            "adminform": admin_form,
            "object_id": obj.pk,
            "original": obj,
            "record": record,
            "is_popup": False,
            "media": self.media + admin_form.media,
            "errors": None,
            "app_label": opts.app_label,
            "opts": opts,
            "original_opts": opts,
            "changelist_url": reverse("{}:{}_{}_changelist".format(*info)),
            "change_url": reverse("{}:{}_{}_change".format(*info), args=(obj.pk,)),
            "history_url": reverse("{}:{}_{}_history".format(*info), args=(obj.pk,)),
            "change_history": False,
            "revert_disabled": True,
            "add": False,
            "change": True,
            "has_view_permission": True,
            "has_add_permission": False,
            "has_change_permission": False,
            "has_delete_permission": False,
            "has_editable_inline_admin_formsets": False,
            "has_file_field": False,
            "has_absolute_url": False,
            "form_url": "",
            "save_as": False,
            "save_on_top": False,
        }

    def may_restore_deleted(self, request) -> bool:
        """Who may bring back deleted rows (``RestoreDeletedMixin``)."""
        return request.user.is_superuser

    def save_formset(self, request, form, formset, change):
        inline = getattr(formset, "service_inline", None)
        if inline is None:
            raise ImproperlyConfigured(
                f"The inline of {formset.model.__name__} declares no services: "
                "the admin writes only through services (ServiceInlineMixin)."
            )
        save_formset_through_services(inline, request, form.instance, formset)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Forms check what the services refuse; should a service still refuse at save
        # time (a race), the transaction is rolled back and the editor told why.
        try:
            response = super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        except EditConflict:
            # A versioned form refuses a stale version with the diff; this is the race
            # the form could not see.
            messages.error(
                request,
                _(
                    "Somebody else saved this at the same moment, so your changes were not "
                    "saved. Here is their version; make your changes again."
                ),
            )
            return redirect(request.get_full_path())
        context = getattr(response, "context_data", None) or {}
        if request.method == "POST" and context.get("errors") and "adminform" in context:
            # The form shown again: its status says why, as on every page (core.views).
            response.status_code = form_status(context["adminform"].form, invalid=True)
        return response

    def get_search_results(self, request, queryset, search_term):
        """In an autocomplete, what the person typed comes first: an exact match of the
        first search field, then those starting with it, then the rest in the usual
        order. So the option Enter picks is the one typed, never another that merely
        contains it."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        match = getattr(request, "resolver_match", None)
        term = search_term.strip()
        fields = self.get_search_fields(request)
        if not (match and match.url_name == "autocomplete" and term and fields):
            return queryset, may_have_duplicates
        first = fields[0]
        if first.startswith(("=", "^", "@")):
            return queryset, may_have_duplicates
        rank = Case(
            When(**{f"{first}__iexact": term}, then=Value(0)),
            When(**{f"{first}__istartswith": term}, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        ordering = list(queryset.query.order_by or self.model._meta.ordering or ["pk"])
        return queryset.annotate(search_rank=rank).order_by("search_rank", *ordering), (
            may_have_duplicates
        )

    # -- one write path: the declared services --------------------------------

    def has_add_permission(self, request):
        return self.services.create is not None and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return self.services.update is not None and allowed

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return self.services.delete is not None and allowed

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if self.services.check is None:
            return form
        return type(form.__name__, (ServiceCheckedFormMixin, form), {"services": self.services})

    def save_model(self, request, obj, form, change):
        services = self.services
        if change:
            saved = services.update(
                actor=request.user,
                **{services.thing: _stored(obj)},
                data=service_data(form),
                expected_version=form.cleaned_data.get("loaded_version"),
            )
        else:
            parent = services.parent_of(form)
            data = service_data(form, exclude=parent)
            saved = services.create(actor=request.user, **parent, data=data)
        _saved_as(obj, saved)

    def save_form(self, request, form, change):
        obj = super().save_form(request, form, change)
        form.save_m2m = lambda: None  # the services set the links with the row
        return obj

    def save_related(self, request, form, formsets, change):
        # Many-to-many fields went to the services with the row: the form saves none.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        self.services.delete(actor=request.user, **{self.services.thing: obj})

    def delete_queryset(self, request, queryset):
        with transaction.atomic():  # all of the selection, or nothing
            for obj in queryset:
                self.delete_model(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        # The delete page lists what a service would refuse (get_deleted_objects); a
        # refusal that comes only at delete time (a race) is told, not a 500.
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changelist_view(self, request, extra_context=None):
        # The same for the bulk delete action.
        try:
            return super().changelist_view(request, extra_context)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        refusal_of = self.services.delete_refusal
        if refusal_of is not None:
            protected = list(protected)
            for obj in objs:
                refusal = refusal_of(obj)
                if refusal:
                    protected.append(f"{obj}: {refusal}")
        return deleted, model_count, perms_needed, protected


class ServiceCheckedFormMixin:
    """Mixed into a ModelAdmin's form: asks the services' ``check`` before anything is saved."""

    services: ModelServices

    def clean(self):
        cleaned = super().clean()
        try:
            parent = self.services.parent_of(self)
        except ObjectDoesNotExist:
            return cleaned  # no parent chosen: its field says so
        if all(value is not None for value in parent.values()):
            try:
                self.services.check(**parent, data=service_data(self))
            except ValidationError as exc:
                add_validation_error(self, exc)
        return cleaned


class ServiceInlineFormSet(BaseInlineFormSet):
    """Refuses on the form what the inline's services would refuse at save time."""

    service_inline = None

    def clean(self):
        super().clean()
        services = self.service_inline.services
        refusals = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data"):
                continue
            if self.can_delete and self._should_delete_form(form):
                # A deleted row's own errors are ignored by the formset: refuse for it.
                if form.instance.pk and services.delete_refusal is not None:
                    refusal = services.delete_refusal(form.instance)
                    if refusal:
                        refusals.append(f"{form.instance}: {refusal}")
                continue
            if form.has_changed() and services.check is not None:
                try:
                    services.check(
                        **{services.parent: self.instance},
                        data=service_data(form, exclude={self.fk.name}),
                    )
                except ValidationError as exc:
                    add_validation_error(form, exc)
        if refusals:
            raise ValidationError(refusals)


class ServiceInlineMixin:
    """An inline whose rows are written by its ``services`` (a ``ModelServices``).

    Their ``parent`` is the keyword under which the create and check services take
    the row's parent (the object the admin page edits). Without an update service
    the rows are read-only; without create or delete, none are added or deleted.
    """

    services = ModelServices()
    formset = ServiceInlineFormSet

    def has_add_permission(self, request, obj=None):
        allowed = super().has_add_permission(request, obj)
        return self.services.create is not None and allowed

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return self.services.update is not None and allowed

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return self.services.delete is not None and allowed

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.service_inline = self
        return formset


def _stored(obj):
    # A model form has already copied its input onto its instance: the services get
    # the row as stored.
    return type(obj)._default_manager.get(pk=obj.pk)


def save_formset_through_services(inline, request, parent, formset) -> None:
    """Save an inline formset row by row through ``inline.services``.

    Fills ``new_objects``/``changed_objects``/``deleted_objects`` as
    ``BaseModelFormSet.save`` does, for the admin's change message.
    """
    services = inline.services
    fk = formset.fk.name
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.initial_forms:
        obj = form.instance
        if formset.can_delete and formset._should_delete_form(form):
            if obj.pk is not None:
                services.delete(actor=request.user, **{services.thing: _stored(obj)})
                formset.deleted_objects.append(obj)
            continue
        if form.has_changed():
            saved = services.update(
                actor=request.user,
                **{services.thing: _stored(obj)},
                data=service_data(form, exclude={fk}),
                expected_version=form.cleaned_data.get("loaded_version"),
            )
            formset.changed_objects.append((saved, form.changed_data))
    for form in formset.extra_forms:
        if not form.has_changed() or (formset.can_delete and formset._should_delete_form(form)):
            continue
        created = services.create(
            actor=request.user,
            **{services.parent: parent},
            data=service_data(form, exclude={fk}),
        )
        formset.new_objects.append(created)


class VersionedAdminMixin:
    """Puts the hidden ``loaded_version`` of a VersionedModelForm into the admin form.

    The form refuses a stale version with the diff (and on PostgreSQL locks the
    row while the admin saves). Should a save still lose a race, the write
    service raises ``EditConflict``: ``BaseModelAdmin`` tells the person, never a 500.
    """

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        first_name, first_options = fieldsets[0]
        fields = list(first_options["fields"])
        if "loaded_version" not in fields:
            fields.append("loaded_version")
        return [(first_name, {**first_options, "fields": fields}), *fieldsets[1:]]


class RestoreDeletedMixin:
    """An administrator's list of deleted ``restore_model`` rows, each with a restore button.

    ``restore_service(*, actor, history_id)`` is the app's service that brings one back.
    """

    restore_model = None
    restore_service = None

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name="{}_{}_deleted".format(*info),
            ),
            *super().get_urls(),
        ]

    def deleted_view(self, request):
        if not self.may_restore_deleted(request):
            raise PermissionDenied
        model = self.restore_model or self.model
        info = self.model._meta.app_label, self.model._meta.model_name
        form = RestoreForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            history_id = form.cleaned_data["history_id"]
            try:
                restored = self.restore_service(actor=request.user, history_id=history_id)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("“%(object)s” is restored.") % {"object": restored})
                return redirect(reverse("admin:{}_{}_deleted".format(*info)))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted %(name)s") % {"name": model._meta.verbose_name_plural},
            "records": deleted_records(model),
            "form": form,
            "opts": self.model._meta,
            "restore_opts": model._meta,
        }
        return TemplateResponse(
            request, "admin/heimplan/deleted.html", context, status=form_status(form)
        )


class RestoreForm(forms.Form):
    """Which deletion to undo (the history record of the deletion)."""

    history_id = forms.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        error_messages={
            key: _lazy("There is no such deletion to undo.")
            for key in ("required", "invalid", "min_value", "max_value")
        },
    )
