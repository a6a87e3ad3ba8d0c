"""Catalog: products, SKUs with trade data, per-market price versions, stock per warehouse.

Prices are immutable versions (`Price`): setting a price appends a row, so the table is
the full price history; the price in force in a market is the latest version whose
`effective_from` has passed. Stock counters change only by guarded UPDATEs; CHECK
constraints keep `0 <= reserved <= on_hand`.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from tradelane.core.money import Money


def money_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=18, decimal_places=4, **kwargs)


def measure_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True, **kwargs)


class Readiness(models.TextChoices):
    READY = "ready", "Ready (hand over within 48 h)"
    NEAR_READY = "near_ready", "Near-ready (lead time in days)"


class StockReason(models.TextChoices):
    SYNC = "sync", "Absolute set (sync)"
    ADJUST = "adjust", "Relative adjustment"
    IMPORT = "import", "CSV import"
    RECOUNT = "recount", "Recount"
    DAMAGE = "damage", "Damaged"
    RECEIVED = "received", "Goods received"
    RESERVE = "reserve", "Reserved for an order"
    RELEASE = "release", "Reservation released"
    SHIP = "ship", "Handed over to the carrier"


class Category(models.Model):
    """The platform's category tree (global reference data)."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "categories"

    def __str__(self):
        return self.name


class Product(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="products"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="products"
    )
    title = models.CharField(max_length=200)
    title_es = models.CharField(max_length=200, blank=True)
    title_fr = models.CharField(max_length=200, blank=True)
    title_de = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    description_es = models.TextField(blank=True)
    description_fr = models.TextField(blank=True)
    description_de = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="product_org_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="product_title_required"),
        ]

    def __str__(self):
        return self.title

    def localized(self, field: str, language: str | None) -> str:
        lang = (language or "en")[:2]
        if lang in ("es", "fr", "de"):
            value = getattr(self, f"{field}_{lang}", "")
            if value:
                return value
        return getattr(self, field)


class Sku(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="skus"
    )
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="skus")
    code = models.CharField(max_length=64, help_text="the merchant's own SKU code")
    attributes = models.JSONField(default=dict, blank=True, help_text="variant attributes")
    # trade data
    hs_code = models.CharField(max_length=10, blank=True)
    origin_country = models.CharField(max_length=2, blank=True)
    net_weight_kg = measure_field()
    gross_weight_kg = measure_field()
    length_cm = measure_field()
    width_cm = measure_field()
    height_cm = measure_field()
    units_per_carton = models.PositiveIntegerField(null=True, blank=True)
    has_battery = models.BooleanField(default=False)
    has_liquid = models.BooleanField(default=False)
    has_magnet = models.BooleanField(default=False)
    certifications = models.JSONField(default=list, blank=True)
    trade_data_complete = models.BooleanField(default=False)
    # readiness
    readiness = models.CharField(max_length=16, choices=Readiness.choices, default=Readiness.READY)
    lead_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # denormalised text for search: title, description and attributes of all languages
    search_text = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["product_id", "code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="sku_code_unique"),
            models.CheckConstraint(
                condition=Q(readiness__in=Readiness.values), name="sku_readiness_valid"
            ),
            models.CheckConstraint(
                condition=~Q(readiness=Readiness.NEAR_READY) | Q(lead_days__gte=1),
                name="sku_near_ready_has_lead_days",
            ),
            models.CheckConstraint(
                condition=Q(net_weight_kg__isnull=True) | Q(net_weight_kg__gt=0),
                name="sku_net_weight_positive",
            ),
            models.CheckConstraint(
                condition=Q(gross_weight_kg__isnull=True) | Q(gross_weight_kg__gt=0),
                name="sku_gross_weight_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "product"], name="sku_org_product_idx"),
            models.Index(fields=["trade_data_complete", "-created_at"], name="sku_complete_idx"),
        ]

    def __str__(self):
        return self.code


class Price(models.Model):
    """One version of a SKU's price in a market. Append-only: the table is the history."""

    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="prices")
    market = models.ForeignKey("markets.Market", on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3)
    unit_price = money_field()
    # [{"min_quantity": 100, "unit_price": "9.5000"}, ...] strictly increasing quantities
    breaks = models.JSONField(default=list, blank=True)
    moq = models.PositiveIntegerField(default=1)
    increment = models.PositiveIntegerField(default=1)
    effective_from = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=16, default="api")

    class Meta:
        ordering = ["sku_id", "market_id", "-effective_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(unit_price__gt=0), name="price_positive"),
            models.CheckConstraint(condition=Q(moq__gte=1), name="price_moq_positive"),
            models.CheckConstraint(condition=Q(increment__gte=1), name="price_increment_positive"),
        ]
        indexes = [
            models.Index(fields=["sku", "market", "-effective_from"], name="price_in_force_idx"),
            models.Index(fields=["market", "-effective_from"], name="price_market_idx"),
        ]

    def __str__(self):
        return f"{self.sku_id} {self.market_id} {self.unit_price} {self.currency}"

    @property
    def unit(self) -> Money:
        return Money(self.unit_price, self.currency)

    def tiers(self) -> list[tuple[int, Money]]:
        """(minimum quantity, unit price) from the MOQ up, breaks included."""
        rows = [(self.moq, self.unit)]
        rows += [
            (b["min_quantity"], Money(Decimal(b["unit_price"]), self.currency)) for b in self.breaks
        ]
        return rows

    def unit_price_for(self, quantity: int) -> Money:
        price = self.unit
        for minimum, tier_price in self.tiers():
            if quantity >= minimum:
                price = tier_price
        return price


