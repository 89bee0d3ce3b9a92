"""Pages of a long list: ``?side=N`` on public pages, never an error for any value.

``page_of(request, count=…, per_page=…)`` reads the page asked for and answers with a
``Page`` that says which rows to fetch (``offset``, ``limit``) and carries the links
``templates/includes/pagination.html`` shows. A value that is no page number (``x``,
``-3``, ``1e9``) gives the first page; a number past the end gives the last page, so
a bookmark to a page that has shrunk away still shows something.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

PAGE_PARAM = "side"
# More digits than any page count: longer values are not numbers worth parsing.
_MAX_DIGITS = 9


def requested_page(value) -> int:
    """The page number in ``value`` (a query parameter), or 1 when it is not one."""
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > _MAX_DIGITS:
        return 1
    return max(1, int(value))


@dataclass(frozen=True)
class PageLink:
    number: int
    url: str
    current: bool


@dataclass(frozen=True)
class Page:
    number: int
    count: int
    per_page: int
    query: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    @property
    def page_count(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    @property
    def limit(self) -> int:
        return self.offset + self.per_page

    @property
    def start_index(self) -> int:
        return self.offset + 1 if self.count else 0

    @property
    def end_index(self) -> int:
        return min(self.count, self.limit)

    @property
    def is_paginated(self) -> bool:
        return self.page_count > 1

    def url(self, number: int) -> str:
        params = [*self.query] + ([(PAGE_PARAM, str(number))] if number > 1 else [])
        return "?" + urlencode(params) if params else "?"

    def asked_as(self, request) -> bool:
        """Whether ``request`` asked for this page as its links do (worth caching).

        ``?side=007``, ``?side=x`` or a page past the end are answered, but are not
        kept in the shared cache: anybody could vary them endlessly.
        """
        value = request.GET.get(PAGE_PARAM)
        return value is None or value == str(self.number)

    @property
    def previous_url(self) -> str | None:
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url(self.number + 1) if self.number < self.page_count else None

    @property
    def links(self) -> list[PageLink | None]:
        """The first, the last and the pages near this one; None stands for a gap."""
        wanted = {1, self.page_count, *range(self.number - 2, self.number + 3)}
        numbers = sorted(n for n in wanted if 1 <= n <= self.page_count)
        links: list[PageLink | None] = []
        for previous, number in zip([0, *numbers], numbers, strict=False):
            if number - previous > 1:
                links.append(None)
            links.append(PageLink(number, self.url(number), number == self.number))
        return links


def page_of(request, *, count: int, per_page: int, keep: tuple[str, ...] = ()) -> Page:
    """The page of ``count`` rows that ``request`` asks for (``?side=N``), clamped to the list.

    ``keep`` names the query parameters the page links carry on (e.g. ``q`` for search).
    """
    query = tuple(
        (name, request.GET[name]) for name in keep if request.GET.get(name, "") not in ("",)
    )
    page = Page(number=requested_page(request.GET.get(PAGE_PARAM)), count=count, per_page=per_page)
    number = min(page.number, page.page_count)
    return Page(number=number, count=count, per_page=per_page, query=query)


def split(page: Page, first_count: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """The rows of ``page`` of a list made of two lists, the first ``first_count`` long:
    (start, stop) in the first list and (start, stop) in the second."""
    first = (min(page.offset, first_count), min(page.limit, first_count))
    second = (max(page.offset - first_count, 0), max(page.limit - first_count, 0))
    return first, second
