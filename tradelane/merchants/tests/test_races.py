"""Threaded races on PostgreSQL: one application per merchant and edition, one decision."""

from tradelane.core.errors import Conflict, InvalidTransition
from tradelane.core.testing import postgres_only, race, run_together
from tradelane.merchants import services
from tradelane.merchants.models import Application, ApplicationStatusChange
from tradelane.merchants.testing import answers, make_edition, make_warehouse

pytestmark = postgres_only


@race
def test_two_concurrent_submissions_make_one_application(operator_admin, merchant_owner):
    edition = make_edition(operator_admin)
    warehouse = make_warehouse(merchant_owner)

    def apply():
        return services.start_application(
            actor=merchant_owner, edition_id=edition.pk, submit=True, **answers([warehouse.pk])
        )

    results = run_together(apply, apply)
    assert sorted(kind for kind, _ in results) == ["error", "ok"]
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, Conflict)
    assert (error.status, error.code) == (409, "already_applied")
    assert Application.objects.filter(organisation=merchant_owner.organisation).count() == 1
    assert Application.objects.get().status == "submitted"


@race
def test_two_concurrent_submits_of_one_draft_submit_once(operator_admin, merchant_owner):
    edition = make_edition(operator_admin)
    warehouse = make_warehouse(merchant_owner)
    draft = services.start_application(
        actor=merchant_owner, edition_id=edition.pk, **answers([warehouse.pk])
    )

    def submit():
        return services.submit_application(actor=merchant_owner, application_id=draft.pk)

    results = run_together(submit, submit)
    assert sorted(kind for kind, _ in results) == ["error", "ok"]
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, InvalidTransition) and error.status == 409
    assert ApplicationStatusChange.objects.filter(subject=draft, to_status="submitted").count() == 1
