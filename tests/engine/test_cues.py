"""The cue schedule: what is said, and when, for each kind of step."""

from __future__ import annotations

from typing import Any

from engine_builders import breathing, fixed, hold, plan_of, untimed

from neck_guide.engine.cues import CLEARANCE_S, schedule
from neck_guide.engine.events import EXACT_CUES, Cue
from neck_guide.protocol.plan import Plan


def said(plan: Plan, index: int, end_s: float | None = None) -> list[tuple[float, str, str]]:
    return [(c.at_s, c.kind, c.text) for c in schedule(plan, index, end_s)]


def test_a_range_hold_says_minimum_countdown_and_maximum() -> None:
    plan = plan_of(
        hold("ut", 30, 60, muscle="upper_trapezius", safety="Keep your thumb off the collarbone."),
        fixed("next", 10),
    )
    assert said(plan, 0) == [
        (0, "announce", "Upper trapezius. Slow compression."),
        (0, "safety", "Keep your thumb off the collarbone."),
        (30, "minimum", "Minimum reached. Release when it softens."),
        (50, "warning", "Ten seconds."),
        (55, "next", "Next: Fixed next. Press."),
        (57, "countdown", "Three"),
        (58, "countdown", "Two"),
        (59, "countdown", "One"),
        (60, "maximum", "Release now."),
    ]


def test_a_range_hold_counts_down_only_after_the_minimum() -> None:
    plan = plan_of(hold("a", 8, 10))
    assert said(plan, 0) == [
        (0, "announce", "Hold a. Slow compression."),
        (8, "minimum", "Minimum reached. Release when it softens."),
        (9, "countdown", "One"),
        (10, "maximum", "Release now."),
    ]


def test_a_hold_whose_minimum_is_its_maximum_only_says_release_now() -> None:
    assert said(plan_of(hold("a", 5, 5)), 0) == [
        (0, "announce", "Hold a. Slow compression."),
        (5, "maximum", "Release now."),
    ]


def test_a_fixed_hold_counts_down_to_release() -> None:
    assert [(at, text) for at, _, text in said(plan_of(fixed("a", 8)), 0)] == [
        (0, "Fixed a. Press."),
        (5, "Three"),
        (6, "Two"),
        (7, "One"),
        (8, "Release."),
    ]


def test_a_short_fixed_hold_has_no_countdown() -> None:
    assert said(plan_of(fixed("a", 4)), 0) == [(0, "announce", "Fixed a. Press.")]


def test_warning_from_twenty_seconds_and_next_from_fifteen() -> None:
    plan = plan_of(fixed("a", 19), fixed("b", 14), fixed("c", 20))
    kinds = [[c.kind for c in schedule(plan, i)] for i in range(3)]
    assert "warning" not in kinds[0] and "next" in kinds[0]
    assert "warning" not in kinds[1] and "next" not in kinds[1]
    assert "warning" in kinds[2] and "next" not in kinds[2]  # the last step has no next


def test_next_passes_over_the_rest_and_sides_switch() -> None:
    plan = plan_of(
        hold("ut", 20, 30, muscle="upper_trapezius", sides=["left", "right"], repetitions=2, rest_s=20),
        fixed("end", 5),
    )
    keys = [s.key for s in plan.steps]
    assert keys == [
        "ut-left-r1",
        "ut-left-r1-rest",
        "ut-left-r2",
        "ut-right-r1",
        "ut-right-r1-rest",
        "ut-right-r2",
        "end",
    ]
    at_minus_5 = [
        [(c.kind, c.text) for c in schedule(plan, i) if c.at_s == (s.max_s or 0) - 5]
        for i, s in enumerate(plan.steps[:-1])
    ]
    assert at_minus_5 == [
        [("next", "Next: Upper trapezius, left. Slow compression.")],
        [("next", "Next: Upper trapezius, left. Slow compression.")],
        [("switch_sides", "Switch sides.")],
        [("next", "Next: Upper trapezius, right. Slow compression.")],
        [("next", "Next: Upper trapezius, right. Slow compression.")],
        [("next", "Next: Fixed end. Press.")],
    ]


