"""Checking an application's answers: each given answer is validated on its own (drafts
may be partial); `require_complete` says what a submission still lacks."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from tradelane.core.errors import InvalidInput

from ..addresses import check_country, normalise_phone
from ..models import Application, ProgramEdition, Warehouse
from ..registration import check_registration_number

ANSWER_FIELDS = (
    "legal_name",
    "registration_country",
    "registration_number",
    "contact_name",
    "contact_email",
    "contact_phone",
    "export_years",
    "categories",
    "target_markets",
    "warehouse_ids",
    "ready_share_percent",
    "near_ready_lead_days",
    "daily_handover_capacity",
    "other_marketplaces",
)
REQUIRED_TO_SUBMIT = (
    "legal_name",
    "registration_country",
    "registration_number",
    "contact_name",
    "contact_email",
    "contact_phone",
    "export_years",
    "categories",
    "target_markets",
    "ready_share_percent",
    "near_ready_lead_days",
    "daily_handover_capacity",
)
BOUNDS = {
    "export_years": (0, 100),
    "ready_share_percent": (0, 100),
    "near_ready_lead_days": (0, 365),
    "daily_handover_capacity": (0, 1_000_000),
}
MAX_LIST = 20


def _text(value, field: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput("Must be text.", field=field)
    value = value.strip()
    if len(value) > limit:
        raise InvalidInput(f"At most {limit} characters.", field=field)
    return value


def clean_names(value, field: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise InvalidInput("Must be a list.", field=field)
    out: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip() or len(item.strip()) > 60:
            raise InvalidInput("Each entry is 1 to 60 characters.", field=f"{field}[{i}]")
        if item.strip().casefold() not in {x.casefold() for x in out}:
            out.append(item.strip())
    if len(out) > MAX_LIST:
        raise InvalidInput(f"At most {MAX_LIST} entries.", field=field)
    return out


def clean_answers(
    answers: dict, *, application: Application, edition: ProgramEdition
) -> tuple[dict, list[str] | None, list[Warehouse] | None]:
    """Validated field values, target market codes and warehouses (None = not given)."""
    unknown = sorted(set(answers) - set(ANSWER_FIELDS))
    if unknown:
        raise InvalidInput(f"Unknown answer {unknown[0]!r}.", field=unknown[0])
    values: dict = {}
    if "legal_name" in answers:
        values["legal_name"] = _text(answers["legal_name"], "legal_name", 200)
    if "registration_country" in answers:
        country = answers["registration_country"]
        values["registration_country"] = (
            check_country(country, field="registration_country") if country else ""
        )
    country = values.get("registration_country", application.registration_country)
    if "registration_number" in answers or (
        "registration_country" in answers and application.registration_number
    ):
        number = answers.get("registration_number", application.registration_number)
        if number:
            if not country:
                raise InvalidInput(
                    "Give the country of registration first.", field="registration_country"
                )
            checked = check_registration_number(country, number)
            values["registration_number"] = checked.number
            values["registration_number_checked"] = checked.checked
        else:
            values["registration_number"] = ""
            values["registration_number_checked"] = False
    if "contact_name" in answers:
        values["contact_name"] = _text(answers["contact_name"], "contact_name", 120)
    if "contact_email" in answers:
        email = _text(answers["contact_email"], "contact_email", 254).lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise InvalidInput("Enter a valid e-mail address.", field="contact_email") from None
        values["contact_email"] = email
    if "contact_phone" in answers:
        phone = answers["contact_phone"]
        values["contact_phone"] = (
            normalise_phone(phone, country=country or application.organisation.country)
            if phone
            else ""
        )
    for field, (low, high) in BOUNDS.items():
        if field in answers:
            value = answers[field]
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high
            ):
                raise InvalidInput(f"Give a whole number from {low} to {high}.", field=field)
            values[field] = value
    if "categories" in answers:
        values["categories"] = clean_names(answers["categories"], "categories")
    if "other_marketplaces" in answers:
        values["other_marketplaces"] = clean_names(
            answers["other_marketplaces"], "other_marketplaces"
        )
    markets = None
    if "target_markets" in answers:
        markets = _target_markets(answers["target_markets"] or [], edition)
    warehouses = None
    if "warehouse_ids" in answers:
        warehouses = _warehouses(answers["warehouse_ids"] or [], application.organisation_id)
    return values, markets, warehouses


def _target_markets(codes, edition: ProgramEdition) -> list[str]:
    if not isinstance(codes, list | tuple):
        raise InvalidInput("Must be a list of market codes.", field="target_markets")
    covered = {m.pk for m in edition.markets.all()}
    out = []
    for code in codes:
        code = str(code).strip().upper()
        if code not in covered:
            raise InvalidInput(
                f"{code} is not a market of {edition.name} (it covers {', '.join(sorted(covered))}).",
                field="target_markets",
                code="market_not_in_edition",
            )
        if code not in out:
            out.append(code)
    return sorted(out)


def _warehouses(ids, organisation_id: int) -> list[Warehouse]:
    if not isinstance(ids, list | tuple) or not all(
        isinstance(i, int) and not isinstance(i, bool) for i in ids
    ):
        raise InvalidInput("Must be a list of warehouse ids.", field="warehouse_ids")
    found = {
        w.pk: w for w in Warehouse.objects.filter(organisation_id=organisation_id, pk__in=set(ids))
    }
    missing = [i for i in ids if i not in found]
    if missing:
        raise InvalidInput(
            f"No warehouse {missing[0]} among yours: register it first.",
            field="warehouse_ids",
            code="unknown_warehouse",
        )
    return [found[i] for i in sorted(found)]


def require_complete(application: Application) -> None:
    """Raise InvalidInput `incomplete` naming the first unanswered question."""
    for field in REQUIRED_TO_SUBMIT:
        if field == "target_markets":
            missing = not application.target_markets.exists()
        else:
            value = getattr(application, field)
            missing = value is None or value == "" or value == []
        if missing:
            label = field.replace("_", " ")
            raise InvalidInput(
                f"Answer this before submitting: {label}.", field=field, code="incomplete"
            )
