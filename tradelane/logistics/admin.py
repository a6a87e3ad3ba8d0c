from django.contrib import admin

from tradelane.markets.admin import BumpsReferenceVersion

from .models import DutyRate, Lane, RateCard


@admin.register(Lane)
class LaneAdmin(BumpsReferenceVersion, admin.ModelAdmin):
    list_display = ("origin_country", "destination", "active", "customs_valuation")


@admin.register(RateCard)
class RateCardAdmin(BumpsReferenceVersion, admin.ModelAdmin):
    list_display = ("lane", "tier", "currency", "effective_from", "effective_to", "confidence")
    list_filter = ("tier", "lane__destination")


@admin.register(DutyRate)
class DutyRateAdmin(BumpsReferenceVersion, admin.ModelAdmin):
    list_display = (
        "market",
        "program",
        "origin_country",
        "hs_prefix",
        "rate",
        "effective_from",
        "effective_to",
    )
    list_filter = ("market", "program")