def test_rest_steps_announce_rest_without_a_countdown_or_the_safety_note() -> None:
    plan = plan_of(fixed("a", 10, repetitions=2, rest_s=12, safety="Mind the nerve."))
    assert said(plan, 1) == [(0, "announce", "Rest.")]
    assert (
        "safety" in [c.kind for c in schedule(plan, 0)],
        "safety" in [c.kind for c in schedule(plan, 2)],
    ) == (
        True,
        False,
    )


def test_protocol_cues_come_at_their_time_on_every_repetition_but_not_in_the_rest() -> None:
    cue = {"at_s": 4, "text": "Sink in slowly."}
    plan = plan_of(fixed("a", 12, repetitions=2, rest_s=12, cues=[cue]))
    assert [(c.at_s, c.text) for i in (0, 2) for c in schedule(plan, i) if c.kind == "protocol"] == [
        (4, "Sink in slowly."),
        (4, "Sink in slowly."),
    ]
    assert [c.kind for c in schedule(plan, 1)] == ["announce"]


def test_breathing_says_each_phase_and_keeps_the_announcement() -> None:
    plan = plan_of(breathing("b", inhale_s=4, hold_s=0, exhale_s=4, rest_s=2, cycles=2))
    assert said(plan, 0) == [
        (0, "announce", "Breathe b. Paced breathing."),
        (0, "inhale", "Breathe in"),
        (4, "exhale", "Breathe out"),
        (10, "inhale", "Breathe in"),
        (14, "exhale", "Breathe out"),
    ]


def test_a_cue_near_an_exact_one_is_dropped() -> None:
    def protocol_cue_kept(at_s: float) -> bool:
        plan = plan_of(hold("a", 10, 12, cues=[{"at_s": at_s, "text": "Check in."}]))
        return any(c.kind == "protocol" for c in schedule(plan, 0))

    assert [protocol_cue_kept(at) for at in (8.4, 8.5, 10, 11.5, 12)] == [True, False, False, False, False]
    assert protocol_cue_kept(3)


def test_no_two_cues_share_a_time_and_kind() -> None:
    plan = plan_of(untimed("a", cues=[{"at_s": 5, "text": "One thing."}, {"at_s": 5, "text": "Another."}]))
    assert said(plan, 0) == [(0, "announce", "Talk a. Ask."), (5, "protocol", "One thing.")]


def test_untimed_steps_have_only_their_announcement_and_cues() -> None:
    plan = plan_of(untimed("a", estimate_s=60), fixed("b", 30))
    assert said(plan, 0) == [(0, "announce", "Talk a. Ask.")]


def test_a_later_end_moves_every_cue_that_counts_to_it() -> None:
    plan = plan_of(hold("a", 10, 30), fixed("b", 5))
    moved = said(plan, 0, end_s=45)
    assert [(at, kind) for at, kind, _ in moved] == [
        (0, "announce"),
        (10, "minimum"),
        (35, "warning"),
        (40, "next"),
        (42, "countdown"),
        (43, "countdown"),
        (44, "countdown"),
        (45, "maximum"),
    ]


SAMPLES: list[dict[str, Any]] = [
    hold("a", 10, 60, cues=[{"at_s": 49, "text": "Breathe out."}, {"at_s": 20, "text": "Soften."}]),
    fixed("b", 16, sides=["left", "right"]),
    breathing("c", inhale_s=3, hold_s=1.5, exhale_s=5, rest_s=1, cycles=4),
    hold("d", 2, 25, repetitions=3, rest_s=20),
]


def test_every_schedule_is_sorted_spaced_and_without_duplicates() -> None:
    plan = plan_of(*SAMPLES)
    for index in range(len(plan.steps)):
        cues = schedule(plan, index)
        assert [c.at_s for c in cues] == sorted(c.at_s for c in cues)
        assert len({(c.at_s, c.kind) for c in cues}) == len(cues)
        exact = [c.at_s for c in cues if c.kind in EXACT_CUES]
        for cue in cues:
            if cue.kind not in EXACT_CUES and cue.kind not in ("announce", "safety"):
                assert all(abs(cue.at_s - t) > CLEARANCE_S for t in exact), (index, cue)
        end = plan.steps[index].max_s or 0
        assert all(isinstance(c, Cue) and 0 <= c.at_s <= end for c in cues)
