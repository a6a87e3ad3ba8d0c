from django.contrib import admin

from tradelane.core.admin import ReadOnlyAdmin

from .models import MarketReturnPolicy, MerchantReturnTerms, ReturnRequest, ReturnStatusChange


class StatusChangeInline(admin.TabularInline):
    model = ReturnStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "actor", "note", "created_at")


@admin.register(ReturnRequest)
class ReturnRequestAdmin(ReadOnlyAdmin):
    list_display = ("number", "status", "reason", "quantity", "buyer", "merchant", "created_at")
    list_filter = ("status", "reason", "market")
    search_fields = ("number",)
    inlines = [StatusChangeInline]


@admin.register(MarketReturnPolicy)
class MarketReturnPolicyAdmin(ReadOnlyAdmin):
    list_display = ("market", "window_days", "changed_mind_days", "decision_days")


@admin.register(MerchantReturnTerms)
class MerchantReturnTermsAdmin(ReadOnlyAdmin):
    list_display = ("merchant", "market", "window_days", "accepts_changed_mind")
