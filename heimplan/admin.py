"""The base class every heimplan ModelAdmin uses.

One place for what all editing in the admin shares: history (simple-history),
and telling the public cache that content changed.
"""

from simple_history.admin import SimpleHistoryAdmin

from heimplan.cache import public_content_changed


class HeimplanModelAdmin(SimpleHistoryAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        public_content_changed()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        public_content_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        public_content_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        public_content_changed()
