from django.contrib import admin

from .models import Fee, FxRate, Market, MarketStatusChange, RegionalTax, TaxRegime
from .services import bump_reference_version


class BumpsReferenceVersion:
    """Admin edits of quote reference data replace the version like the services do
    (explicitly, in the admin's transaction): cached network snapshots then reload."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        bump_reference_version()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        bump_reference_version()  # inlines (tax regimes, fees)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        bump_reference_version()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        bump_reference_version()


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
class MarketAdmin(BumpsReferenceVersion, admin.ModelAdmin):
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
class FxRateAdmin(BumpsReferenceVersion, admin.ModelAdmin):
    list_display = ("as_of", "base", "quote", "rate", "source")
    list_filter = ("source", "base")
    search_fields = ("quote",)


@admin.register(RegionalTax)
class RegionalTaxAdmin(BumpsReferenceVersion, admin.ModelAdmin):
    list_display = ("market", "region", "tax_name", "rate", "effective_from", "effective_to")
    list_filter = ("market",)
