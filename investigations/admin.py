"""Operator views of investigations, evidence, incidents, audit and outbox."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from investigations.models import AuditEvent, Evidence, Incident, Investigation, OutboxMessage
from investigations.outbox import outbox_retry


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EvidenceInline(ReadOnlyInline):
    model = Evidence
    fields = ("permalink", "source_channel_id", "message_ts", "added_by", "added_at")


class IncidentInline(ReadOnlyInline):
    model = Incident
    fields = (
        "commander", "escalated_by", "escalated_at", "resolved_by", "resolved_at",
        "pagerduty_state", "pagerduty_error",
    )


class AuditEventInline(ReadOnlyInline):
    model = AuditEvent
    fields = ("at", "action", "actor", "details")
    show_change_link = False


class OutboxInline(ReadOnlyInline):
    model = OutboxMessage
    fields = ("kind", "status", "attempts", "last_error", "created_at", "delivered_at")


class EscalatedFilter(admin.SimpleListFilter):
    title = "escalated"
    parameter_name = "escalated"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Escalated"), ("no", "Not escalated")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in {"yes", "no"}:
            return queryset.filter(incident__isnull=self.value() == "no")
        return queryset


class RecordAdmin(admin.ModelAdmin):
    """A model shown as recorded: every field read-only, no add, no delete.

    Rows are written by the services (with their audit events), never by hand,
    and deleting one would break the audit trail.
    """

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Investigation)
class InvestigationAdmin(RecordAdmin):
    list_display = ("name", "title", "status", "channel_id", "opened_by", "opened_at", "closed_at")
    list_filter = ("status", EscalatedFilter, "opened_at", "closed_at")
    search_fields = (
        "name", "title", "channel_id", "opened_by", "closed_by", "public_id",
        "incident__commander", "incident__escalated_by", "incident__resolved_by",
    )
    date_hierarchy = "opened_at"
    inlines = [IncidentInline, EvidenceInline, AuditEventInline, OutboxInline]


@admin.register(Incident)
class IncidentAdmin(RecordAdmin):
    list_display = ("investigation", "commander", "escalated_at", "resolved_at", "pagerduty_state")
    list_filter = ("investigation__status", "pagerduty_state", "escalated_at", "resolved_at")
    search_fields = (
        "investigation__name", "investigation__title", "investigation__channel_id",
        "commander", "escalated_by", "resolved_by",
    )


@admin.register(Evidence)
class EvidenceAdmin(RecordAdmin):
    list_display = ("investigation", "permalink", "source_channel_id", "added_by", "added_at")
    list_filter = ("investigation__status", "added_at")
    search_fields = (
        "investigation__name", "investigation__title", "investigation__channel_id",
        "permalink", "source_channel_id", "added_by",
    )


@admin.register(AuditEvent)
class AuditEventAdmin(RecordAdmin):
    list_display = ("at", "investigation", "action", "actor")
    list_filter = ("action", "at")
    search_fields = (
        "investigation__name", "investigation__title", "investigation__channel_id", "actor",
    )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # append-only: not even the change form


@admin.action(description="Retry the selected failed deliveries")
def retry_deliveries(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    """Put each failed delivery back in the queue; pending and delivered are left."""
    failed = list(queryset.filter(status=OutboxMessage.Status.FAILED).values_list("pk", flat=True))
    for message_id in failed:
        outbox_retry(message_id=message_id)
    modeladmin.message_user(request, f"Queued {len(failed)} delivery(ies) again.", messages.SUCCESS)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(RecordAdmin):
    list_display = (
        "id", "kind", "investigation", "status", "attempts", "last_error", "created_at",
        "next_attempt_at", "delivered_at",
    )
    list_filter = ("status", "kind", "created_at")
    search_fields = (
        "idempotency_key", "investigation__name", "investigation__title",
        "investigation__channel_id", "last_error",
    )
    actions = [retry_deliveries]
