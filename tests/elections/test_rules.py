"""The law's arithmetic: timeline, age, signatures, the count and the winner, consecutive terms."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from esep.elections import rules

days = st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31))


@given(days)
def test_nomination_closes_25_and_registration_20_days_before_the_vote(voting_date: date) -> None:
    assert voting_date - rules.nomination_closes(voting_date) == timedelta(days=25)
    assert voting_date - rules.registration_closes(voting_date) == timedelta(days=20)
    assert rules.nomination_closes(voting_date) < rules.registration_closes(voting_date) < voting_date


def test_a_candidate_turns_25_on_the_birthday_not_a_day_before() -> None:
    born = date(2000, 6, 15)
    assert not rules.old_enough(born, date(2025, 6, 14))
    assert rules.old_enough(born, date(2025, 6, 15))
    assert rules.age_on(date(2000, 2, 29), date(2025, 2, 28)) == 24
    assert rules.age_on(date(2000, 2, 29), date(2025, 3, 1)) == 25


def birthday(born: date, year: int) -> date:
    """The birthday in `year`; someone born on 29 February is a year older on 1 March of other years."""
    try:
        return born.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


@given(days, days)
def test_age_matches_counting_birthdays(born: date, day: date) -> None:
    if day < born:
        return
    birthdays = sum(1 for year in range(born.year + 1, day.year + 1) if birthday(born, year) <= day)
    assert rules.age_on(born, day) == birthdays


@given(st.sampled_from([1960, 1972, 1988, 1996, 2000]))
def test_a_leap_day_birth_turns_25_on_the_first_of_march(year: int) -> None:
    born = date(year, 2, 29)
    assert rules.age_on(born, date(year + 25, 2, 28)) == 24
    assert rules.age_on(born, date(year + 25, 3, 1)) == 25


@given(st.integers(min_value=0, max_value=10_000_000))
def test_signatures_are_at_least_one_percent_of_voters_rounded_up(voters: int) -> None:
    needed = rules.signatures_required(voters)
    assert needed >= 1
    assert needed * 100 >= voters
    assert needed == 1 or (needed - 1) * 100 < voters


def test_signature_boundaries() -> None:
    assert rules.signatures_required(1000) == 10
    assert rules.signatures_required(1001) == 11
    assert rules.signatures_required(50) == 1


@given(days)
def test_a_term_is_four_years(start: date) -> None:
    end = rules.term_end(start)
    assert end.year == start.year + 4
    assert (end.month, end.day) == (start.month, start.day) or (start.month, start.day) == (2, 29)


@given(days)
def test_follow_up_elections_are_on_a_sunday_at_least_60_days_later(day: date) -> None:
    voting = rules.follow_up_voting_date(day)
    assert voting.weekday() == 6
    assert timedelta(days=60) <= voting - day < timedelta(days=67)


def test_plurality_wins_and_a_tie_for_first_elects_nobody() -> None:
    assert rules.decide({"a": 10, "b": 7, "c": 7}, 24) == rules.Outcome("a", False)
    assert rules.decide({"a": 10, "b": 10, "c": 3}, 23) == rules.Outcome(None, True)
    assert rules.decide({"a": 10, "b": 10, "c": 3}, 23).repeat_needed


def test_a_lone_candidate_needs_more_than_half_of_the_ballots_cast() -> None:
    assert rules.decide({"a": 51}, 100).winner == "a"
    assert rules.decide({"a": 50}, 100).winner is None
    assert not rules.decide({"a": 50}, 100).tie


@given(st.dictionaries(st.integers(0, 20), st.integers(0, 10_000), min_size=2, max_size=6))
def test_the_winner_has_strictly_more_votes_than_anyone_else(votes: dict[int, int]) -> None:
    outcome = rules.decide(votes, sum(votes.values()))
    top = max(votes.values())
    if outcome.winner is None:
        assert outcome.tie and sorted(votes.values())[-2] == top
    else:
        assert votes[outcome.winner] == top
        assert all(count < top for key, count in votes.items() if key != outcome.winner)


def test_the_count_must_add_up() -> None:
    ok = {"voters_registered": 1000, "ballots_cast": 700, "invalid_ballots": 10}
    assert rules.ballot_error(**ok, votes=[400, 290]) is None
    assert rules.ballot_error(**ok, votes=[400, 289]) == "votes_do_not_add_up"
    assert rules.ballot_error(voters_registered=600, ballots_cast=700, invalid_ballots=0, votes=[700]) == (
        "more_ballots_than_voters"
    )
    assert rules.ballot_error(voters_registered=1000, ballots_cast=10, invalid_ballots=11, votes=[0]) == (
        "more_invalid_than_cast"
    )
    # A lone candidate: the valid ballots not for them were cast against.
    assert rules.ballot_error(**ok, votes=[500]) is None
    assert rules.ballot_error(**ok, votes=[691]) == "votes_exceed_valid"
    assert rules.ballot_error(**ok, votes=[-1, 691]) == "negative"


def test_a_third_consecutive_term_is_refused_but_a_return_after_a_break_is_not() -> None:
    assert rules.would_be_third_term(["x", "x"], "x")
    assert not rules.would_be_third_term(["x"], "x")
    assert not rules.would_be_third_term(["y", "x"], "x")
    assert not rules.would_be_third_term(["x", "y", "x"], "y")
    assert not rules.would_be_third_term([], "x")


def test_a_recall_needs_more_than_half_of_those_who_voted() -> None:
    assert rules.recall_succeeds(501, 1000)
    assert not rules.recall_succeeds(500, 1000)
