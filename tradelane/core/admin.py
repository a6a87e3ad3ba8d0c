from django.contrib import admin

from .models import AuditEntry, IdempotencyKey, OutboxEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxEvent)
class OutboxEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "topic", "created_at", "delivered_at", "attempts", "next_attempt_at"]
    list_filter = ["topic"]
    search_fields = ["topic", "last_error"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "actor_user", "target_type", "target_id", "summary"]
    list_filter = ["action"]
    search_fields = ["action", "target_id", "summary"]


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyAdmin):
    list_display = ["scope", "key", "operation", "status_code", "created_at"]
    search_fields = ["key", "scope"]
