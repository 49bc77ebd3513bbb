"""Clinical rules a protocol file must meet beyond its shape: what it must screen for.

A hands-on protocol screens every known red flag and contraindication of the two source
articles (and chest pain when it works the scalenes, whose referred pain can pass for heart
trouble); a self-care routine screens the red flags. A finding counts as screened when a
question names it in ``findings`` with a gate at least as strict as the finding needs
(a red flag's "refer" is stricter than "clearance"; "defer" is the strictest).

The loader applies these rules to every file it reads, bundled or the user's, so a protocol
that leaves a red flag out never reaches the table; protocols built in code (tests) are not
held to them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from neck_guide.protocol.model import Protocol
from neck_guide.protocol.screening import FINDINGS, STRICTNESS, Finding, Gate, ScreeningItem

_HOW: dict[Gate, str] = {
    "refer": 'kind = "red_flag"',
    "defer": 'kind = "contraindication" and response = "defer"',
    "clearance": 'kind = "contraindication" and response = "clearance" (or a stricter kind)',
    "acknowledge": 'kind = "precaution"',
}


_SELF_CARE = ' (a routine a client does alone says delivery = "self_care" and needs only the red flags)'


@dataclass(frozen=True, slots=True)
class Gap:
    """A finding the protocol does not screen for, or screens too weakly.

    ``item`` is the index of the question that screens it too weakly (None: no question does)."""

    finding: Finding
    item: int | None
    message: str


def required_findings(protocol: Protocol) -> list[Finding]:
    """The findings ``protocol`` must screen for, by its delivery and the muscles it works."""
    if protocol.delivery == "self_care":
        return [f for f in FINDINGS.values() if f.needs == "refer" and f.only_with_muscle is None]
    worked = set(protocol.muscles)
    return [f for f in FINDINGS.values() if f.only_with_muscle in (None, *worked)]


def screening_gaps(protocol: Protocol) -> list[Gap]:
    """Every required finding that no question screens strictly enough, in FINDINGS order."""
    return [gap for finding in required_findings(protocol) for gap in _gap(protocol, finding)]


def _gap(protocol: Protocol, finding: Finding) -> Iterator[Gap]:
    naming = [(i, item) for i, item in enumerate(protocol.screening) if finding.id in item.findings]
    if any(STRICTNESS[item.gate] >= STRICTNESS[finding.needs] for _, item in naming):
        return
    if naming:
        index, item = max(naming, key=lambda pair: STRICTNESS[pair[1].gate])
        yield Gap(finding, index, _too_weak(finding, item))
        return
    yield Gap(
        finding,
        None,
        f"does not screen for {finding.words} ({finding.source}): add a [[screening]] "
        f'question with findings = ["{finding.id}"] and {_HOW[finding.needs]}'
        + (_SELF_CARE if protocol.delivery == "hands_on" and finding.needs != "refer" else ""),
    )


def _too_weak(finding: Finding, item: ScreeningItem) -> str:
    return (
        f"screens for {finding.words} ({finding.source}) with a yes that needs only "
        f"{_gate_words(item.gate)}; it needs {_gate_words(finding.needs)}: use {_HOW[finding.needs]}"
    )


def _gate_words(gate: Gate) -> str:
    return {
        "acknowledge": "an acknowledgement",
        "clearance": "a recorded clearance",
        "refer": "a referral (or a recorded clearance)",
        "defer": "the session deferred",
    }[gate]
