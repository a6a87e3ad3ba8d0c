"""Editions (operators), profile and operating model, the public profile, notifications."""

import pytest

from tradelane.accounts.notifications import notify
from tradelane.core.models import AuditEntry
from tradelane.merchants import services
from tradelane.merchants.models import EligibilityRule, ProgramEdition
from tradelane.merchants.testing import answers, make_edition, make_warehouse

pytestmark = pytest.mark.django_db

EDITION = {
    "name": "2027 expansion",
    "markets": ["JP", "AU"],
    "recruitment_opens_on": "2026-11-02",
    "recruitment_closes_on": "2027-01-29",
    "operations_start_on": "2027-03-01",
}


def test_operator_admin_creates_an_edition_with_default_rules(api, operator_admin):
    response = api(operator_admin).post(
        "/program/editions", EDITION, headers={"Idempotency-Key": "ed-1"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["markets"], body["pass_score"], body["recruiting"]) == (["AU", "JP"], 70, True)
    assert EligibilityRule.objects.filter(edition_id=body["id"]).count() == 7
    assert AuditEntry.objects.filter(action="merchants.edition_created").count() == 1
    again = api(operator_admin).post(
        "/program/editions", EDITION, headers={"Idempotency-Key": "ed-1"}
    )
    assert again.json() == body and ProgramEdition.objects.count() == 1


@pytest.mark.parametrize(
    "override, field",
    [
        ({"recruitment_closes_on": "2026-11-01"}, "recruitment_closes_on"),
        ({"operations_start_on": "2026-10-01"}, "operations_start_on"),
        ({"markets": ["ZZ"]}, "market_codes"),
    ],
)
def test_edition_input_is_checked(api, operator_admin, override, field):
    response = api(operator_admin).post("/program/editions", {**EDITION, **override})
    assert (response.status_code, response.json()["field"]) == (422, field)
    assert ProgramEdition.objects.count() == 0


def test_support_and_merchants_cannot_create_editions(api, operator_support, merchant_owner):
    assert api(operator_support).post("/program/editions", EDITION).status_code == 403
    assert api(merchant_owner).post("/program/editions", EDITION).status_code == 403
    assert ProgramEdition.objects.count() == 0


def test_a_market_with_applications_cannot_be_removed(api, operator_admin, merchant_owner):
    edition = make_edition(operator_admin)
    services.start_application(actor=merchant_owner, edition_id=edition.pk, target_markets=["DE"])
    response = api(operator_admin).patch(f"/program/editions/{edition.pk}", {"markets": ["US"]})
    assert (response.status_code, response.json()["code"]) == (409, "market_in_use")
    assert sorted(m.pk for m in edition.markets.all()) == ["DE", "US"]


def test_merchants_see_recruiting_editions(api, operator_admin, merchant_owner):
    make_edition(operator_admin, name="Open")
    make_edition(operator_admin, name="Closed", opens_in=-40, closes_in=-20, starts_in=-10)
    body = api(merchant_owner).get("/program/editions", {"recruiting": True}).json()
    assert [e["name"] for e in body["items"]] == ["Open"]


def test_operating_model_defaults_to_semi_managed_and_can_change(api, merchant_owner):
    client = api(merchant_owner)
    assert client.get("/merchant/profile").json()["operating_model"] == "semi_managed"
    response = client.patch("/merchant/profile", {"operating_model": "fully_managed"})
    assert response.json()["operating_model"] == "fully_managed"
    assert AuditEntry.objects.get(action="merchants.operating_model_changed").changes == {
        "operating_model": ["semi_managed", "fully_managed"]
    }


def test_staff_cannot_change_the_operating_model(api, merchant_staff):
    response = api(merchant_staff).patch("/merchant/profile", {"operating_model": "fully_managed"})
    assert response.status_code == 403


def test_public_profile_shows_admitted_merchants_without_fake_numbers(
    api, operator_admin, merchant_owner
):
    edition = make_edition(operator_admin, starts_in=-1, opens_in=-30, closes_in=5)
    warehouse = make_warehouse(merchant_owner)
    org = merchant_owner.organisation_id
    assert api().get(f"/merchants/{org}/profile").status_code == 404  # not admitted yet
    application = services.start_application(
        actor=merchant_owner, edition_id=edition.pk, submit=True, **answers([warehouse.pk])
    )
    services.approve_application(actor=operator_admin, application_id=application.pk)
    body = api().get(f"/merchants/{org}/profile").json()
    assert body == {
        "organisation_id": org,
        "name": "Shenzhen Volt",
        "country": "CN",
        "city": "Shenzhen Shi",
        "years_exporting": 6,
        "categories": ["Chargers", "Phone accessories"],
        "markets_served": ["DE", "US"],
        "about": "",
        "response_time_hours": None,
        "on_time_handover_rate": None,
    }


def test_notifications_list_and_read(api, merchant_owner, other_merchant):
    notice = notify(
        organisation_id=merchant_owner.organisation_id,
        kind="test",
        title="Hello",
        dedupe_key="k1",
    )
    client = api(merchant_owner)
    assert client.get("/notifications", {"unread": True}).json()["count"] == 1
    assert api(other_merchant).post(f"/notifications/{notice.pk}/read").status_code == 404
    read = client.post(f"/notifications/{notice.pk}/read")
    assert read.status_code == 200 and read.json()["read_at"] is not None
    assert client.get("/notifications", {"unread": True}).json()["count"] == 0
