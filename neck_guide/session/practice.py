"""A practice session's score in words, as the summary page shows it."""

from __future__ import annotations

from neck_guide.engine.practice import score
from neck_guide.engine.record import SessionRecord


def practice_lines(record: SessionRecord) -> list[str]:
    """The practice score of ``record`` in a few lines (one saying so when no hold was scored)."""
    summary = score(record)
    if not summary.scored:
        return ["Practice: no hold was timed (holds skipped or cut short are not scored)."]
    lines = [
        f"Practice score: {summary.in_range} of {summary.scored} holds in range "
        f"({summary.percent or 0:.0f} %), mean deviation {summary.mean_abs_deviation_s or 0:.1f} s."
    ]
    worst = summary.worst
    if worst is not None:
        side = f" ({worst.side})" if worst.side else ""
        how = "released early" if worst.verdict == "short" else "held too long"
        lines.append(
            f"Furthest out: {worst.title}{side}, {worst.actual_s:.0f} s — {how} by {worst.deviation_s:.1f} s."
        )
    return lines
