"""Merchant portal: products and SKUs, the price grid, stock per warehouse, visibility.

CSV import and export: `views/imports.py`."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tradelane.core.access import MERCHANT_MEMBER, allow, current_actor
from tradelane.core.errors import DomainError, NotFound
from tradelane.markets import selectors as markets
from tradelane.merchants import selectors as merchants

from .. import selectors, services
from ..forms import (
    ImageForm,
    PriceForm,
    ProductForm,
    SkuForm,
    StockForm,
    add_domain_error,
)


@allow(MERCHANT_MEMBER)
def products(request):
    actor = current_actor(request)
    query = request.GET.get("q", "")[:100]
    page = Paginator(selectors.list_products(actor=actor, query=query), 25).get_page(
        request.GET.get("page")
    )
    return TemplateResponse(request, "catalog/products.html", {"page": page, "q": query})


@allow(MERCHANT_MEMBER)
@require_http_methods(["GET", "POST"])
def product_new(request):
    actor = current_actor(request)
    categories = selectors.list_categories()
    form = ProductForm(request.POST or None, categories=categories)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.create_product(actor=actor, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Product created. Add its SKUs."))
            return redirect("catalog:product", product_id=product.pk)
    status = 422 if form.errors else 200
    return TemplateResponse(
        request, "catalog/product_form.html", {"form": form, "product": None}, status=status
    )


@allow(MERCHANT_MEMBER)
@require_http_methods(["GET", "POST"])
def product(request, product_id: int):
    actor = current_actor(request)
    item = selectors.get_product(actor=actor, product_id=product_id)
    categories = selectors.list_categories()
    form = ProductForm(
        request.POST or None, categories=categories, initial=ProductForm.initial_for(item)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_product(actor=actor, product_id=item.pk, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Product saved."))
            return redirect("catalog:product", product_id=item.pk)
    skus = list(item.skus.all())
    codes, checklist = selectors.visibility_checklist(actor=actor, skus=skus)
    return TemplateResponse(
        request,
        "catalog/product.html",
        {
            "product": item,
            "form": form,
            "skus": skus,
            "sku_form": SkuForm(initial={"readiness": "ready"}),
            "markets": codes,
            "rows": [(s, [checklist[(s.pk, c)] for c in codes]) for s in skus],
        },
        status=422 if form.errors else 200,
    )


@allow(MERCHANT_MEMBER)
@require_POST
def sku_new(request, product_id: int):
    actor = current_actor(request)
    item = selectors.get_product(actor=actor, product_id=product_id)
    form = SkuForm(request.POST)
    if form.is_valid():
        try:
            sku = services.create_sku(actor=actor, product_id=item.pk, **form.fields_for_service())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("SKU %(code)s added.") % {"code": sku.code})
            return redirect("catalog:product", product_id=item.pk)
    return TemplateResponse(
        request, "catalog/sku_form.html", {"form": form, "product": item, "sku": None}, status=422
    )


@allow(MERCHANT_MEMBER)
@require_POST
def image_new(request, product_id: int):
    actor = current_actor(request)
    item = selectors.get_product(actor=actor, product_id=product_id)
    form = ImageForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose an image file."))
        return redirect("catalog:product", product_id=item.pk)
    upload = form.cleaned_data["image"]
    try:
        services.add_image(
            actor=actor, product_id=item.pk, data=upload.read(services.images.MAX_BYTES + 1)
        )
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("Image added."))
    return redirect("catalog:product", product_id=item.pk)


@allow(MERCHANT_MEMBER)
@require_http_methods(["GET", "POST"])
def sku(request, sku_id: int):
    actor = current_actor(request)
    item = selectors.get_sku(actor=actor, sku_id=sku_id)
    form = SkuForm(request.POST or None, initial=SkuForm.initial_for(item))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_sku(actor=actor, sku_id=item.pk, **form.fields_for_service())
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("SKU saved."))
            return redirect("catalog:product", product_id=item.product_id)
    return TemplateResponse(
        request,
        "catalog/sku_form.html",
        {"form": form, "product": item.product, "sku": item},
        status=422 if form.errors else 200,
    )


@allow(MERCHANT_MEMBER)
def prices(request):
    """The price grid: SKU × market, the price in force and any scheduled change."""
    actor = current_actor(request)
    page = Paginator(selectors.list_skus(actor=actor), 50).get_page(request.GET.get("page"))
    skus = list(page.object_list)
    codes, checklist = selectors.visibility_checklist(actor=actor, skus=skus)
    grid = selectors.price_grid(actor=actor, skus=skus, market_codes=codes)
    rows = [
        (
            s,
            [
                (code, *grid.get((s.pk, code), (None, None)), checklist[(s.pk, code)])
                for code in codes
            ],
        )
        for s in skus
    ]
    all_markets = [m for m in markets.list_markets() if m.code not in codes]
    return TemplateResponse(
        request,
        "catalog/prices.html",
        {"page": page, "markets": codes, "rows": rows, "other_markets": all_markets},
    )


@allow(MERCHANT_MEMBER)
@require_http_methods(["GET", "POST"])
def price_edit(request, sku_id: int, market: str):
    actor = current_actor(request)
    item = selectors.get_sku(actor=actor, sku_id=sku_id)
    try:
        market_obj = markets.get_market(market)
    except DomainError:
        raise NotFound("No such market.") from None
    current = selectors.price_in_force(item.pk, market_obj.code)
    initial = {}
    if current is not None:
        initial = {
            "unit_price": current.unit.rounded().amount,
            "moq": current.moq,
            "increment": current.increment,
            "breaks": "\n".join(f"{b['min_quantity']}={b['unit_price']}" for b in current.breaks),
        }
    form = PriceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_price(
                actor=actor,
                sku_id=item.pk,
                market_code=market_obj.code,
                currency=market_obj.currency,
                unit_price=data["unit_price"],
                breaks=data["breaks"],
                moq=data["moq"],
                increment=data["increment"],
                effective_from=data["effective_from"],
                source="page",
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Price of %(sku)s in %(market)s saved.")
                % {"sku": item.code, "market": market_obj.code},
            )
            return redirect("catalog:prices")
    history = selectors.list_price_history(actor=actor, sku_id=item.pk, market_code=market_obj.code)
    return TemplateResponse(
        request,
        "catalog/price_form.html",
        {"form": form, "sku": item, "market": market_obj, "history": history[:50]},
        status=422 if form.errors else 200,
    )


@allow(MERCHANT_MEMBER)
def stock(request):
    """Stock per SKU and warehouse, each cell a versioned set (the page's If-Match)."""
    actor = current_actor(request)
    page = Paginator(selectors.list_skus(actor=actor), 50).get_page(request.GET.get("page"))
    skus = list(page.object_list)
    warehouses = list(merchants.list_warehouses(actor=actor))
    levels = {
        (lv.sku_id, lv.warehouse_id): lv
        for lv in selectors.list_stock(actor=actor).filter(sku_id__in=[s.pk for s in skus])
    }
    rows = [(s, [(w, levels.get((s.pk, w.pk))) for w in warehouses]) for s in skus]
    return TemplateResponse(
        request, "catalog/stock.html", {"page": page, "warehouses": warehouses, "rows": rows}
    )


@allow(MERCHANT_MEMBER)
@require_POST
def stock_set(request, sku_id: int, warehouse_id: int):
    actor = current_actor(request)
    form = StockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a whole number."))
        return redirect("catalog:stock")
    try:
        level = services.set_stock(
            actor=actor,
            sku_id=sku_id,
            warehouse_id=warehouse_id,
            on_hand=form.cleaned_data["on_hand"],
            if_match=form.cleaned_data["version"],
        )
    except DomainError as error:
        if error.status == 404:
            raise
        if error.status == 412:
            messages.error(
                request, _("Stock changed meanwhile (another sync?). Check the new figure.")
            )
        else:
            messages.error(request, error.message)
        return redirect("catalog:stock")
    if request.htmx:
        return TemplateResponse(
            request,
            "catalog/_stock_cell.html",
            {"sku": level.sku, "w": level.warehouse, "level": level, "saved": True},
        )
    messages.success(request, _("Stock saved."))
    return redirect("catalog:stock")


@allow(MERCHANT_MEMBER)
def visibility(request):
    actor = current_actor(request)
    page = Paginator(selectors.list_skus(actor=actor), 50).get_page(request.GET.get("page"))
    skus = list(page.object_list)
    codes, checklist = selectors.visibility_checklist(actor=actor, skus=skus)
    rows = [(s, [checklist[(s.pk, c)] for c in codes]) for s in skus]
    return TemplateResponse(
        request, "catalog/visibility.html", {"page": page, "markets": codes, "rows": rows}
    )
