"""``neck-guide questionnaires``: the questionnaires the app knows, or ``--check FILE…`` of files.

Listing says, for each questionnaire, its id, title, items, what its total is and where its
wording comes from (a placeholder until a clinic gives the licensed words), then the notices and
the files that could not be used. ``--check`` loads questionnaire and wording files (a folder
means its ``*.toml``) and prints every problem with its line: exit 0 when all are valid.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from neck_guide.datafile.files import DataFileError, shown_path, toml_files, where_is
from neck_guide.datafile.text import error_block, wrap
from neck_guide.paths import BUNDLED_QUESTIONNAIRES_DIR, Paths
from neck_guide.questionnaire.loader import (
    QuestionnaireCatalog,
    QuestionnaireError,
    apply_wording,
    is_wording_file,
    load_file,
    load_wording,
)
from neck_guide.questionnaire.model import Questionnaire

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def run(paths: Paths, check: Sequence[Path]) -> int:
    if check:
        return check_paths(list(check), sys.stdout, sys.stderr)
    catalog = QuestionnaireCatalog.load(BUNDLED_QUESTIONNAIRES_DIR, paths.user_questionnaires)
    return print_questionnaires(catalog, sys.stdout, sys.stderr)


def print_questionnaires(catalog: QuestionnaireCatalog, out: TextIO, err: TextIO) -> int:
    """One block per questionnaire, then notices; files that failed go to ``err``. Always 0."""
    for q in catalog.questionnaires:
        out.write(describe(q) + "\n")
    if not catalog.entries:
        print("No questionnaires found.", file=out)
    for notice in catalog.notices:
        print(wrap(notice), file=out)
    if catalog.errors:
        print("These questionnaire files could not be used and are left out:", file=err)
        for error in catalog.errors:
            print(error_block(error), file=err)
        print("Fix them, then check with `neck-guide questionnaires --check FILE`.", file=err)
    return EXIT_OK


def describe(q: Questionnaire) -> str:
    """A questionnaire in three lines: id and title; items and scoring; where its wording comes from."""
    low, high = q.total_range
    rules = q.scoring
    how = {"sum": "sum", "mean": "mean", "single": "the one item"}[rules.method]
    items = f"{len(q.items)} item{'s' if len(q.items) > 1 else ''}"
    percent = ", and a percentage" if rules.percent else ""
    scored = f"{rules.total_title} {low:g}-{high:g}: {how}{percent}; {rules.better} is better"
    worded = f"wording: {q.wording}" + (" (PLACEHOLDER: see the README)" if q.placeholder else "")
    lines = [
        f"{q.id}  {q.title} ({q.short_title}, version {q.version})",
        wrap(f"{items}; {scored}; MCID {rules.mcid:g}", "    "),
        wrap(worded, "    "),
    ]
    return "\n".join(lines)


def check_paths(paths: Sequence[Path], out: TextIO, err: TextIO) -> int:
    """Check questionnaire and wording files: 0 all valid, 1 any invalid, 2 a path missing."""
    status = EXIT_OK
    bundled = QuestionnaireCatalog.load(BUNDLED_QUESTIONNAIRES_DIR, None)
    for path in paths:
        try:
            there = where_is(path, QuestionnaireError)
            files = toml_files(path) if there == "folder" else [path]
        except DataFileError as e:  # a folder on the way or the folder itself cannot be read
            print(error_block(QuestionnaireError(e.path, e.problems)), file=out)
            status = status or EXIT_INVALID
            continue
        if there == "missing":
            print(f"neck-guide questionnaires: no such file or folder: {path}", file=err)
            status = EXIT_USAGE
            continue
        for file in files:
            try:
                print(f"ok  {shown_path(file)}  ({_check(file, bundled)})", file=out)
            except QuestionnaireError as e:
                print(error_block(e), file=out)
                status = status or EXIT_INVALID
    return status


def _check(path: Path, bundled: QuestionnaireCatalog) -> str:
    if not is_wording_file(path):
        q = load_file(path)
        return f"{q.id}, {len(q.items)} items"
    wording, text = load_wording(path)
    target = bundled.get(wording.wording_for) if wording.wording_for in bundled else None
    if target is None:
        return (
            f"wording for {wording.wording_for!r}, not a bundled questionnaire: checked when the app loads it"
        )
    apply_wording(target, wording, path, text)
    return f"wording for {wording.wording_for!r}, {len(wording.items)} items worded"
