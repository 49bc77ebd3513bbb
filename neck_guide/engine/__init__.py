"""The timing engine: pure Python, no Qt. The runner is told the time; it never reads a clock."""

from neck_guide.engine.cues import schedule
from neck_guide.engine.practice import HoldScore, PracticeSummary, score
from neck_guide.engine.runner import RunnerState, SessionRunner

__all__ = ["HoldScore", "PracticeSummary", "RunnerState", "SessionRunner", "schedule", "score"]
