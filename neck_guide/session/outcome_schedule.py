"""When a client's questionnaires are due: at intake, then every N weeks (the clinic's setting).

A questionnaire counts as filled on the day its response was completed. It is due for a client
who has never completed it (intake), or whose last completed filling is N weeks old or more;
otherwise the next date is known. The start page says it in one line once a client code is typed;
the occasion recorded with a filling follows from the same rule (intake, scheduled, on demand).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from neck_guide.questionnaire.model import Questionnaire
from neck_guide.questionnaire.response import Occasion, ResponseRecord

DueState = Literal["intake", "due", "not_due"]


@dataclass(frozen=True, slots=True)
class Due:
    """One questionnaire for one client: whether it is due, when last filled, when next due."""

    questionnaire_id: str
    short_title: str
    state: DueState
    last: date | None  # the day of the last completed filling
    next: date | None  # when it falls due (None: due now)


def day_of(timestamp: str) -> date:
    """The local calendar day of an ISO 8601 time as recorded (its own offset)."""
    return datetime.fromisoformat(timestamp).date()


def due(
    questionnaires: Sequence[Questionnaire],
    responses: Iterable[ResponseRecord],
    today: date,
    every_weeks: int,
) -> list[Due]:
    """The state of each scheduled questionnaire for a client whose responses these are."""
    last: dict[str, date] = {}
    for r in responses:
        if r.status == "completed" and r.completed_at is not None:
            filled = day_of(r.completed_at)
            last[r.questionnaire_id] = max(filled, last.get(r.questionnaire_id, filled))
    found = []
    for q in questionnaires:
        if not q.scheduled:
            continue
        when = last.get(q.id)
        if when is None:
            found.append(Due(q.id, q.short_title, "intake", None, None))
            continue
        next_due = when + timedelta(weeks=every_weeks)
        state: DueState = "due" if next_due <= today else "not_due"
        found.append(Due(q.id, q.short_title, state, when, None if state == "due" else next_due))
    return found


def occasion(dues: Sequence[Due]) -> Occasion:
    """What a filling now is: the client's first (intake), on the schedule, or asked for outside it."""
    if dues and all(d.state == "intake" for d in dues):
        return "intake"
    return "scheduled" if any(d.state != "not_due" for d in dues) else "on_demand"


def due_line(dues: Sequence[Due], today: date, every_weeks: int) -> str:
    """One line for the start page."""
    if not dues:
        return ""
    waiting = [d for d in dues if d.state != "not_due"]
    names = _listing([d.short_title for d in waiting])
    if all(d.state == "intake" for d in dues):
        return f"Intake questionnaires due: {names}."
    if waiting:
        last = max((d.last for d in dues if d.last is not None), default=None)
        ago = f" (last filled {_ago(last, today)})" if last is not None else ""
        return f"Questionnaires due{ago}: {names}."
    soonest = min(d.next for d in dues if d.next is not None)
    if max(d.last for d in dues if d.last is not None) == today:
        return f"Questionnaires filled today; next due {soonest:%d %b %Y} (every {_weeks(every_weeks)})."
    return f"Next questionnaires due {soonest:%d %b %Y} (every {_weeks(every_weeks)})."


def _ago(day: date, today: date) -> str:
    days = (today - day).days
    if days < 14:
        return "today" if days == 0 else f"{days} day{'s' if days > 1 else ''} ago"
    return f"{days // 7} weeks ago"


def _weeks(n: int) -> str:
    return "week" if n == 1 else f"{n} weeks"


def _listing(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
