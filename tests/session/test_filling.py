"""A client filling in the questionnaires: one tap an answer, back and change, skips, every answer
saved as it is given (neck_guide.session.filling: pure, the client-mode page only shows it)."""

from __future__ import annotations

import pytest

from neck_guide.engine.clock import FakeClock
from neck_guide.paths import BUNDLED_QUESTIONNAIRES_DIR
from neck_guide.questionnaire.loader import QuestionnaireCatalog
from neck_guide.questionnaire.response import ResponseRecord
from neck_guide.session.filling import ClientFilling

CATALOG = QuestionnaireCatalog.load(BUNDLED_QUESTIONNAIRES_DIR, None)


def _filling(
    ids: tuple[str, ...] = ("ndi", "psfs", "pain"), names: dict[str, dict[str, str]] | None = None
) -> tuple[ClientFilling, FakeClock, list[ResponseRecord]]:
    clock, saved = FakeClock(), list[ResponseRecord]()
    numbers = iter(range(1, 100))
    filling = ClientFilling(
        [CATALOG.get(i) for i in ids],
        client_code="C-0042",
        occasion="intake",
        clock=clock,
        save=saved.append,
        previous_names=names,
        new_id=lambda: f"r{next(numbers)}",
    )
    return filling, clock, saved


def test_the_ndi_takes_one_tap_to_begin_and_one_per_section() -> None:
    filling, clock, saved = _filling(("ndi",))
    assert filling.screen.kind == "intro"
    taps = 1
    filling.forward()
    for value in (3, 2, 2, 1, 2, 2, 2, 0, 2, 2):
        assert (filling.screen.kind, filling.screen.of) == ("item", 10)
        clock.advance(4)
        filling.answer(value)
        taps += 1
    assert taps == 11 and filling.finished
    final = saved[-1]
    assert (final.status, final.total, final.percent, final.band) == (
        "completed",
        18.0,
        36.0,
        "moderate disability",
    )
    assert (final.completed_at or "").startswith("2026-01-05T09:00:40.000")  # stamped by the clock
    assert [a.at[11:19] for a in final.answers][:2] == ["09:00:04", "09:00:08"]
    assert len(saved) == 11  # every answer saved as given, and the completion


def test_back_shows_the_answer_and_a_new_tap_replaces_it_as_a_later_entry() -> None:
    filling, clock, saved = _filling(("ndi",))
    filling.forward()
    filling.answer(4)
    filling.answer(1)
    filling.back()
    filling.back()
    assert filling.screen.number == 1 and filling.given() is not None and filling.given().value == 4  # type: ignore[union-attr]
    clock.advance(10)
    filling.answer(2)
    assert filling.screen.number == 2 and filling.can_go_forward()
    filling.forward()
    record = saved[-1]
    assert [(a.item_id, a.value) for a in record.answers] == [
        ("pain_intensity", 4), ("personal_care", 1), ("pain_intensity", 2)
    ]  # fmt: skip
    assert record.values() == {"pain_intensity": 2, "personal_care": 1}


def test_a_skipped_section_is_recorded_and_scored_as_the_instrument_says() -> None:
    filling, _, saved = _filling(("ndi",))
    filling.forward()
    for n in range(10):
        if n == 7:
            filling.skip()  # driving: the client does not drive
        else:
            filling.answer(2)
    final = saved[-1]
    assert final.values()["driving"] is None
    assert (final.total, final.percent, final.answered, final.status) == (20.0, 40.0, 9, "completed")


def test_the_psfs_needs_a_name_offers_last_times_and_stops_on_no_more() -> None:
    names = {"psfs": {"activity_1": "Reversing the car", "activity_2": "Reading in bed"}}
    filling, _, saved = _filling(("psfs", "pain"), names)
    filling.forward()
    assert filling.suggested_name() == "Reversing the car"
    with pytest.raises(ValueError, match="name the activity"):
        filling.answer(4, "  ")
    filling.answer(4, "Reversing  the car ")
    assert filling.suggested_name() == "Reading in bed"
    filling.answer(7, "Reading in bed")
    filling.skip_rest()
    assert filling.questionnaire() is CATALOG.get("pain") or filling.screen.kind == "intro"
    psfs = next(r for r in reversed(saved) if r.questionnaire_id == "psfs")
    assert (psfs.status, psfs.total, psfs.answered) == ("completed", 5.5, 2)
    assert [(a.item_id, a.value, a.name) for a in psfs.answers] == [
        ("activity_1", 4, "Reversing the car"), ("activity_2", 7, "Reading in bed"),
        ("activity_3", None, ""), ("activity_4", None, ""), ("activity_5", None, ""),
    ]  # fmt: skip


def test_changing_an_answer_after_completion_scores_again() -> None:
    filling, _, saved = _filling(("pain", "psfs"))
    filling.forward()
    filling.answer(6)
    assert filling.questionnaire() is CATALOG.get("psfs") and saved[-1].total == 6.0
    assert saved[-1].status == "completed"
    filling.back()  # from the PSFS's introduction back to the pain question
    assert filling.given() is not None and filling.given().value == 6  # type: ignore[union-attr]
    filling.answer(3)
    assert (saved[-1].total, saved[-1].status, len(saved[-1].answers)) == (3.0, "completed", 2)


def test_the_thanks_screen_cannot_go_back() -> None:
    filling, _, _ = _filling(("pain",))
    filling.forward()
    filling.answer(6)
    assert filling.finished and not filling.can_go_back()
    filling.back()
    assert filling.finished  # the tablet goes back to the therapist from here


def test_leaving_early_marks_what_was_begun_stopped_and_saves_it() -> None:
    filling, _, saved = _filling()
    filling.forward()
    filling.answer(1)
    filling.stop()
    assert [(r.questionnaire_id, r.status, r.total) for r in saved[-1:]] == [("ndi", "stopped", None)]
    assert filling.records[1] is None and filling.records[2] is None  # nothing begun, nothing saved


def test_an_answer_out_of_range_or_off_a_question_is_refused() -> None:
    filling, _, _ = _filling(("ndi",))
    with pytest.raises(ValueError, match="no question on the intro screen"):
        filling.answer(1)
    filling.forward()
    with pytest.raises(ValueError, match=r"6 is not an answer to 'pain_intensity' \(0..5\)"):
        filling.answer(6)


def test_the_records_carry_what_the_client_saw() -> None:
    filling, _, saved = _filling(("ndi",))
    filling.forward()
    filling.answer(0)
    record = saved[-1]
    assert (record.questionnaire_id, record.client_code, record.occasion) == ("ndi", "C-0042", "intake")
    assert record.placeholder and record.loinc == "82226-2" and record.total_loinc == "82237-9"
    assert [(i.item_id, i.loinc, i.highest) for i in record.items][:2] == [
        ("pain_intensity", "82227-0", 5), ("personal_care", "82228-8", 5)
    ]  # fmt: skip
