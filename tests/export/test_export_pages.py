"""Putting a report on pages, with heights made up (no Qt): the rules a filed report keeps."""

from __future__ import annotations

from neck_guide.export.pages import Paginator
from neck_guide.export.report import Block, Heading, Item, Table, Text

LINE = 10.0
PAGE = 100.0  # ten lines a page


class Lines:
    """Every HTML is as many lines tall as it has "|"-separated parts; a table row one line; text
    one line a word."""

    def height(self, html: str) -> float:
        if html.startswith("<table"):
            return LINE * (html.count("<tr") or 1)
        return LINE * (html.count("|") + 1)

    def text_html(self, text: str) -> str:
        return "|".join(text.split())

    def split_text(self, text: str, room: float) -> tuple[str, str]:
        words = text.split()
        fits = int(room // LINE)
        return " ".join(words[:fits]), " ".join(words[fits:])


def _pages(items: list[Item]) -> list[list[str]]:
    p = Paginator(Lines(), PAGE)
    p.add(items)
    return p.pages


def _table(rows: int, keep: frozenset[int] = frozenset()) -> Table:
    return Table("<th>Head</th>", tuple(f"<tr><td>row {n}</td></tr>" for n in range(rows)), keep)


def test_a_table_is_split_between_rows_with_its_header_on_every_page() -> None:
    pages = _pages([Block("a|b|c|d|e|f"), _table(12)])
    rows = [[part.count("<tr><td>") for part in page if part.startswith("<table")] for page in pages]
    assert rows == [[3], [9]]  # 6 lines of block, header + 3 rows; then header + 9 rows
    assert all(
        part.count("<th>Head</th>") == 1 for page in pages for part in page if part.startswith("<table")
    )
    every = "".join("".join(page) for page in pages)
    assert all(every.count(f"row {n}<") == 1 for n in range(12))  # each row whole, once


def test_a_heading_goes_to_the_page_of_what_it_heads() -> None:
    pages = _pages([Block("|".join("x" * 9)), Heading("<h2>Steps</h2>"), _table(3)])
    assert pages[0] == ["|".join("x" * 9)]
    assert pages[1][0] == "<h2>Steps</h2>"


def test_a_row_naming_a_phase_stays_with_the_row_after_it() -> None:
    pages = _pages([Block("|".join("x" * 7)), _table(4, keep=frozenset({1}))])
    first = next(part for part in pages[0] if part.startswith("<table"))
    assert "row 0<" in first and "row 1<" not in first
    assert "row 1<" in pages[1][0] and "row 2<" in pages[1][0]


def test_plain_text_is_split_between_lines_and_nothing_is_lost() -> None:
    words = " ".join(f"w{n}" for n in range(25))
    pages = _pages([Block("a|b|c"), Text(words)])
    assert [len(page) for page in pages] == [2, 1, 1]
    joined = "|".join(part for page in pages for part in page[1 if page is pages[0] else 0 :])
    assert joined.split("|") == words.split()


def test_a_block_taller_than_a_page_has_a_page_of_its_own() -> None:
    tall = "|".join("x" * 15)
    pages = _pages([Block("a"), Block(tall), Block("b")])
    assert pages == [["a"], [tall], ["b"]]
