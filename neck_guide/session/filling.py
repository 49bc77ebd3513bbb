"""A client filling in questionnaires on the tablet: one question per screen, back and change.

The screens run through each questionnaire in turn: its introduction, then one screen per item,
and a thank-you at the end. An answer is one tap that moves on; going back shows the answer given,
and a new tap replaces it (a later entry in the record, never an edit). An item may be skipped
(the NDI's driving section for a client who does not drive); on the PSFS "no more activities"
skips the rest. Each answer changes a :class:`ResponseRecord`, which the caller saves at once (the
records journal), so a crash keeps every answer given. A questionnaire is scored and marked
completed when its last item is passed, and scored again if an answer is changed afterwards.

Pure Python: the client-mode page only shows :attr:`ClientFilling.screen` and relays taps.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from neck_guide.engine.clock import Clock, WallAnchor
from neck_guide.questionnaire.model import Item, Questionnaire
from neck_guide.questionnaire.response import Answer, Occasion, ResponseRecord
from neck_guide.questionnaire.scoring import score

ScreenKind = Literal["intro", "item", "thanks"]


@dataclass(frozen=True, slots=True)
class Screen:
    """What the client sees: a questionnaire's introduction, one of its items, or the thanks."""

    kind: ScreenKind
    questionnaire: int = -1  # index into ClientFilling.questionnaires
    item: int = -1  # index into that questionnaire's items
    number: int = 0  # the item's number in its questionnaire, from 1 ("3 of 10")
    of: int = 0


class ClientFilling:
    """One client's run through ``questionnaires``; ``save`` is called with a copy of each record
    as soon as it changes."""

    def __init__(
        self,
        questionnaires: Sequence[Questionnaire],
        *,
        client_code: str | None,
        occasion: Occasion,
        clock: Clock,
        save: Callable[[ResponseRecord], None],
        previous_names: Mapping[str, Mapping[str, str]] | None = None,
        new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        if not questionnaires:
            raise ValueError("no questionnaire to fill in")
        self.questionnaires = tuple(questionnaires)
        self.client_code = client_code
        self.occasion = occasion
        self._clock = clock
        self._anchor = WallAnchor(clock)
        self._save = save
        self._new_id = new_id
        self._names = previous_names or {}
        self.records: list[ResponseRecord | None] = [None] * len(self.questionnaires)
        self.screens = self._screens()
        self.index = 0

    def _screens(self) -> list[Screen]:
        screens: list[Screen] = []
        for q_index, q in enumerate(self.questionnaires):
            screens.append(Screen("intro", q_index))
            count = len(q.items)
            screens += [Screen("item", q_index, i, i + 1, count) for i in range(count)]
        screens.append(Screen("thanks"))
        return screens

    # -- what is on screen ----------------------------------------------------------------------

    @property
    def screen(self) -> Screen:
        return self.screens[self.index]

    @property
    def finished(self) -> bool:
        return self.screen.kind == "thanks"

    def questionnaire(self, screen: Screen | None = None) -> Questionnaire | None:
        s = screen or self.screen
        return self.questionnaires[s.questionnaire] if s.questionnaire >= 0 else None

    def item(self, screen: Screen | None = None) -> Item | None:
        s = screen or self.screen
        q = self.questionnaire(s)
        return q.items[s.item] if q is not None and s.kind == "item" else None

    def given(self, screen: Screen | None = None) -> Answer | None:
        """The answer standing for the item on ``screen`` (None: not answered yet)."""
        s = screen or self.screen
        item, record = self.item(s), self.records[s.questionnaire] if s.questionnaire >= 0 else None
        if item is None or record is None:
            return None
        return record.standing().get(item.id)

    def suggested_name(self) -> str:
        """The activity name to offer on an activity item: the one given now, or the last filling's."""
        item, q, given = self.item(), self.questionnaire(), self.given()
        if item is None or q is None or item.kind != "activity":
            return ""
        return given.name if given is not None and given.name else self._names.get(q.id, {}).get(item.id, "")

    def can_go_back(self) -> bool:
        return self.index > 0 and not self.finished

    def can_go_forward(self) -> bool:
        """Forward without a new answer: past an introduction, or past an item already answered."""
        return self.screen.kind == "intro" or (self.screen.kind == "item" and self.given() is not None)

    # -- taps -------------------------------------------------------------------------------------

    def answer(self, value: int, name: str = "") -> None:
        """The client's answer to the item on screen, then the next screen. ValueError for a value
        the item does not allow, or an activity without a name."""
        item, q_index = self.item(), self.screen.questionnaire
        if item is None:
            raise ValueError(f"there is no question on the {self.screen.kind} screen to answer")
        if not item.allows(value):
            raise ValueError(f"{value!r} is not an answer to {item.id!r} ({item.lowest}..{item.highest})")
        name = " ".join(name.split())
        if item.kind == "activity" and not name:
            raise ValueError("name the activity before rating it")
        self._record(q_index, Answer(item.id, value, self._now(), name if item.kind == "activity" else ""))
        self._advance()

    def skip(self) -> None:
        """Leave the item on screen unanswered (recorded as skipped), then the next screen."""
        item, q_index = self.item(), self.screen.questionnaire
        if item is None:
            raise ValueError(f"there is no question on the {self.screen.kind} screen to skip")
        self._record(q_index, Answer(item.id, None, self._now()))
        self._advance()

    def skip_rest(self) -> None:
        """No more items of this questionnaire (the PSFS's "no more activities"): each left is
        recorded as skipped, then the next questionnaire."""
        q_index = self.screen.questionnaire
        while self.screen.kind == "item" and self.screen.questionnaire == q_index:
            self.skip()

    def forward(self) -> None:
        if self.screen.kind == "intro" or self.can_go_forward():
            self._advance()

    def back(self) -> None:
        if self.can_go_back():
            self.index -= 1

    def stop(self) -> None:
        """The filling is left before its end: records begun and not completed are marked stopped."""
        for n, record in enumerate(self.records):
            if record is not None and record.status == "in_progress":
                record.status = "stopped"
                self._rescore(n)

    # -- the records ------------------------------------------------------------------------------

    def _now(self) -> str:
        return self._anchor.iso(self._clock.monotonic())

    def _record(self, q_index: int, answer: Answer) -> None:
        record = self.records[q_index]
        if record is None:
            q = self.questionnaires[q_index]
            record = ResponseRecord.begin(q, self._new_id(), self.client_code, self.occasion, answer.at)
            self.records[q_index] = record
        record.answers.append(answer)
        self._rescore(q_index)

    def _advance(self) -> None:
        leaving = self.screen
        self.index = min(self.index + 1, len(self.screens) - 1)
        if leaving.kind == "item" and self.screen.questionnaire != leaving.questionnaire:
            self._complete(leaving.questionnaire)

    def _complete(self, q_index: int) -> None:
        record = self.records[q_index]
        if record is not None and record.status != "completed":
            record.status = "completed"
            record.completed_at = self._now()
            self._rescore(q_index)

    def _rescore(self, q_index: int) -> None:
        record = self.records[q_index]
        if record is None:
            return
        record.set_score(score(self.questionnaires[q_index], record.values()))
        self._save(copy.deepcopy(record))


def previous_names(responses: Sequence[ResponseRecord]) -> dict[str, dict[str, str]]:
    """The activities a client named at their last filling of each questionnaire (the PSFS), by
    questionnaire and item: offered again, so the same activities are rated each time."""
    names: dict[str, dict[str, str]] = {}
    for r in responses:
        named = {item_id: a.name for item_id, a in r.standing().items() if a.name}
        if named:
            names[r.questionnaire_id] = named
    return names
