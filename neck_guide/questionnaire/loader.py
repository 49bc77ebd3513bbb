"""Load questionnaire files and a clinic's wording files, and the catalog of every questionnaire.

Exceptions (all carry ``path``, ``place`` and ``message``; ``problems`` lists every one):

    QuestionnaireError         a questionnaire or wording file cannot be used: bad TOML, wrong
     │                         types, missing or unknown fields, ranges, an item a wording file
     │                         names that the questionnaire lacks, a different number of options
     └── UnknownQuestionnaire  no questionnaire with the asked id (also a KeyError)

Bundled questionnaires come from ``questionnaires/``; a clinic's own go in the user
questionnaires folder (:attr:`neck_guide.paths.Paths.user_questionnaires`) and replace a bundled
one of the same id, as protocols do. A *wording file* there (``wording_for = "ndi"``) gives the
wording of an instrument whose text may not be shipped: only the words change, never the items,
their order, their scores or the scoring, and the loader refuses a file that tries.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field

from neck_guide.datafile.fields import FrozenModel, Id, Text
from neck_guide.datafile.files import DataFileError, read_toml, shown_path, toml_files, validate
from neck_guide.datafile.folders import is_user_folder, load_files, load_layers
from neck_guide.datafile.problems import FileKind, Problem, TomlLines
from neck_guide.questionnaire.model import Label, Questionnaire

__all__ = [
    "QuestionnaireCatalog",
    "QuestionnaireError",
    "UnknownQuestionnaire",
    "Wording",
    "load_file",
    "load_wording",
]

WORDING_KEY = "wording_for"


class QuestionnaireError(DataFileError):
    """A questionnaire or wording file cannot be used (one line per problem, with the file)."""


class UnknownQuestionnaire(QuestionnaireError, KeyError):  # noqa: N818 - says the outcome, like KeyError
    """No questionnaire has the asked id."""

    def __init__(self, questionnaire_id: str, known: Iterable[str]) -> None:
        self.questionnaire_id = questionnaire_id
        listing = ", ".join(sorted(known)) or "none (no questionnaire loaded)"
        message = f"no questionnaire has the id {questionnaire_id!r}. Known ids: {listing}."
        super().__init__(None, [Problem("", message)])

    def __str__(self) -> str:
        return QuestionnaireError.__str__(self)


class ItemWording(FrozenModel):
    """The words of one item; what is left out keeps the questionnaire's words."""

    text: Text | None = None
    options: tuple[Text, ...] | None = Field(default=None, description="as many as the item has")
    low_label: Label | None = None
    high_label: Label | None = None
    name_prompt: Label | None = None


class Wording(FrozenModel):
    """A clinic's wording of a questionnaire whose text is not shipped (``wording_for`` its id)."""

    schema_version: Literal[1]
    wording_for: Id
    wording: Text = Field(description="what this wording is: its source, language and licence")
    title: Annotated[str, Field(min_length=1, max_length=80)] | None = None
    intro: Text | None = None
    items: dict[str, ItemWording] = Field(default_factory=dict, description="item id -> its words")


QUESTIONNAIRE_FILE = FileKind(Questionnaire, "questionnaire")
WORDING_FILE = FileKind(Wording, "wording")


def load_file(path: Path) -> Questionnaire:
    """The questionnaire in ``path``, or a QuestionnaireError listing every problem found in it."""
    data, text = read_toml(Path(path), QuestionnaireError)
    if WORDING_KEY in data:
        problem = Problem(
            WORDING_KEY, "this is a wording file, not a questionnaire: put it in your questionnaires folder"
        )
        raise QuestionnaireError(path, [problem])
    return validate(Questionnaire, QUESTIONNAIRE_FILE, Path(path), data, text, error=QuestionnaireError)


def load_wording(path: Path) -> tuple[Wording, str]:
    """The wording file in ``path`` and its text (for the lines of later problems)."""
    data, text = read_toml(Path(path), QuestionnaireError)
    return validate(Wording, WORDING_FILE, Path(path), data, text, error=QuestionnaireError), text


def is_wording_file(path: Path) -> bool:
    """Whether ``path`` reads as a wording file (a top-level ``wording_for``); False if unreadable."""
    try:
        data, _ = read_toml(path, QuestionnaireError)
    except QuestionnaireError:
        return False
    return WORDING_KEY in data


def apply_wording(questionnaire: Questionnaire, wording: Wording, path: Path, text: str) -> Questionnaire:
    """``questionnaire`` in the clinic's words; QuestionnaireError naming each mismatch."""
    problems = list(_mismatches(questionnaire, wording, TomlLines(text)))
    if problems:
        raise QuestionnaireError(path, problems)
    items = []
    for item in questionnaire.items:
        words = wording.items.get(item.id)
        changes = {} if words is None else {k: v for k, v in words.model_dump().items() if v is not None}
        items.append(item.model_copy(update=changes))
    update: dict[str, Any] = {"items": tuple(items), "wording": wording.wording, "placeholder": False}
    update |= {k: v for k in ("title", "intro") if (v := getattr(wording, k)) is not None}
    return Questionnaire.model_validate(questionnaire.model_copy(update=update).model_dump())


