"""The recommended path: an ordered, short list of courses that closes an akim's competence gaps.

Greedy set cover: for akims new to the post or to the civil service the path opens with a foundation
course of the School of Akims (when one covers any gap); then, step by step, the course that closes the
most remaining gaps (ties: fewer hours, then the code). A course that adds nothing new is never proposed;
gaps that no offered course covers are returned as `uncovered`.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CourseCover:
    course_id: int
    code: str
    modules: frozenset[int]
    hours: int = 0
    is_foundation: bool = False


@dataclass
class Path:
    steps: list[CourseCover] = field(default_factory=list)
    uncovered: frozenset[int] = frozenset()

    @property
    def hours(self) -> int:
        return sum(step.hours for step in self.steps)


def _rank(course: CourseCover, remaining: frozenset[int]) -> tuple[int, int, str]:
    return (-len(course.modules & remaining), course.hours, course.code)


def recommended_path(gaps: Iterable[int], courses: Iterable[CourseCover], *, foundation_first: bool) -> Path:
    remaining = frozenset(gaps)
    offered = [course for course in courses if course.modules & remaining]
    steps: list[CourseCover] = []
    if foundation_first:
        foundations = [course for course in offered if course.is_foundation]
        if foundations:
            first = min(foundations, key=lambda course: _rank(course, remaining))
            steps.append(first)
            remaining -= first.modules
    while remaining:
        useful = [course for course in offered if course.modules & remaining and course not in steps]
        if not useful:
            break
        best = min(useful, key=lambda course: _rank(course, remaining))
        steps.append(best)
        remaining -= best.modules
    return Path(steps=steps, uncovered=remaining)
