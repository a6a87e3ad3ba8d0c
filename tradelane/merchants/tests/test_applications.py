"""Applying to the program: windows, markets, registration numbers, duplicates, decisions."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tradelane.accounts.models import Notification
from tradelane.core.errors import Conflict, InvalidInput, InvalidTransition
from tradelane.core.models import AuditEntry, OutboxEvent
from tradelane.merchants import selectors, services
from tradelane.merchants.models import Application, ApplicationStatusChange, MerchantMarket
from tradelane.merchants.testing import answers, make_edition, make_warehouse

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(operator_admin):
    return make_edition(operator_admin)


@pytest.fixture
def warehouse(merchant_owner):
    return make_warehouse(merchant_owner)


def test_draft_is_saved_and_resumed_with_partial_answers(api, merchant_owner, edition):
    client = api(merchant_owner)
    created = client.post("/merchant/applications", {"edition_id": edition.pk, "export_years": 3})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft"
    assert body["legal_name"] == "Shenzhen Volt"  # pre-filled from the organisation
    assert body["export_years"] == 3
    patched = client.patch(
        f"/merchant/applications/{body['id']}", {"ready_share_percent": 60}
    ).json()
    assert (patched["export_years"], patched["ready_share_percent"]) == (3, 60)
    ready = next(r for r in patched["eligibility"]["rules"] if r["code"] == "ready_stock")
    assert ready["outcome"] == "warn"


def test_submitting_a_complete_application(api, merchant_owner, edition, warehouse):
    client = api(merchant_owner)
    app_id = client.post("/merchant/applications", {"edition_id": edition.pk}).json()["id"]
    response = client.post(f"/merchant/applications/{app_id}/submit", answers([warehouse.pk]))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "submitted"
    assert body["registration_number"] == "91440300708461136T"
    assert body["registration_number_checked"] is True
    assert body["contact_phone"] == "+8675586001234"
    assert body["target_markets"] == ["DE", "US"]
    assert body["eligibility"]["score"] == 100
    history = ApplicationStatusChange.objects.filter(subject_id=app_id).order_by("id")
    assert [(h.from_status, h.to_status) for h in history] == [
        ("", "draft"),
        ("draft", "submitted"),
    ]


def test_incomplete_application_cannot_be_submitted(api, merchant_owner, edition):
    client = api(merchant_owner)
    app_id = client.post("/merchant/applications", {"edition_id": edition.pk}).json()["id"]
    response = client.post(f"/merchant/applications/{app_id}/submit", {})
    assert response.status_code == 422
    assert response.json()["code"] == "incomplete"
    assert Application.objects.get(pk=app_id).status == "draft"


def test_applying_before_recruitment_opens_is_refused(api, merchant_owner, operator_admin):
    edition = make_edition(operator_admin, opens_in=3, closes_in=30)
    response = api(merchant_owner).post("/merchant/applications", {"edition_id": edition.pk})
    assert response.status_code == 409
    assert response.json()["code"] == "recruitment_not_open"
    assert "opens on" in response.json()["message"]
    assert Application.objects.count() == 0


def test_applying_after_recruitment_closed_is_refused(api, merchant_owner, operator_admin):
    edition = make_edition(operator_admin, opens_in=-30, closes_in=-1, starts_in=1)
    response = api(merchant_owner).post(
        "/merchant/applications", {"edition_id": edition.pk, **answers(), "submit": True}
    )
    assert response.status_code == 409
    assert response.json() == {
        "code": "recruitment_closed",
        "message": f"Recruitment for Test edition closed on {edition.recruitment_closes_on:%Y-%m-%d}.",
        "field": "edition_id",
    }
    assert Application.objects.count() == 0


def test_draft_cannot_be_submitted_once_the_window_closed(merchant_owner, edition, warehouse):
    application = services.start_application(
        actor=merchant_owner, edition_id=edition.pk, **answers([warehouse.pk])
    )
    edition.recruitment_closes_on = timezone.localdate() - timedelta(days=1)
    edition.recruitment_opens_on = timezone.localdate() - timedelta(days=20)
    edition.save()
    with pytest.raises(Conflict) as error:
        services.submit_application(actor=merchant_owner, application_id=application.pk)
    assert error.value.code == "recruitment_closed"
    assert Application.objects.get(pk=application.pk).status == "draft"


def test_a_market_outside_the_edition_is_refused(api, merchant_owner, edition):
    response = api(merchant_owner).post(
        "/merchant/applications", {"edition_id": edition.pk, "target_markets": ["US", "JP"]}
    )
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["field"]) == ("market_not_in_edition", "target_markets")
    assert body["message"] == "JP is not a market of Test edition (it covers DE, US)."
    assert Application.objects.count() == 0


def test_an_invalid_unified_social_credit_code_is_a_field_error(api, merchant_owner, edition):
    response = api(merchant_owner).post(
        "/merchant/applications",
        {"edition_id": edition.pk, "registration_country": "CN",
         "registration_number": "91440300708461136X"},
    )  # fmt: skip
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["field"]) == ("invalid_registration_number", "registration_number")
    assert body["message"].startswith("This is not a valid CN unified social credit code")
    assert Application.objects.count() == 0


def test_registration_numbers_of_other_countries_are_checked_where_possible(
    merchant_owner, edition
):
    application = services.start_application(
        actor=merchant_owner,
        edition_id=edition.pk,
        registration_country="DE",
        registration_number="DE 136695976",
    )
    assert (application.registration_number, application.registration_number_checked) == (
        "DE136695976",
        True,
    )
    with pytest.raises(InvalidInput):
        services.update_application(
            actor=merchant_owner, application_id=application.pk, registration_number="DE136695977"
        )
    application = services.update_application(
        actor=merchant_owner,
        application_id=application.pk,
        registration_country="HK",
        registration_number="12345678",
    )
    assert (application.registration_number, application.registration_number_checked) == (
        "12345678",
        False,
    )


def test_a_second_application_to_the_same_edition_is_refused(api, merchant_owner, edition):
    client = api(merchant_owner)
    first = client.post("/merchant/applications", {"edition_id": edition.pk})
    second = client.post("/merchant/applications", {"edition_id": edition.pk})
    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["code"] == "already_applied"
    assert Application.objects.count() == 1


def test_create_is_idempotent_with_a_key(api, merchant_owner, edition):
    client = api(merchant_owner)
    headers = {"Idempotency-Key": "apply-1"}
    first = client.post("/merchant/applications", {"edition_id": edition.pk}, headers=headers)
    again = client.post("/merchant/applications", {"edition_id": edition.pk}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert Application.objects.count() == 1


def test_another_merchants_warehouse_cannot_be_linked(merchant_owner, other_merchant, edition):
    foreign = make_warehouse(other_merchant)
    with pytest.raises(InvalidInput) as error:
        services.start_application(
            actor=merchant_owner, edition_id=edition.pk, warehouse_ids=[foreign.pk]
        )
    assert (error.value.code, error.value.field) == ("unknown_warehouse", "warehouse_ids")


def _submitted(merchant, edition, warehouse):
    return services.start_application(
        actor=merchant, edition_id=edition.pk, submit=True, **answers([warehouse.pk])
    )


def test_approval_activates_the_merchant_from_the_operations_start_not_before(
    operator_admin, merchant_owner, edition, warehouse
):
    application = _submitted(merchant_owner, edition, warehouse)
    services.approve_application(actor=operator_admin, application_id=application.pk)
    start = edition.operations_start_on
    org = merchant_owner.organisation_id
    assert selectors.is_merchant_active(org, "US", on=start - timedelta(days=1)) is False
    assert selectors.is_merchant_active(org, "US", on=start) is True
    assert selectors.is_merchant_active(org, "FR", on=start) is False
    assert selectors.list_active_markets(org, on=start) == ["DE", "US"]
    assert selectors.list_active_markets(org) == []  # today is before the start
    entry = AuditEntry.objects.get(action="merchants.application_approved")
    assert entry.target_id == str(application.pk)
    assert entry.changes == {"status": ["submitted", "approved"]}


def test_late_approval_activates_from_the_day_of_approval(
    operator_admin, merchant_owner, warehouse
):
    edition = make_edition(operator_admin, opens_in=-30, closes_in=10, starts_in=-5)
    application = _submitted(merchant_owner, edition, warehouse)
    services.approve_application(actor=operator_admin, application_id=application.pk)
    assert set(MerchantMarket.objects.values_list("active_from", flat=True)) == {
        timezone.localdate()
    }


def test_decisions_notify_the_merchant_by_mail_and_in_app(
    operator_admin, merchant_owner, edition, warehouse, django_capture_on_commit_callbacks
):
    application = _submitted(merchant_owner, edition, warehouse)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_application(
            actor=operator_admin, application_id=application.pk, note="Welcome aboard"
        )
    notice = Notification.objects.get(organisation_id=merchant_owner.organisation_id)
    assert notice.title == "Your application to Test edition is approved"
    assert notice.body == (
        f"You are active in DE, US from {edition.operations_start_on:%Y-%m-%d}.\n\nWelcome aboard"
    )
    assert notice.link == f"/merchant/applications/{application.pk}/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Your application to Test edition is approved"
    assert sorted(mail.outbox[0].to) == ["li.wei@shenzhen.test", "owner@shenzhen.test"]
    event = OutboxEvent.objects.get(topic="merchants.application_decided")
    assert event.delivered_at is not None


def test_a_redelivered_decision_event_leaves_one_notice(
    operator_admin, merchant_owner, edition, warehouse
):
    from tradelane.core.outbox import Event
    from tradelane.merchants.handlers import notify_application_decision

    application = _submitted(merchant_owner, edition, warehouse)
    services.reject_application(
        actor=operator_admin, application_id=application.pk, reasons="No export licence."
    )
    row = OutboxEvent.objects.get(topic="merchants.application_decided")
    event = Event(row.pk, row.topic, row.payload, row.created_at)
    notify_application_decision(event)
    notify_application_decision(event)
    assert Notification.objects.filter(organisation_id=merchant_owner.organisation_id).count() == 1


def test_reject_needs_reasons(operator_admin, merchant_owner, edition, warehouse):
    application = _submitted(merchant_owner, edition, warehouse)
    with pytest.raises(InvalidInput) as error:
        services.reject_application(
            actor=operator_admin, application_id=application.pk, reasons=" "
        )
    assert error.value.code == "reasons_required"
    assert Application.objects.get(pk=application.pk).status == "submitted"
    assert not OutboxEvent.objects.filter(topic="merchants.application_decided").exists()


def test_changes_requested_goes_back_to_the_merchant_who_resubmits(
    api, operator_admin, merchant_owner, edition, warehouse
):
    application = _submitted(merchant_owner, edition, warehouse)
    services.request_changes(
        actor=operator_admin, application_id=application.pk, note="Add your Yiwu warehouse."
    )
    client = api(merchant_owner)
    edited = client.patch(f"/merchant/applications/{application.pk}", {"export_years": 7})
    assert edited.status_code == 200
    assert edited.json()["decision_reasons"] == "Add your Yiwu warehouse."
    resubmitted = client.post(f"/merchant/applications/{application.pk}/submit", {})
    assert resubmitted.json()["status"] == "submitted"
    statuses = list(
        ApplicationStatusChange.objects.filter(subject=application)
        .order_by("id")
        .values_list("to_status", flat=True)
    )
    assert statuses == ["draft", "submitted", "changes_requested", "submitted"]


def test_a_submitted_application_cannot_be_edited_or_decided_twice(
    api, operator_admin, merchant_owner, edition, warehouse
):
    application = _submitted(merchant_owner, edition, warehouse)
    edited = api(merchant_owner).patch(
        f"/merchant/applications/{application.pk}", {"export_years": 1}
    )
    assert edited.status_code == 409
    assert edited.json()["code"] == "not_editable"
    services.approve_application(actor=operator_admin, application_id=application.pk)
    with pytest.raises(InvalidTransition):
        services.reject_application(
            actor=operator_admin, application_id=application.pk, reasons="x"
        )
    assert Application.objects.get(pk=application.pk).status == "approved"
    assert MerchantMarket.objects.count() == 2


def test_a_rejected_merchant_reapplies_in_a_later_edition(
    api, operator_admin, merchant_owner, edition, warehouse
):
    application = _submitted(merchant_owner, edition, warehouse)
    services.reject_application(
        actor=operator_admin, application_id=application.pk, reasons="Too little stock."
    )
    client = api(merchant_owner)
    same = client.post("/merchant/applications", {"edition_id": edition.pk})
    assert same.status_code == 409 and same.json()["code"] == "already_applied"
    later = make_edition(operator_admin, name="Later edition", markets=("US", "GB"))
    response = client.post(
        "/merchant/applications",
        {"edition_id": later.pk, **answers([warehouse.pk], target_markets=["GB"]), "submit": True},
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "submitted"


def test_review_queue_filters_and_pages(api, operator_support, merchant_owner, other_merchant,
                                        operator_admin, edition, warehouse):  # fmt: skip
    _submitted(merchant_owner, edition, warehouse)
    weak = services.start_application(
        actor=other_merchant, edition_id=edition.pk, submit=True,
        **answers(target_markets=["DE"], export_years=0, ready_share_percent=20),
    )  # fmt: skip
    client = api(operator_support)
    everything = client.get("/program/applications").json()
    assert everything["count"] == 2
    low = client.get("/program/applications", {"max_score": 60}).json()
    assert [a["id"] for a in low["items"]] == [weak.pk]
    us = client.get("/program/applications", {"market": "US"}).json()
    assert [a["organisation_name"] for a in us["items"]] == ["Shenzhen Volt"]
    paged = client.get("/program/applications", {"page_size": 1, "page": 2}).json()
    assert [a["id"] for a in paged["items"]] == [weak.pk]
    detail = client.get(f"/program/applications/{weak.pk}").json()
    outcome = {r["code"]: r["outcome"] for r in detail["eligibility"]["rules"]}
    assert outcome["own_warehouse"] == "fail" and outcome["ready_stock"] == "fail"
    assert [h["to_status"] for h in detail["history"]] == ["draft", "submitted"]


def test_merchants_cannot_use_the_review_endpoints(api, merchant_owner, edition, warehouse):
    application = _submitted(merchant_owner, edition, warehouse)
    response = api(merchant_owner).post(f"/program/applications/{application.pk}/approve", {})
    assert response.status_code == 403
    assert Application.objects.get(pk=application.pk).status == "submitted"


def test_tuning_a_rule_rescores_open_applications(
    api, operator_admin, merchant_owner, edition, warehouse
):
    application = _submitted(merchant_owner, edition, warehouse)
    assert application.eligibility_score == 100
    response = api(operator_admin).patch(
        f"/program/editions/{edition.pk}/rules/export_experience", {"pass_at": 10, "warn_at": 5}
    )
    assert response.status_code == 200, response.content
    application.refresh_from_db()
    assert application.eligibility_score == 93  # 15 weight warns: 100 - 7.5 → 93
    bad = api(operator_admin).patch(
        f"/program/editions/{edition.pk}/rules/export_experience", {"warn_at": 11}
    )
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_thresholds"


def test_live_eligibility_preview_saves_nothing(api, merchant_owner, edition):
    client = api(merchant_owner)
    app_id = client.post("/merchant/applications", {"edition_id": edition.pk}).json()["id"]
    preview = client.post(
        f"/merchant/applications/{app_id}/eligibility", {"export_years": 9}
    ).json()
    rule = next(r for r in preview["rules"] if r["code"] == "export_experience")
    assert (rule["outcome"], rule["reason"]) == ("pass", "9 years of export experience.")
    assert Application.objects.get(pk=app_id).export_years is None
