from django.contrib import admin

from tradelane.core.admin import ReadOnlyAdmin

from .models import Payment, PaymentStatusChange, ProviderOperation, Refund


class StatusChangeInline(admin.TabularInline):
    model = PaymentStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "actor", "note", "created_at")


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    can_delete = False
    readonly_fields = ("amount", "currency", "reason", "status", "idempotency_key", "created_at")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("id", "reference", "status", "amount", "currency", "provider", "created_at")
    list_filter = ("status", "provider")
    search_fields = ("reference", "provider_ref")
    inlines = [StatusChangeInline, RefundInline]


@admin.register(ProviderOperation)
class ProviderOperationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "payment", "operation", "outcome", "amount", "currency")
    list_filter = ("operation", "outcome")
    search_fields = ("idempotency_key", "provider_ref")
