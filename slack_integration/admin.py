"""Operator views of the Slack integration: installation problems."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from slack_integration.installation import WHAT_TO_DO, InstallationProblem


class OpenFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("open", "Open"), ("resolved", "Resolved")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in {"open", "resolved"}:
            return queryset.filter(resolved_at__isnull=self.value() == "open")
        return queryset


@admin.action(description="Mark as resolved (run manage.py slack_doctor to confirm)")
def mark_resolved(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    """Close the selected problems; a later check reopens any that persists."""
    count = queryset.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
    messages.success(request, f"{count} problem(s) marked as resolved.")


@admin.register(InstallationProblem)
class InstallationProblemAdmin(admin.ModelAdmin):
    list_display = ("code", "subject", "what_to_do", "occurrences", "last_seen_at", "resolved_at")
    list_filter = (OpenFilter, "code")
    readonly_fields = [field.name for field in InstallationProblem._meta.fields]
    actions = [mark_resolved]

    @admin.display(description="What to do")
    def what_to_do(self, problem: InstallationProblem) -> str:
        return WHAT_TO_DO.get(problem.code, "Run manage.py slack_doctor.")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # problems come from Slack's answers, not from operators