def _mismatches(questionnaire: Questionnaire, wording: Wording, lines: TomlLines) -> Iterator[Problem]:
    """Items the questionnaire lacks, and option lists of another length than the item's."""
    known = {i.id: i for i in questionnaire.items}
    for item_id, words in wording.items.items():
        item = known.get(item_id)
        if item is None:
            listing = ", ".join(known)
            message = f"{questionnaire.id!r} has no item {item_id!r}; its items are {listing}"
            yield Problem(f"items.{item_id}", message, lines.line_of(("items", item_id)))
        elif words.options is not None and len(words.options) != len(item.options):
            given, wanted = len(words.options), len(item.options)
            message = f"has {given} options; item {item_id!r} has {wanted}: give one for each"
            where = ("items", item_id, "options")
            yield Problem(f"items.{item_id}.options", message, lines.line_of(where))


@dataclass(frozen=True, slots=True)
class Loaded:
    path: Path
    questionnaire: Questionnaire


@dataclass
class QuestionnaireCatalog:
    """Every usable questionnaire by id (a clinic's wording applied), with what went wrong."""

    entries: dict[str, Loaded] = field(default_factory=dict)
    errors: list[QuestionnaireError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, bundled_dir: Path, user_dir: Path | None) -> QuestionnaireCatalog:
        """The bundled questionnaires, the user's (replacing bundled ones of the same id), then
        the user's wording files applied to them."""
        layers = load_layers(
            bundled_dir,
            user_dir,
            load_one_folder=_questionnaires_in,
            id_of=lambda q: q.id,
            noun="questionnaire",
            error=QuestionnaireError,
        )
        catalog = cls(
            {qid: Loaded(p, q) for qid, (p, q) in layers.entries.items()}, layers.errors, layers.notices
        )
        if is_user_folder(user_dir, bundled_dir, [], QuestionnaireError):  # its errors named above
            assert user_dir is not None
            for path in _wording_files(user_dir):
                catalog._apply(path)
        return catalog

    def _apply(self, path: Path) -> None:
        try:
            wording, text = load_wording(path)
            entry = self.entries.get(wording.wording_for)
            if entry is None:
                raise UnknownQuestionnaire(wording.wording_for, self.entries)
            worded = apply_wording(entry.questionnaire, wording, path, text)
        except UnknownQuestionnaire as e:
            problem = Problem(
                WORDING_KEY, e.message, TomlLines(path.read_text("utf-8")).line_of((WORDING_KEY,))
            )
            self.errors.append(QuestionnaireError(path, [problem]))
            return
        except QuestionnaireError as e:
            self.errors.append(e)
            return
        self.entries[worded.id] = Loaded(entry.path, worded)
        self.notices.append(
            f"The wording of {worded.title!r} comes from {shown_path(path)}: {worded.wording}"
        )

    @property
    def questionnaires(self) -> list[Questionnaire]:
        """Every questionnaire, in their order (then by title)."""
        return sorted((e.questionnaire for e in self.entries.values()), key=lambda q: (q.order, q.title))

    @property
    def scheduled(self) -> list[Questionnaire]:
        """Those given at intake and on the clinic's schedule, in order."""
        return [q for q in self.questionnaires if q.scheduled]

    def __contains__(self, questionnaire_id: object) -> bool:
        return questionnaire_id in self.entries

    def get(self, questionnaire_id: str) -> Questionnaire:
        try:
            return self.entries[questionnaire_id].questionnaire
        except KeyError:
            raise UnknownQuestionnaire(questionnaire_id, self.entries) from None

    def by_id(self) -> Mapping[str, Questionnaire]:
        return {qid: e.questionnaire for qid, e in self.entries.items()}


def _questionnaires_in(folder: Path) -> tuple[list[tuple[Path, Questionnaire]], list[QuestionnaireError]]:
    """The folder's questionnaires (its wording files are applied afterwards)."""
    try:
        paths = [p for p in toml_files(folder) if not is_wording_file(p)]
    except DataFileError as e:
        return [], [QuestionnaireError(e.path, e.problems)]
    return load_files(paths, load_file, lambda q: q.id, QuestionnaireError)


def _wording_files(folder: Path) -> list[Path]:
    try:
        return [p for p in toml_files(folder) if is_wording_file(p)]
    except DataFileError:  # the folder cannot be read: named when its questionnaires were looked for
        return []
