"""The runner page: one step at a time, readable from across the room, hands-free if wanted.

Where we are (phase strip, step n of N, time left), what and where (technique, diagram, side,
safety), the time (a large countdown ring, or the breathing pacer), the controls with their
keys, the rating pad and what comes next. Everything shown is read from the runner at the
model's ``tick``; every press goes back through the model. The Auto-advance and Mute switches
are the preferences themselves (as in Settings, kept for later sessions): a press sets them
through the Preferences, and the switches show what the Preferences hold.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from neck_guide.diagram import Highlight
from neck_guide.engine.events import CueDue, Event, MinimumReached, RatingRecorded, SessionEnded, StepStarted
from neck_guide.engine.runner import SessionRunner
from neck_guide.protocol.model import RatingKind
from neck_guide.protocol.plan import PlannedStep
from neck_guide.session.controls import CONTROL_NAMES, Deed, controls
from neck_guide.ui.preferences import Preferences
from neck_guide.ui.session_model import SessionModel
from neck_guide.ui.widgets.common import button, format_clock, set_density
from neck_guide.ui.widgets.phase_strip import PhaseStrip
from neck_guide.ui.widgets.rating_pad import RatingPad
from neck_guide.ui.widgets.runner_parts import ControlBar, NextLine
from neck_guide.ui.widgets.step_row import StepRow

EMPHASIS_S: Final = 5.0
# below this many lines of body text in height (a short window at a large text size) the page goes
# dense: the status beside the phases, the rating question beside the pad, no key lines on the controls
DENSE_BELOW_LINES: Final = 20
NEXT_LINES_DENSE: Final = 2
SHOWN_CUES: Final = frozenset({"protocol", "minimum", "maximum", "warning"})
KIND_WORDS: Final[dict[RatingKind, str]] = {"pressure": "Pressure", "pain": "Pain"}
AUTO_ADVANCE_TIP: Final = (
    "Auto-advance: move on by itself when a timed step ends. The same switch as in Settings: it stays"
    " as you leave it for later sessions."
)


class RunnerPage(QWidget):
    """Run the open session.

    Signals:
        end_requested(): the therapist asked to end the session (the window confirms it).
    """

    end_requested = Signal()

    def __init__(self, model: SessionModel, preferences: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._preferences = preferences
        self._space_hint = "Space"
        self._step: PlannedStep | None = None
        self._tap_kind: RatingKind = "pressure"
        self._dense = False
        page = QVBoxLayout(self)
        page.setContentsMargins(16, 8, 16, 10)
        page.setSpacing(6)
        self.phase_strip = PhaseStrip()
        page.addWidget(self.phase_strip)
        self.step_row = StepRow()
        # the parts of the row, by their names (tests and the page read them)
        self.step_panel, self.timer_stack = self.step_row.step_panel, self.step_row.timer_stack
        self.ring, self.pacer, self.diagram = self.step_row.ring, self.step_row.pacer, self.step_row.diagram
        page.addWidget(self.step_row, 1)
        page.addLayout(self._build_next_row())
        page.addLayout(self._build_rating())
        self.controls = ControlBar()
        self.controls.pressed.connect(self._on_control_pressed)
        page.addWidget(self.controls)
        model.event_emitted.connect(self._on_event_emitted)
        model.tick.connect(self._on_tick)
        model.state_changed.connect(self._on_state_changed)
        model.session_changed.connect(self._on_session_changed)
        preferences.changed.connect(self._on_preference_changed)
        self._on_preference_changed("auto_advance")
        self._on_preference_changed("voice_muted")
        if model.runner is not None:
            self._on_session_changed(model.runner)

    def _build_next_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        self.next_line = NextLine()
        row.addWidget(self.next_line, 1, Qt.AlignmentFlag.AlignVCenter)
        self.auto_advance = button("Auto-advance", checkable=True, compact=True)
        self.auto_advance.setToolTip(AUTO_ADVANCE_TIP)
        self.auto_advance.clicked.connect(lambda on: self._preferences.set("auto_advance", bool(on)))
        self.voice = button("Mute", checkable=True, compact=True)
        self.voice.clicked.connect(lambda on: self._preferences.set("voice_muted", bool(on)))
        self.end = button("End", "quiet", compact=True)
        self.end.setToolTip("End the session now and go to the summary")
        self.end.clicked.connect(self.end_requested)
        for b in (self.auto_advance, self.voice, self.end):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            row.addWidget(b)
        return row

    @property
    def dense(self) -> bool:
        return self._dense

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit_density()

    def _fit_density(self) -> None:
        # by the page's height alone (never by what it shows), so the choice cannot feed back
        dense = self.height() < DENSE_BELOW_LINES * self.fontMetrics().height()
        if dense != self._dense:
            self._dense = dense
            self.phase_strip.set_dense(dense)
            self.rating_pad.set_dense(dense)
            self.controls.set_dense(dense)
            set_density(self.next_line, dense)
            self.next_line.set_max_lines(NEXT_LINES_DENSE if dense else None)
            self.auto_advance.setText("Auto" if dense else "Auto-advance")  # the "Next:" line gets the room
            self.step_row.fit()

    def _build_rating(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[RatingKind, QPushButton] = {}
        kinds: tuple[RatingKind, ...] = ("pressure", "pain")
        for kind in kinds:
            b = button(KIND_WORDS[kind], checkable=True, compact=True)
            b.setToolTip("Which rating the next tap records (the digit keys record pressure)")
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.toggled.connect(lambda on, k=kind: self._on_tap_kind_toggled(k, on))
            self.kind_group.addButton(b)
            self.kind_buttons[kind] = b
            row.addWidget(b, 0, Qt.AlignmentFlag.AlignBottom)
        self.rating_pad = RatingPad()
        self.rating_pad.rating_chosen.connect(self._on_rating_chosen)
        row.addWidget(self.rating_pad, 1)
        return row

    # -- what the model says ---------------------------------------------------------------

    def _on_session_changed(self, runner: SessionRunner | None) -> None:
        if runner is None:
            return
        self.phase_strip.set_phases([p.title for p in runner.plan.protocol.phases])
        self._show_step(runner.current)

    def _on_event_emitted(self, event: Event) -> None:
        if self._model.runner is None:
            return
        if isinstance(event, StepStarted):
            self._show_step(self._model.runner.current)
        elif isinstance(event, RatingRecorded):
            self._on_rating_recorded(event)
        elif isinstance(event, CueDue) and event.cue.kind in SHOWN_CUES:
            self.step_panel.show_cue(event.cue.text)
        elif isinstance(event, MinimumReached):
            self.step_panel.show_cue("Minimum reached: release when it softens")
        elif isinstance(event, SessionEnded):
            self._refresh_controls("finished")

    def _on_rating_recorded(self, event: RatingRecorded) -> None:
        rating = event.rating
        asked = _asked(self._step)
        if rating.kind == self._tap_kind or (not asked and rating.kind == "pressure"):
            self.rating_pad.set_value(rating.value)
        if rating.ease_off:
            self.rating_pad.flash_ease_off()
            self.step_panel.show_cue(
                f"Ease off: {KIND_WORDS[rating.kind].lower()} {rating.value} is too much"
            )
        if rating.kind == "pain" and len(asked) > 1:
            self.kind_buttons["pressure"].setChecked(True)  # a pain tap is a one-off

    def _show_step(self, step: PlannedStep) -> None:
        self._step = step
        self.step_panel.show_step(step)
        d = step.step.diagram
        highlight = (
            Highlight(d.view, d.muscles, d.trigger_points, d.referral_zones, d.safety_zones, step.side)
            if d is not None and step.kind != "rest"
            else None
        )
        self.step_row.show_visuals(highlight, breathing=step.kind == "breathing")
        self._show_rating_spec(step)
        runner = self._model.runner
        if runner is not None:
            self.next_line.show_next(step, runner.upcoming())
            self._refresh_controls(runner.state)
        self._on_tick(self._model.now())

    def _show_rating_spec(self, step: PlannedStep) -> None:
        asked = _asked(step)
        both = len(asked) > 1
        for b in self.kind_buttons.values():
            b.setVisible(both)
        self._tap_kind = asked[0] if asked else "pressure"
        if both:
            self.kind_buttons[self._tap_kind].setChecked(True)
        self._apply_spec(step)
        self.rating_pad.set_value(None)

    def _apply_spec(self, step: PlannedStep) -> None:
        spec = step.rating
        if spec is None:
            self.rating_pad.set_spec("Rating (optional)", None, None)
            return
        target = spec.target if self._tap_kind == spec.ask[0] else None
        both = len(spec.ask) > 1  # the checked kind button already says what a tap records
        self.rating_pad.set_spec("" if both else KIND_WORDS[self._tap_kind], target, spec.ease_off_at)

    def _on_state_changed(self, state: str) -> None:
        self._refresh_controls(state)

    def _refresh_controls(self, state: str) -> None:
        """What each control does now, from the session layer (session/controls.py)."""
        now = controls(self._model.runner, self._preferences.current.extend_s)
        c = self.controls
        for name in c.buttons:
            control = now[name]  # type: ignore[index]  # the bar's buttons are ControlNames
            c.buttons[name].setEnabled(control.enabled)
            if name == "start_pause":
                c.set_title(name, control.title)
        self.end.setEnabled(state != "finished")
        c.set_primary(now.primary)
        self._refresh_space_hint(state)

    def _refresh_space_hint(self, state: str) -> None:
        """Space starts, pauses and resumes in every state (it never releases a hold)."""
        self.controls.set_hint("start_pause", self._space_hint)

    def set_key_hints(self, hints: dict[str, str]) -> None:
        """Show the keys of each control (from the key bindings), e.g. {"next": "→ / PgDown"}."""
        self._space_hint = hints.get("start_pause", "")
        for name in ("back", "extend", "next"):
            self.controls.set_hint(name, hints.get(name, ""))
        self.voice.setToolTip(f"Key: {hints.get('mute', '')}")
        self._refresh_space_hint(self._model.state)

    def _on_preference_changed(self, name: str) -> None:
        settings = self._preferences.current
        if name == "auto_advance":
            self.auto_advance.setChecked(settings.auto_advance)
        elif name == "voice_muted":
            self.voice.setChecked(settings.voice_muted)
            self.voice.setText("Muted" if settings.voice_muted else "Mute")

    def _on_tick(self, now: float) -> None:
        runner, step = self._model.runner, self._step
        if runner is None or step is None:
            return
        remaining, elapsed, state = runner.remaining(now), runner.elapsed(now), runner.state
        overtime = state == "overtime"
        total = step.max_s if overtime or remaining is None else elapsed + remaining
        self.ring.set_time(
            remaining_s=remaining if step.timed else None,
            elapsed_s=elapsed,
            total_s=total if step.timed else None,
            min_s=step.min_s if step.kind == "range" else None,
            paused=state == "paused",
            overtime=overtime,
        )
        if step.kind == "breathing":
            phase = runner.breathing_phase(now)
            if phase is not None:
                self.pacer.set_phase(*phase)
            self.step_row.set_pacer_left(f"{format_clock(remaining or 0)} left in this step")
        count = len(runner.plan.steps)
        self.phase_strip.set_position(step.phase_index, step.index + 1, count, runner.overall_remaining(now))
        self.next_line.set_emphasised(
            remaining is not None and state == "running" and remaining <= EMPHASIS_S
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.FontChange:  # the text size changed
            self._fit_density()
        super().changeEvent(event)

    # -- what the therapist does -------------------------------------------------------------

    def act(self, action: str) -> bool:
        """A control or its key (a session.controls.ControlName); True if it did something now."""
        if action not in CONTROL_NAMES:
            return False
        deed = controls(self._model.runner, self._preferences.current.extend_s)[action].does
        if deed is None:
            return False
        m = self._model
        handlers: dict[Deed, Callable[[], None]] = {
            "start": m.toggle, "pause": m.toggle, "resume": m.toggle, "release": m.release,
            "next": m.next, "end_early": m.next, "back": m.back, "undo": m.undo,
            "extend": lambda: m.extend(self._preferences.current.extend_s),
        }  # fmt: skip
        handlers[deed]()
        return True

    def rate_from_key(self, value: int) -> bool:
        """A digit key: records the first rating the step asks for (pressure when it asks both)."""
        runner = self._model.runner
        if runner is None or runner.state == "finished":
            return False
        asked = _asked(self._step)
        self._model.rate(asked[0] if asked else "pressure", value)
        return True

    def _on_control_pressed(self, name: str) -> None:
        self.act(name)  # a button does what its key does

    def _on_rating_chosen(self, value: int) -> None:
        runner = self._model.runner
        if runner is not None and runner.state != "finished":
            self._model.rate(self._tap_kind, value)

    def _on_tap_kind_toggled(self, kind: RatingKind, on: bool) -> None:
        if on:
            self._tap_kind = kind
            if self._step is not None:
                self._apply_spec(self._step)


def _asked(step: PlannedStep | None) -> tuple[RatingKind, ...]:
    if step is None or step.rating is None:
        return ()
    return step.rating.ask
