"""Scoring a questionnaire's answers by the rules in its file.

``sum`` (the Neck Disability Index): the answered items' scores added up. When some items are
skipped the instrument's own rule applies: the total is the percentage of what the answered items
could reach (16 of a possible 45 with one of ten sections skipped: 35.6 %), and the total on the
full scale is that share of the full maximum (17.8 of 50), so totals with and without skipped
items can be compared. ``mean`` (the Patient-Specific Functional Scale): the mean of the answered
items. ``single``: the one item's value. Fewer answered items than ``min_answered``: no total, and
the note says why. Totals and percentages are rounded to one decimal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from neck_guide.questionnaire.model import Questionnaire, Scoring


@dataclass(frozen=True, slots=True)
class Score:
    """What the answers add up to. ``total`` None: not enough answered (``note`` says why)."""

    total: float | None
    percent: float | None
    band: str
    answered: int
    items: int
    note: str = ""


def score(questionnaire: Questionnaire, values: Mapping[str, int | None]) -> Score:
    """The score of ``values`` (item id -> value; None or absent: not answered)."""
    given = {i.id: v for i in questionnaire.items if (v := values.get(i.id)) is not None}
    answered, items = len(given), len(questionnaire.items)
    for item_id, value in given.items():
        item = questionnaire.item(item_id)
        if not item.allows(value):
            raise ValueError(f"{value!r} is not an answer to {item_id!r} ({item.lowest}..{item.highest})")
    rules = questionnaire.scoring
    if answered < rules.min_answered:
        need = "one answer is" if rules.min_answered == 1 else f"at least {rules.min_answered} answers are"
        note = f"{answered} of {items} answered: {need} needed for a score"
        return Score(None, None, "", answered, items, note)
    if rules.method == "sum":
        total, percent = _sum(questionnaire, given)
    else:
        total, percent = round(sum(given.values()) / answered, 1), None
    note = "" if answered == items else f"{answered} of {items} answered; scored on the answered ones"
    return Score(total, percent, band_of(rules, total), answered, items, note)


def _sum(questionnaire: Questionnaire, given: Mapping[str, int]) -> tuple[float, float | None]:
    """The total on the full scale (prorated over the answered items) and, if the file asks, the
    percentage of what the answered items could reach."""
    floor = sum(questionnaire.item(i).lowest for i in given)
    reachable = sum(questionnaire.item(i).highest for i in given)
    share = (sum(given.values()) - floor) / (reachable - floor)
    low, high = questionnaire.total_range
    percent = round(share * 100, 1) if questionnaire.scoring.percent else None
    return round(low + share * (high - low), 1), percent


def band_of(rules: Scoring, total: float | None) -> str:
    """The label of the band ``total`` falls in ("" without bands or a total)."""
    label = ""
    for band in rules.bands:
        if total is not None and total >= band.at_least:
            label = band.label
    return label
