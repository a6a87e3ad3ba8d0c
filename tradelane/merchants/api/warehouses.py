"""Merchants' warehouses and profile; the public merchant profile."""

from datetime import time

from ninja import Router, Status
from ninja.pagination import paginate

from tradelane.core import idempotency
from tradelane.core.access import MERCHANT_MEMBER, MERCHANT_OWNER, PUBLIC, allow, current_actor
from tradelane.core.api import ERRORS, Pagination, RowId

from .. import selectors, services
from ..schemas import (
    MyProfileOut,
    ProfileIn,
    PublicProfileOut,
    WarehouseIn,
    WarehouseOut,
    WarehousePatchIn,
)
from .common import as_json

router = Router(tags=["merchant program"])
TIMES = ("opens_at", "closes_at", "pickup_cutoff")


def _fields(data: dict) -> dict:
    return {
        k: (time.fromisoformat(v) if k in TIMES and v is not None else v) for k, v in data.items()
    }


@router.get(
    "/merchant/warehouses",
    response={200: list[WarehouseOut], **ERRORS},
    summary="Your warehouses",
)
@allow(MERCHANT_MEMBER)
@paginate(Pagination)
def list_warehouses(request, active: bool | None = None):
    return [
        WarehouseOut.of(w)
        for w in selectors.list_warehouses(actor=current_actor(request), active=active)
    ]


@router.post(
    "/merchant/warehouses",
    response={201: WarehouseOut, **ERRORS},
    summary="Register a warehouse",
)
@allow(MERCHANT_MEMBER)
def create_warehouse(request, payload: WarehouseIn):
    """The pickup address is validated for the country (422 `invalid_address` naming the
    field), the phone is stored in E.164. Accepts `Idempotency-Key`."""
    data = payload.model_dump()

    def action():
        warehouse = services.create_warehouse(actor=current_actor(request), **_fields(data))
        return 201, as_json(WarehouseOut, WarehouseOut.of(warehouse))

    status, body = idempotency.run(
        request, operation="merchants.create_warehouse", payload=data, action=action
    )
    return Status(status, body)


@router.get(
    "/merchant/warehouses/{warehouse_id}",
    response={200: WarehouseOut, **ERRORS},
    summary="One of your warehouses",
)
@allow(MERCHANT_MEMBER)
def get_warehouse(request, warehouse_id: int = RowId):
    return WarehouseOut.of(
        selectors.get_warehouse(actor=current_actor(request), warehouse_id=warehouse_id)
    )


@router.patch(
    "/merchant/warehouses/{warehouse_id}",
    response={200: WarehouseOut, **ERRORS},
    summary="Edit a warehouse",
)
@allow(MERCHANT_MEMBER)
def update_warehouse(request, payload: WarehousePatchIn, warehouse_id: int = RowId):
    """Send `is_active: false` to stop pickups there."""
    data = payload.model_dump(exclude_unset=True)
    warehouse = services.update_warehouse(
        actor=current_actor(request), warehouse_id=warehouse_id, **_fields(data)
    )
    return WarehouseOut.of(warehouse)


def _my_profile(actor) -> dict:
    profile = selectors.get_profile(actor.organisation)
    day = selectors.today()
    admissions = selectors.list_admissions(actor.organisation_id)
    return {
        "organisation_id": actor.organisation_id,
        "name": actor.organisation.name,
        "operating_model": profile.operating_model,
        "about": profile.about,
        "city": profile.city,
        "years_exporting": profile.years_exporting,
        "categories": profile.categories,
        "active_markets": selectors.list_active_markets(actor.organisation_id, on=day),
        "admissions": [
            {
                "market": a.market_id,
                "edition": a.edition.name,
                "active_from": a.active_from,
                "active_until": a.active_until,
                "active_today": a.active_from <= day
                and (a.active_until is None or day < a.active_until),
            }
            for a in admissions
        ],
    }


@router.get(
    "/merchant/profile", response={200: MyProfileOut, **ERRORS}, summary="Your merchant profile"
)
@allow(MERCHANT_MEMBER)
def get_profile(request):
    """With the operating model and the markets you are (or will be) active in."""
    return _my_profile(current_actor(request))


@router.patch(
    "/merchant/profile", response={200: MyProfileOut, **ERRORS}, summary="Edit your profile"
)
@allow(MERCHANT_OWNER)
def update_profile(request, payload: ProfileIn):
    actor = current_actor(request)
    services.update_profile(actor=actor, **payload.model_dump(exclude_unset=True))
    return _my_profile(actor)


@router.get(
    "/merchants/{organisation_id}/profile",
    auth=None,
    response={200: PublicProfileOut, **ERRORS},
    summary="A merchant's public profile",
)
@allow(PUBLIC)
def public_profile(request, organisation_id: int = RowId):
    """Only merchants admitted to the program. Response time and on-time handover rate are
    null until there is enough data."""
    return PublicProfileOut.of(selectors.get_public_profile(organisation_id))
