"""Putting a report's flow of items on pages (pure: heights come from a measurer the caller gives).

The rules a clinic's filed report keeps:

- a table is split only between rows, and each page it runs onto starts with its header row; a row
  that names what follows (a phase) stays with the row after it;
- a heading is never left at the foot of a page: it goes where the first line of what it heads goes;
- a block (a paragraph, a list item, the chart) is never split; one taller than a page has a page
  of its own;
- plain text (the notes) is split between lines when it does not fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from neck_guide.export.report import Block, Heading, Item, Table, Text


class Measurer(Protocol):
    """Heights of HTML laid out at the page's width, and where plain text can be cut."""

    def height(self, html: str) -> float:
        """The height ``html`` takes on a page."""
        ...

    def text_html(self, text: str) -> str:
        """The HTML of a paragraph of plain ``text``."""
        ...

    def split_text(self, text: str, room: float) -> tuple[str, str]:
        """``text`` cut after its last line that fits in ``room`` (("", text) when none does)."""
        ...


@dataclass
class Paginator:
    """Fills pages of ``page_height`` with the HTML of the items given to :meth:`add`."""

    measure: Measurer
    page_height: float
    pages: list[list[str]] = field(default_factory=lambda: [[]])
    used: float = 0.0

    def new_page(self) -> None:
        if self.pages[-1]:
            self.pages.append([])
            self.used = 0.0

    def room(self) -> float:
        return self.page_height - self.used

    def place(self, html: str, height: float) -> None:
        if height > self.room():
            self.new_page()
        self.pages[-1].append(html)
        self.used += height

    def add(self, items: Sequence[Item]) -> None:
        for n, item in enumerate(items):
            if isinstance(item, Heading):
                need = self.measure.height(item.html) + self._first_line(items[n + 1 : n + 2])
                if need > self.room():
                    self.new_page()
                self.place(item.html, self.measure.height(item.html))
            elif isinstance(item, Block):
                self.place(item.html, self.measure.height(item.html))
            elif isinstance(item, Text):
                self._text(item.text)
            else:
                self._table(item)

    def _first_line(self, following: Sequence[Item]) -> float:
        """The height of the least of what follows a heading that must go with it."""
        if not following:
            return 0.0
        item = following[0]
        if isinstance(item, Table):
            return self.measure.height(item.html(item.rows[:1]))
        if isinstance(item, Text):
            return self.measure.height(self.measure.text_html(item.text.split(maxsplit=1)[0]))
        return self.measure.height(item.html)

    def _text(self, text: str) -> None:
        while text:
            first, rest = self.measure.split_text(text, self.room())
            if not first:
                if not self.pages[-1]:  # not one line fits an empty page: place it whole, never lose it
                    first, rest = text, ""
                else:
                    self.new_page()
                    continue
            self.place(self.measure.text_html(first), self.measure.height(self.measure.text_html(first)))
            text = rest
            if text:
                self.new_page()

    def _table(self, table: Table) -> None:
        head = self.measure.height(table.html([]))
        heights = [self.measure.height(table.html([row])) - head for row in table.rows]
        chunk: list[str] = []
        used = head
        for n, row in enumerate(table.rows):
            need = heights[n] + (heights[n + 1] if n in table.keep and n + 1 < len(heights) else 0.0)
            if used + need > self.room():
                if chunk:
                    self.place(table.html(chunk), used)
                    chunk, used = [], head
                self.new_page()
            chunk.append(row)
            used += heights[n]
        if chunk:
            self.place(table.html(chunk), used)