class StockLevel(models.Model):
    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="stock_levels")
    warehouse = models.ForeignKey("merchants.Warehouse", on_delete=models.PROTECT, related_name="+")
    on_hand = models.IntegerField(default=0)
    reserved = models.IntegerField(default=0)
    version = models.PositiveIntegerField(default=0, help_text="0 = never set")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sku_id", "warehouse_id"]
        constraints = [
            models.UniqueConstraint(fields=["sku", "warehouse"], name="stock_once_per_warehouse"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="stock_on_hand_not_negative"),
            models.CheckConstraint(
                condition=Q(reserved__gte=0), name="stock_reserved_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(reserved__lte=F("on_hand")), name="stock_reserved_within_on_hand"
            ),
        ]

    def __str__(self):
        return f"{self.sku_id}@{self.warehouse_id}: {self.on_hand}"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class StockMovement(models.Model):
    """History: one row per change of a stock level, with its reason.

    `delta` is the change of on-hand, `reserved_delta` the change of the reserved
    quantity (reservations, releases, shipments); `reference` names what caused it
    (e.g. "order:123")."""

    stock_level = models.ForeignKey(StockLevel, on_delete=models.CASCADE, related_name="movements")
    delta = models.IntegerField()
    on_hand_after = models.IntegerField()
    reserved_delta = models.IntegerField(default=0)
    reserved_after = models.IntegerField(null=True, blank=True)
    version_after = models.PositiveIntegerField()
    reason = models.CharField(max_length=16, choices=StockReason.choices)
    reference = models.CharField(max_length=64, blank=True, default="")
    note = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["stock_level_id", "id"]

    def __str__(self):
        return f"{self.stock_level_id} {self.delta:+d} ({self.reason})"


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.FileField(upload_to="catalog/images/%Y/%m/")
    thumbnail = models.FileField(upload_to="catalog/thumbs/%Y/%m/")
    content_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["product_id", "position", "id"]

    def __str__(self):
        return f"image {self.pk} of {self.product_id}"


