from django.contrib import admin

from .models import Category, Price, Product, Sku, StockLevel, StockMovement


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "parent")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class ReadOnlyAdmin(admin.ModelAdmin):
    """Merchant data changes through the services (history, versions), never here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    list_display = ("title", "organisation", "category", "is_active", "created_at")
    search_fields = ("title",)


@admin.register(Sku)
class SkuAdmin(ReadOnlyAdmin):
    list_display = ("code", "organisation", "hs_code", "origin_country", "trade_data_complete")
    search_fields = ("code",)


@admin.register(Price)
class PriceAdmin(ReadOnlyAdmin):
    list_display = ("sku", "market", "unit_price", "currency", "moq", "effective_from")
    list_filter = ("market",)


@admin.register(StockLevel)
class StockLevelAdmin(ReadOnlyAdmin):
    list_display = ("sku", "warehouse", "on_hand", "reserved", "version", "updated_at")


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = ("stock_level", "delta", "on_hand_after", "reason", "created_at")
