"""Registration by the election commission: the rule set's parameters decide, exactly at their boundaries
(group size, the mandate's age, the cooldown after a failed recall), and the threshold is fixed then: a flat
share of the voters, or the band of the thresholds table in force."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from esep.core.errors import ApplicationError
from esep.core.models import Role
from esep.programs.services import rule_set_publish
from esep.recall import rules, services
from esep.recall.models import InitiativeEvent
from esep.recall.states import State
from esep.territory.models import Territory
from esep.territory.services import unit_set_figures
from tests.elections.factories import make_party, make_sitting_akim
from tests.recall.factories import at, filed_initiative

pytestmark = pytest.mark.django_db


def publish_rules(**recall: object) -> None:
    """A rule set in force since 2000 with these recall parameters (and the defaults for the others)."""
    rule_set_publish(
        version="T-recall",
        effective_from=date(2000, 1, 1),
        parameters={"max_local_budget_share": 0.3, **recall},
    )


def test_registration_fixes_the_threshold_and_opens_signing(unit, residents, commission, today) -> None:
    initiative = filed_initiative(unit, residents)
    services.initiative_register(initiative=initiative, actor=commission)
    initiative.refresh_from_db()
    assert initiative.state == State.COLLECTING
    assert (initiative.voters, initiative.signatures_required) == (100, 10)
    assert initiative.threshold_basis == {"kind": "share", "share": "0.1"}
    assert (initiative.signing_opens_on, initiative.signing_closes_on) == (today, today + timedelta(days=29))
    moves = list(InitiativeEvent.objects.filter(initiative=initiative).values_list("to_state", "by"))
    assert moves == [("filed", "group"), ("registered", "commission"), ("collecting", "system")]


def test_signing_may_open_later_then_the_tick_opens_it(unit, residents, commission, today) -> None:
    from esep.recall import tick

    initiative = filed_initiative(unit, residents)
    services.initiative_register(
        initiative=initiative, actor=commission, signing_opens_on=today + timedelta(days=5)
    )
    initiative.refresh_from_db()
    assert initiative.state == State.REGISTERED
    tick.run(now=at(today + timedelta(days=4)))
    initiative.refresh_from_db()
    assert initiative.state == State.REGISTERED
    tick.run(now=at(today + timedelta(days=5)))
    initiative.refresh_from_db()
    assert initiative.state == State.COLLECTING
    with pytest.raises(ApplicationError, match="within 30 days"):
        services.initiative_register(
            initiative=filed_initiative_elsewhere(residents, commission),
            actor=commission,
            signing_opens_on=today + timedelta(days=31),
        )


def filed_initiative_elsewhere(residents, commission):
    """An initiative in the second unit of the same district (the same commission covers it)."""
    from esep.accounts.services import role_assign

    unit2 = Territory.objects.get(kato="103233000")
    unit_set_figures(unit=unit2, voters=100, population=200)
    make_sitting_akim(unit2, party=make_party("AUYL"), starts_on=timezone.localdate() - timedelta(days=500))
    for resident in residents:
        role_assign(user=resident, role=Role.RESIDENT, territory=unit2)
    return filed_initiative(unit2, residents)


@pytest.mark.parametrize(("members", "registered"), [(9, False), (10, True)])
def test_the_group_needs_the_minimum_of_the_rule_set(
    unit, residents, commission, members, registered
) -> None:
    initiative = filed_initiative(unit, residents[:members])
    if registered:
        assert services.initiative_register(initiative=initiative, actor=commission).state == State.COLLECTING
    else:
        with pytest.raises(ApplicationError, match="group has 9 members; at least 10") as refused:
            services.initiative_register(initiative=initiative, actor=commission)
        assert refused.value.code == "group_too_small"


def test_a_rule_set_can_lower_the_minimum_group(unit, residents, commission) -> None:
    publish_rules(recall_min_group=3)
    initiative = filed_initiative(unit, residents[:3])
    assert services.initiative_register(initiative=initiative, actor=commission).state == State.COLLECTING


@pytest.mark.parametrize(("age", "registered"), [(364, False), (365, True)])
def test_the_mandate_must_be_old_enough(unit_a, residents_of, commission_of, today, age, registered) -> None:
    unit_set_figures(unit=unit_a, voters=100, population=200)
    make_sitting_akim(unit_a, party=make_party(), starts_on=today - timedelta(days=age))
    residents = residents_of(unit_a)
    initiative = filed_initiative(unit_a, residents)
    commission = commission_of(unit_a)
    if registered:
        services.initiative_register(initiative=initiative, actor=commission)
    else:
        with pytest.raises(
            ApplicationError, match="held the mandate for 364 days; .* after 365 days"
        ) as refused:
            services.initiative_register(initiative=initiative, actor=commission)
        assert refused.value.code == "mandate_too_young"


@pytest.mark.parametrize(("days_since_failure", "registered"), [(364, False), (365, True)])
def test_a_failed_recall_blocks_another_for_the_cooldown(
    unit, residents, commission, today, days_since_failure, registered
) -> None:
    publish_rules(recall_min_mandate_age_days=0)
    failed_on = today - timedelta(days=days_since_failure)
    first = filed_initiative(unit, residents, now=at(failed_on - timedelta(days=34)))
    first = services.initiative_register(
        initiative=first, actor=commission, now=at(failed_on - timedelta(days=33))
    )
    assert services.initiative_close_signing(initiative=first, now=at(failed_on - timedelta(days=2)))
    services.initiative_certify(initiative=first, actor=commission, now=at(failed_on))
    first.refresh_from_db()
    assert (first.state, first.closed_on) == (State.CERTIFIED_NOT_REACHED, failed_on)
    second = filed_initiative(unit, residents)
    if registered:
        assert services.initiative_register(initiative=second, actor=commission).state == State.COLLECTING
    else:
        with pytest.raises(ApplicationError, match="A recall of this akim failed") as refused:
            services.initiative_register(initiative=second, actor=commission)
        assert refused.value.code == "recent_failed_recall"


def test_unknown_voters_block_registration(unit_a, residents_of, commission_of, today) -> None:
    make_sitting_akim(unit_a, party=make_party(), starts_on=today - timedelta(days=400))
    unit_set_figures(unit=unit_a, voters=None, population=None)
    initiative = filed_initiative(unit_a, residents_of(unit_a))
    with pytest.raises(ApplicationError, match="voters is not recorded") as refused:
        services.initiative_register(initiative=initiative, actor=commission_of(unit_a))
    assert refused.value.code == "voters_unknown"


def test_every_obstacle_is_named_at_once(unit_a, residents_of, commission_of, today) -> None:
    make_sitting_akim(unit_a, party=make_party(), starts_on=today - timedelta(days=10))
    unit_set_figures(unit=unit_a, voters=100, population=200)
    initiative = filed_initiative(unit_a, residents_of(unit_a)[:2])
    with pytest.raises(ApplicationError) as refused:
        services.initiative_register(initiative=initiative, actor=commission_of(unit_a))
    assert refused.value.extra["obstacles"] == ["group_too_small", "mandate_too_young"]


def test_a_table_of_bands_replaces_the_flat_share(unit, residents, commission, today, make_user) -> None:
    analyst = make_user(Role.ANALYST, None)
    services.threshold_table_publish(
        effective_from=today, bands=rules.parse_bands("0-99: 30\n100-999: 25%\n1000-: 5%"), actor=analyst
    )
    initiative = services.initiative_register(initiative=filed_initiative(unit, residents), actor=commission)
    assert initiative.signatures_required == 25  # 25% of 100, not the rule set's 10%
    assert initiative.threshold_basis == {"kind": "band", "band": "100-999", "value": "25%"}


def test_a_table_in_force_later_does_not_apply_yet_and_an_empty_one_restores_the_share(
    unit, residents, commission, today
) -> None:
    services.threshold_table_publish(
        effective_from=today - timedelta(days=10), bands=rules.parse_bands("0-: 50")
    )
    services.threshold_table_publish(effective_from=today + timedelta(days=1), bands=[])
    initiative = services.initiative_register(initiative=filed_initiative(unit, residents), actor=commission)
    assert initiative.signatures_required == 50
    with pytest.raises(ApplicationError, match="cannot take effect before it"):
        services.threshold_table_publish(effective_from=today, bands=[])


def test_a_table_that_leaves_electorates_out_is_refused() -> None:
    with pytest.raises(ApplicationError, match="start at 0 voters") as refused:
        services.threshold_table_publish(
            effective_from=date(2026, 1, 1), bands=[rules.Band(10, None, signatures=5)]
        )
    assert refused.value.code == "invalid_bands"


def test_only_the_commission_of_the_territory_registers_or_refuses(
    unit, residents, other_commission, commission
) -> None:
    initiative = filed_initiative(unit, residents)
    for attempt in (
        lambda: services.initiative_register(initiative=initiative, actor=other_commission),
        lambda: services.initiative_refuse(
            initiative=initiative, reason="Нет оснований.", actor=other_commission
        ),
        lambda: services.initiative_register(initiative=initiative, actor=residents[0]),
    ):
        with pytest.raises(ApplicationError, match="Only the election commission") as refused:
            attempt()
        assert refused.value.code == "not_commission"
    with pytest.raises(ApplicationError, match="Give the reason"):
        services.initiative_refuse(initiative=initiative, reason=" ", actor=commission)
    refused_one = services.initiative_refuse(
        initiative=initiative, reason="Подписи группы поддельные.", actor=commission
    )
    assert (refused_one.state, refused_one.refusal_reason) == (State.REFUSED, "Подписи группы поддельные.")
    with pytest.raises(ApplicationError, match="cannot become"):
        services.initiative_register(initiative=initiative, actor=commission)