class Listing(models.Model):
    """Storefront read model: one row per SKU × market where the SKU has a price version.

    Derived data only, rewritten by `catalog.listings` in the same transactions that change
    its sources (prices, trade data, product text or activity, stock crossing zero), and by
    the scheduled-price task when a scheduled version starts. `sellable` says the SKU may
    be sold (a price in force, trade data complete, product active, stock or a near-ready
    lead time); whether
    its merchant is active in the market today is joined at read time (it changes with the
    calendar, not with a write). The storefront reads only this table (plus one lookup of
    the page's SKUs); orders and product pages still read the source tables."""

    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="listings")
    market = models.ForeignKey("markets.Market", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    price = models.ForeignKey(
        Price, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # the version in force; empty while only a scheduled version exists
    currency = models.CharField(max_length=3)
    unit_price = money_field(null=True, blank=True)
    moq = models.PositiveIntegerField(null=True, blank=True)
    next_price_at = models.DateTimeField(
        null=True, blank=True, help_text="when the next scheduled version starts"
    )
    readiness = models.CharField(max_length=16, choices=Readiness.choices)
    lead_days = models.PositiveSmallIntegerField(null=True, blank=True)
    near_ready = models.BooleanField(default=False)
    in_stock = models.BooleanField(default=False, help_text="available > 0 somewhere active")
    trade_data_complete = models.BooleanField(default=False)
    product_active = models.BooleanField(default=True)
    sellable = models.BooleanField(default=False)
    title = models.CharField(max_length=200)
    search_text = models.TextField(blank=True, default="")
    # PostgreSQL: setweight(title, 'A') || setweight(search_text, 'B'), 'simple' config,
    # written with the row by `catalog.listings` (and the bench generator's bulk SQL) so
    # search matches and ranks without re-parsing text; NULL on SQLite (not used there).
    search_vector = SearchVectorField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(help_text="the SKU's creation (sort: newest)")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["market_id", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["sku", "market"], name="listing_once_per_market"),
        ]
        indexes = [
            models.Index(
                fields=["market", "-created_at", "-sku"],
                name="listing_newest_idx",
                condition=Q(sellable=True),
            ),
            models.Index(
                fields=["market", "unit_price", "sku"],
                name="listing_price_idx",
                condition=Q(sellable=True),
            ),
            models.Index(
                fields=["market", "organisation", "-created_at"],
                name="listing_merchant_idx",
                condition=Q(sellable=True),
            ),
            models.Index(
                fields=["next_price_at"],
                name="listing_next_price_idx",
                condition=Q(next_price_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.sku_id} in {self.market_id}"


class SearchTerm(models.Model):
    """A word that occurs in some listing's text: the vocabulary a mistyped search word is
    corrected against ("chargr" → "charger", trigram similarity on this small table
    instead of on every listing). Only ever grows (`catalog.listings` adds the words of
    the rows it writes); a stale word costs nothing but an empty correction."""

    word = models.CharField(max_length=40, primary_key=True)

    def __str__(self):
        return self.word


class ManagedOffer(models.Model):
    """The fully-managed economics of a SKU in a market: the supply price the merchant
    asks (what the platform pays it per unit) and the retail price the platform sets
    (what buyers pay). For a fully-managed merchant the retail price is also written as a
    `Price` version (source "platform"), so the storefront, orders and price history use
    it; for a semi-managed merchant the offer is a what-if to compare the two models on
    the same SKU. `unit_cost` (optional, the merchant's own cost) gives margins. Current
    values here; every change also appends a `ManagedPriceChange`."""

    sku = models.ForeignKey(Sku, on_delete=models.CASCADE, related_name="managed_offers")
    market = models.ForeignKey("markets.Market", on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3)
    supply_price = money_field()
    unit_cost = money_field(null=True, blank=True)
    retail_price = money_field(null=True, blank=True)
    supply_set_at = models.DateTimeField(default=timezone.now)
    retail_set_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["sku_id", "market_id"]
        constraints = [
            models.UniqueConstraint(fields=["sku", "market"], name="managed_offer_once"),
            models.CheckConstraint(condition=Q(supply_price__gt=0), name="managed_supply_positive"),
            models.CheckConstraint(
                condition=Q(retail_price__isnull=True) | Q(retail_price__gt=0),
                name="managed_retail_positive",
            ),
            models.CheckConstraint(
                condition=Q(unit_cost__isnull=True) | Q(unit_cost__gt=0),
                name="managed_cost_positive",
            ),
        ]
        indexes = [models.Index(fields=["market", "-supply_set_at"], name="managed_market_idx")]

    def __str__(self):
        return f"{self.sku_id} {self.market_id} supply {self.supply_price} {self.currency}"

    @property
    def supply(self) -> Money:
        return Money(self.supply_price, self.currency)

    @property
    def retail(self) -> Money | None:
        return None if self.retail_price is None else Money(self.retail_price, self.currency)

    @property
    def platform_margin(self) -> Money | None:
        if self.retail_price is None:
            return None
        return Money(self.retail_price - self.supply_price, self.currency)


class ManagedPriceChange(models.Model):
    """History of a managed offer: who set which supply or retail price, when."""

    class Kind(models.TextChoices):
        SUPPLY = "supply", "Supply price (merchant)"
        RETAIL = "retail", "Retail price (platform)"

    offer = models.ForeignKey(ManagedOffer, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    amount = money_field()
    unit_cost = money_field(null=True, blank=True)
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["offer_id", "-created_at", "-id"]

    def __str__(self):
        return f"{self.offer_id} {self.kind} {self.amount}"

    @property
    def money(self) -> Money:
        return Money(self.amount, self.offer.currency)
