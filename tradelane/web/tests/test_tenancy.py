"""Another tenant's object answers 404 — on every API operation and page that takes an id.

Each operation with a path parameter must be listed here: in TENANT_CASES (a factory that
makes an object belonging to another tenant) or in GLOBAL_RESOURCES (platform data such as
markets, not owned by a tenant). A new endpoint that is in neither fails the first test.
"""

import pytest

from config.api import api as ninja_api
from tradelane.accounts import services as accounts
from tradelane.accounts.models import ApiToken, Invitation, Membership, Notification
from tradelane.accounts.notifications import notify
from tradelane.core.access import declared_rules
from tradelane.core.api import operations
from tradelane.merchants import services as merchants
from tradelane.merchants.models import Application, Warehouse
from tradelane.merchants.testing import make_edition, make_warehouse


def other_token(victim, intruder):
    token, _ = accounts.create_token(actor=victim, name="victim's")
    return token.pk


def other_invitation(victim, intruder):
    return accounts.invite_member(actor=victim, email="invitee@victim.test", role="staff").pk


def other_member(victim, intruder):
    return Membership.objects.get(user=victim.user).pk


def other_application(victim, intruder):
    edition = make_edition(None, name=f"Tenancy edition {victim.organisation_id}")
    return merchants.start_application(actor=victim, edition_id=edition.pk, export_years=3).pk


def other_warehouse(victim, intruder):
    return make_warehouse(victim).pk


def other_notification(victim, intruder):
    return notify(
        organisation_id=victim.organisation_id, kind="test", title="Private", dedupe_key="t"
    ).pk


TENANT_CASES = {
    "DELETE /tokens/{token_id}": other_token,
    "DELETE /invitations/{invitation_id}": other_invitation,
    "DELETE /members/{membership_id}": other_member,
    "GET /merchant/applications/{application_id}": other_application,
    "PATCH /merchant/applications/{application_id}": other_application,
    "POST /merchant/applications/{application_id}/submit": other_application,
    "POST /merchant/applications/{application_id}/eligibility": other_application,
    "GET /merchant/warehouses/{warehouse_id}": other_warehouse,
    "PATCH /merchant/warehouses/{warehouse_id}": other_warehouse,
    "POST /notifications/{notification_id}/read": other_notification,
}
PAGE_CASES = {
    "/account/tokens/{id}/revoke/": other_token,
    "/account/invitations/{id}/revoke/": other_invitation,
    "/account/members/{id}/remove/": other_member,
    "/merchant/applications/{id}/": other_application,
    "/merchant/applications/{id}/eligibility/": other_application,
    "/merchant/warehouses/{id}/": other_warehouse,
    "/account/notifications/{id}/read/": other_notification,
}
# Operator-only: every application, by design; merchants and buyers are refused (403).
OPERATOR_ONLY = {
    "GET /program/applications/{application_id}": {},
    "POST /program/applications/{application_id}/approve": {},
    "POST /program/applications/{application_id}/reject": {"reasons": "no"},
    "POST /program/applications/{application_id}/request-changes": {"note": "fix"},
}
GLOBAL_RESOURCES = {
    "GET /logistics/rate-cards/{card_id}",
    "POST /logistics/rate-cards/{card_id}/revisions",
    "POST /logistics/duty-rates/{rate_id}/end",
    "GET /markets/{code}",
    "PATCH /markets/{code}",
    "POST /markets/{code}/launch",
    "POST /markets/{code}/status",
    "POST /markets/{code}/tax-regimes",
    "POST /markets/{code}/tax-regimes/{regime_id}/end",
    "POST /markets/{code}/fees",
    "POST /markets/{code}/fees/{fee_id}/end",
    "GET /program/editions/{edition_id}",
    "PATCH /program/editions/{edition_id}",
    "GET /program/editions/{edition_id}/rules",
    "PATCH /program/editions/{edition_id}/rules/{code}",
    "GET /merchants/{organisation_id}/profile",  # public: admitted merchants only
}


def test_every_operation_with_an_id_is_covered():
    with_params = {
        f"{method} {path}"
        for method, path, view in operations(ninja_api)
        if "{" in path and declared_rules(view)
    }
    uncovered = with_params - set(TENANT_CASES) - GLOBAL_RESOURCES - set(OPERATOR_ONLY)
    assert uncovered == set(), "add a tenancy case (or mark the resource global)"


@pytest.mark.django_db
@pytest.mark.parametrize("operation", sorted(TENANT_CASES))
@pytest.mark.parametrize("victim_fixture", ["merchant_owner", "buyer_owner"])
def test_api_answers_404_for_another_tenants_object(api, request, operation, victim_fixture):
    victim = request.getfixturevalue(victim_fixture)
    intruder = request.getfixturevalue("other_merchant")
    object_id = TENANT_CASES[operation](victim, intruder)
    method, path = operation.split(" ")
    url = path.replace(path[path.index("{") : path.index("}") + 1], str(object_id))
    client = api(intruder)
    before = _state()
    response = getattr(client, method.lower())(url)
    assert response.status_code == 404, response.content
    assert response.json()["code"] == "not_found"
    assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("page_url", sorted(PAGE_CASES))
def test_pages_answer_404_for_another_tenants_object(page_client, request, page_url):
    victim = request.getfixturevalue("buyer_owner")
    intruder = request.getfixturevalue("other_merchant")
    object_id = PAGE_CASES[page_url](victim, intruder)
    before = _state()
    response = page_client(intruder).post(page_url.replace("{id}", str(object_id)))
    assert response.status_code == 404
    assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("operation", sorted(OPERATOR_ONLY))
@pytest.mark.parametrize("intruder_fixture", ["other_merchant", "buyer_owner"])
def test_operator_only_operations_refuse_merchants_and_buyers(
    api, request, merchant_owner, operation, intruder_fixture
):
    application_id = other_application(merchant_owner, None)
    method, path = operation.split(" ")
    url = path.replace("{application_id}", str(application_id))
    client = api(request.getfixturevalue(intruder_fixture))
    before = _state()
    response = getattr(client, method.lower())(
        url, *([OPERATOR_ONLY[operation]] if method == "POST" else [])
    )
    assert response.status_code == 403, response.content
    assert _state() == before


def _state():
    return (
        list(ApiToken.objects.order_by("pk").values_list("pk", "revoked_at")),
        list(Invitation.objects.order_by("pk").values_list("pk", "revoked_at")),
        list(Membership.objects.order_by("pk").values_list("pk", "role")),
        list(Application.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        list(Warehouse.objects.order_by("pk").values_list("pk", "name", "updated_at")),
        list(Notification.objects.order_by("pk").values_list("pk", "read_at")),
    )
