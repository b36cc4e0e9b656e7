"""The law's arithmetic for rural akim elections, as pure functions the services and the bulk loader share.

Constitutional Law on elections, chapter 13-1, and the Law on local public administration, art. 36-2:
candidates are at least 25 on voting day; nomination closes 25 days and registration 20 days before the vote;
a self-nominee needs the signatures of at least 1% of the unit's voters; plurality wins and a tie for first
place means a repeat election; the term is four years and nobody serves a third consecutive term in one unit.
"""

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

MIN_CANDIDATE_AGE = 25
NOMINATION_CLOSES_DAYS = 25
REGISTRATION_CLOSES_DAYS = 20
SIGNATURE_SHARE_PERCENT = 1
TERM_YEARS = 4
MAX_CONSECUTIVE_TERMS = 2
MIN_CANDIDATES = 2
# Esep's defaults where the law leaves the date to the commission (the commission can cancel and call again).
MIN_DAYS_FROM_CALL_TO_VOTE = 30
FOLLOW_UP_ELECTION_DAYS = 60
REGULAR_ELECTION_WINDOW_DAYS = 183


def nomination_closes(voting_date: date) -> date:
    return voting_date - timedelta(days=NOMINATION_CLOSES_DAYS)


def registration_closes(voting_date: date) -> date:
    return voting_date - timedelta(days=REGISTRATION_CLOSES_DAYS)


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def term_end(starts_on: date) -> date:
    return add_years(starts_on, TERM_YEARS)


def age_on(birth_date: date, day: date) -> int:
    """Full years of age on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def old_enough(birth_date: date, voting_date: date) -> bool:
    return age_on(birth_date, voting_date) >= MIN_CANDIDATE_AGE


def signatures_required(voters: int) -> int:
    """At least 1% of the unit's voters, rounded up, and never fewer than one signature."""
    return max(1, math.ceil(voters * SIGNATURE_SHARE_PERCENT / 100))


def next_sunday(day: date) -> date:
    """Voting days are Sundays: the first Sunday on or after `day`."""
    return day + timedelta(days=(6 - day.weekday()) % 7)


def follow_up_voting_date(day: date) -> date:
    """Voting day of an early or repeat election that Esep calls by itself on `day`."""
    return next_sunday(day + timedelta(days=FOLLOW_UP_ELECTION_DAYS))


@dataclass(frozen=True)
class Outcome:
    winner: Hashable | None
    tie: bool

    @property
    def repeat_needed(self) -> bool:
        return self.winner is None


def decide(votes: Mapping[Hashable, int], ballots_cast: int) -> Outcome:
    """Who is elected. Plurality among two or more candidates, a tie for first place elects nobody;
    a lone candidate on the ballot needs more than half of the ballots cast (the rest voted against)."""
    if not votes:
        return Outcome(None, False)
    if len(votes) == 1:
        ((key, count),) = votes.items()
        return Outcome(key if count * 2 > ballots_cast else None, False)
    top = max(votes.values())
    leaders = [key for key, count in votes.items() if count == top]
    if len(leaders) > 1:
        return Outcome(None, True)
    return Outcome(leaders[0], False)


def ballot_error(
    *, voters_registered: int, ballots_cast: int, invalid_ballots: int, votes: Sequence[int]
) -> str | None:
    """What is wrong with a count, in the commission's words (untranslated key), or None."""
    if min(voters_registered, ballots_cast, invalid_ballots, *votes, 0) < 0:
        return "negative"
    if ballots_cast > voters_registered:
        return "more_ballots_than_voters"
    if invalid_ballots > ballots_cast:
        return "more_invalid_than_cast"
    valid = ballots_cast - invalid_ballots
    if len(votes) == 1:
        # A lone candidate's ballot is marked for or against: votes for are at most the valid ballots.
        return "votes_exceed_valid" if votes[0] > valid else None
    if sum(votes) != valid:
        return "votes_do_not_add_up"
    return None


def would_be_third_term(unit_holders_latest_first: Sequence[Hashable], person: Hashable) -> bool:
    """Would `person` start a third consecutive mandate, given who held the unit's mandates, latest first?"""
    streak = 0
    for holder in unit_holders_latest_first:
        if holder != person:
            break
        streak += 1
    return streak >= MAX_CONSECUTIVE_TERMS


def recall_succeeds(votes_for: int, ballots_cast: int) -> bool:
    """A recall is decided by more than half of the voters who took part."""
    return votes_for * 2 > ballots_cast
