from django.contrib import admin

from .models import CreditRule, Pickup, Shipment, ShipmentEvent


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ("tracking_number", "order_number", "status", "tier", "destination", "late")
    list_filter = ("status", "tier", "late", "at_risk")
    search_fields = ("tracking_number", "order_number")
    raw_id_fields = ("order", "merchant", "buyer", "warehouse", "pickup")


@admin.register(ShipmentEvent)
class ShipmentEventAdmin(admin.ModelAdmin):
    list_display = ("event_id", "carrier", "code", "occurred_at", "outcome")
    search_fields = ("event_id",)
    raw_id_fields = ("shipment",)


@admin.register(Pickup)
class PickupAdmin(admin.ModelAdmin):
    list_display = ("warehouse", "day", "planned_parcels", "capacity", "status")


admin.site.register(CreditRule)
