from django.contrib import admin

from .models import Fee, FxRate, Market, MarketStatusChange, TaxRegime


class TaxRegimeInline(admin.TabularInline):
    model = TaxRegime
    extra = 0
    fields = (
        "effective_from",
        "effective_to",
        "tax_name",
        "standard_rate",
        "b2b_rule",
        "confidence",
    )


class FeeInline(admin.TabularInline):
    model = Fee
    extra = 0
    fields = ("name", "amount", "currency", "basis", "effective_from", "effective_to", "confidence")


@admin.register(Market)
class MarketAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "currency", "status", "live_from")
    list_filter = ("status",)
    readonly_fields = (
        "status",
        "recruiting_from",
        "live_from",
    )  # change status through the service
    inlines = [TaxRegimeInline, FeeInline]


@admin.register(MarketStatusChange)
class MarketStatusChangeAdmin(admin.ModelAdmin):
    list_display = ("subject", "from_status", "to_status", "actor", "created_at")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FxRate)
class FxRateAdmin(admin.ModelAdmin):
    list_display = ("as_of", "base", "quote", "rate", "source")
    list_filter = ("source", "base")
    search_fields = ("quote",)
