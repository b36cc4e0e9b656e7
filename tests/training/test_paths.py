from hypothesis import given
from hypothesis import strategies as st

from esep.training.paths import CourseCover, recommended_path

FOUNDATION = CourseCover(1, "foundation", frozenset({1, 2}), hours=72, is_foundation=True)
BIG = CourseCover(2, "big", frozenset({2, 3, 4}), hours=100)
SMALL = CourseCover(3, "small", frozenset({3}), hours=10)
LEAD = CourseCover(4, "lead", frozenset({5}), hours=24)


def test_a_newcomer_starts_with_the_foundation_course_then_the_widest_course() -> None:
    path = recommended_path({1, 2, 3, 4}, [SMALL, BIG, FOUNDATION], foundation_first=True)
    assert [step.code for step in path.steps] == ["foundation", "big"]
    assert path.uncovered == frozenset()
    assert path.hours == 172


def test_without_foundation_first_the_greedy_cover_is_shorter() -> None:
    path = recommended_path({2, 3, 4}, [SMALL, BIG, FOUNDATION], foundation_first=False)
    assert [step.code for step in path.steps] == ["big"]


def test_ties_go_to_the_shorter_course() -> None:
    long_one = CourseCover(9, "a-long", frozenset({3}), hours=200)
    path = recommended_path({3}, [long_one, SMALL], foundation_first=False)
    assert [step.code for step in path.steps] == ["small"]


def test_gaps_no_course_covers_are_reported_and_the_foundation_is_skipped_when_useless() -> None:
    path = recommended_path({5, 7}, [FOUNDATION, LEAD], foundation_first=True)
    assert [step.code for step in path.steps] == ["lead"]
    assert path.uncovered == frozenset({7})


courses_strategy = st.lists(
    st.builds(
        CourseCover,
        course_id=st.integers(1, 10_000),
        code=st.text("abcdef", min_size=1, max_size=5),
        modules=st.frozensets(st.integers(1, 12), min_size=1, max_size=5),
        hours=st.integers(1, 200),
        is_foundation=st.booleans(),
    ),
    max_size=8,
    unique_by=lambda course: course.course_id,
)


@given(st.frozensets(st.integers(1, 12)), courses_strategy, st.booleans())
def test_the_path_closes_every_coverable_gap_and_each_step_closes_something_new(
    gaps: frozenset[int], courses: list[CourseCover], foundation_first: bool
) -> None:
    path = recommended_path(gaps, courses, foundation_first=foundation_first)
    coverable = gaps & frozenset().union(*(course.modules for course in courses))
    closed: set[int] = set()
    for step in path.steps:
        assert step.modules & (gaps - closed), "a step must close a gap not closed before"
        closed |= step.modules & gaps
    assert closed == coverable
    assert path.uncovered == gaps - coverable
    assert len({step.course_id for step in path.steps}) == len(path.steps)
    if foundation_first and any(c.is_foundation and c.modules & gaps for c in courses):
        assert path.steps[0].is_foundation
