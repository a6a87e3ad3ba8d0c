"""The eligibility rules: pure, explained, tunable."""

from tradelane.merchants.eligibility import (
    Facts,
    RuleSetting,
    WarehouseFacts,
    default_settings,
    evaluate,
)

GOOD = Facts(
    export_years=6,
    ready_share_percent=85,
    near_ready_lead_days=5,
    daily_handover_capacity=120,
    other_marketplaces=("Amazon",),
    warehouses=(WarehouseFacts(True, 300),),
)


def outcomes(result):
    return {r.code: r.outcome for r in result.results}


def test_a_well_prepared_merchant_passes_every_rule_with_full_score():
    result = evaluate(GOOD, default_settings(), pass_score=70)
    assert result.score == 100
    assert result.meets_bar is True
    assert set(outcomes(result).values()) == {"pass"}


def test_no_own_warehouse_fails_with_the_plain_reason():
    facts = Facts(**{**GOOD.__dict__, "warehouses": ()})
    result = evaluate(facts, default_settings(), pass_score=70)
    rule = next(r for r in result.results if r.code == "own_warehouse")
    assert rule.outcome == "fail"
    assert rule.reason == (
        "No own warehouse: the semi-managed program does not provide warehousing."
    )
    assert outcomes(result)["warehouse_capacity"] == "fail"
    # 30 (warehouse) + 5 (capacity) of 100 weight lost
    assert result.score == 65
    assert result.meets_bar is False


def test_an_inactive_warehouse_does_not_count():
    facts = Facts(**{**GOOD.__dict__, "warehouses": (WarehouseFacts(False, 300),)})
    assert outcomes(evaluate(facts, default_settings(), pass_score=70))["own_warehouse"] == "fail"


def _grade(settings, **facts):
    return evaluate(Facts(**facts), settings, pass_score=0).results[0]


def test_thresholds_give_pass_warn_and_fail():
    settings = [RuleSetting("ready_stock", True, 20, 80, 50)]
    outcomes_by_share = [_grade(settings, ready_share_percent=s).outcome for s in (80, 79, 50, 49)]
    assert outcomes_by_share == ["pass", "warn", "warn", "fail"]
    assert _grade(settings, ready_share_percent=49).reason == (
        "Only 49% of SKUs ready within 48 h: the program needs at least 50% ready stock."
    )


def test_lead_time_is_better_when_shorter():
    settings = [RuleSetting("near_ready_lead_time", True, 10, 7, 15)]
    grades = [_grade(settings, near_ready_lead_days=d).outcome for d in (0, 7, 8, 15, 16)]
    assert grades == ["pass", "pass", "warn", "warn", "fail"]


def test_score_weighs_warn_as_half_and_ignores_disabled_rules():
    settings = [
        RuleSetting("export_experience", True, 30, 5, 1),  # 2 years → warn
        RuleSetting("handover_capacity", True, 10, 50, 10),  # 120 → pass
        RuleSetting("other_marketplaces", False, 60, 1, 0),  # disabled
    ]
    result = evaluate(Facts(export_years=2, daily_handover_capacity=120), settings, pass_score=70)
    assert [r.code for r in result.results] == ["export_experience", "handover_capacity"]
    assert result.score == 63  # (30 × ½ + 10) / 40 = 62.5 → 63
    assert result.meets_bar is False


def test_unanswered_questions_fail_and_say_what_is_missing():
    result = evaluate(Facts(), default_settings(), pass_score=70)
    reasons = {r.code: r.reason for r in result.results}
    assert reasons["export_experience"] == "Not answered yet: how many years have you exported?"
    assert result.score == 3  # only "other marketplaces" warns (5 × ½ of 100)


def test_warehouse_capacity_compares_with_the_stated_handover_capacity():
    facts = Facts(daily_handover_capacity=200, warehouses=(WarehouseFacts(True, 150),))
    settings = [RuleSetting("warehouse_capacity", True, 5, 100, 50)]
    rule = evaluate(facts, settings, pass_score=0).results[0]
    assert (rule.outcome, rule.value) == ("warn", 75)
    assert rule.reason == (
        "Your active warehouses cover 75% of the daily handover capacity you stated."
    )
