"""Keyset paging: a cursor names the last row shown, never a page number."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from sqlalchemy import ColumnElement, SQLColumnExpression, and_, or_
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, Map

T = TypeVar("T")


class Position(Protocol):
    """A cursor of some listing's order, as a URL carries it."""

    def encode(self) -> str: ...


P = TypeVar("P", bound=Position)

# Ids are 32-bit integers in the schema; anything larger cannot name a row.
_LARGEST_ID = 2**31 - 1
BROKEN = "That “Load more” link is broken. Start again from the top."


class RowIdConverter(IntegerConverter):
    """`<id:name>` in a route: a positive integer that fits an id column, else a 404."""

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=_LARGEST_ID)


@dataclass(frozen=True)
class Cursor:
    """A position in a newest-first listing: the timestamp and id of the last row shown."""

    at: datetime
    id: int

    def encode(self) -> str:
        """Return the cursor as it appears in a URL (`?after=...`)."""
        return f"{self.at.isoformat()}~{self.id}"

    @classmethod
    def decode(cls, raw: str | None) -> Cursor | None:
        """Parse a cursor from a URL, or raise 400 with a message a reader understands."""
        if not raw:
            return None
        at_text, _, id_text = raw.partition("~")
        try:
            at = datetime.fromisoformat(at_text)
            row_id = int(id_text)
        except ValueError:
            raise BadRequest(BROKEN) from None
        if at.tzinfo is not None or not 0 < row_id <= _LARGEST_ID:
            raise BadRequest(BROKEN)
        return cls(at, row_id)

    @classmethod
    def of_row(cls, at: datetime | None, row_id: int) -> Cursor | None:
        """The cursor of a row listed at `at`, or None for one without a time."""
        return None if at is None else cls(at, row_id)


@dataclass(frozen=True)
class DividedCursor:
    """A position in the "Most divided" listing: the last row's dissent, timestamp and id."""

    dissent: int
    at: datetime
    id: int

    def encode(self) -> str:
        """Return the cursor as it appears in a URL (`?after=<dissent>~<at>~<id>`)."""
        return f"{self.dissent}~{Cursor(self.at, self.id).encode()}"

    @classmethod
    def decode(cls, raw: str | None) -> DividedCursor | None:
        """Parse a cursor from a URL, or raise 400 with a message a reader understands."""
        if not raw:
            return None
        dissent_text, _, rest = raw.partition("~")
        position = Cursor.decode(rest or "~")
        plain = dissent_text.isascii() and dissent_text.isdigit()
        if not plain or int(dissent_text) > _LARGEST_ID or position is None:
            raise BadRequest(BROKEN)
        return cls(int(dissent_text), position.at, position.id)


def older_than(
    cursor: Cursor, at: SQLColumnExpression[datetime | None], row_id: SQLColumnExpression[int]
) -> ColumnElement[bool]:
    """The WHERE clause for rows after `cursor` in a (`at`, `row_id`) descending listing.

    `at <= cursor.at` says nothing the rest does not, but it is what lets the database start
    the listing's index walk at the cursor: with the OR alone, PostgreSQL walked from the
    newest row down to it, so a page cost more the further down it was (5,859 rows read
    for a page of ten at 100,000 stories, EXPLAIN ANALYZE).
    """
    return and_(at <= cursor.at, or_(at < cursor.at, row_id < cursor.id))


def page_bounds(
    cursor: Cursor | None,
    at: SQLColumnExpression[datetime | None],
    row_id: SQLColumnExpression[int],
) -> tuple[ColumnElement[bool], ...]:
    """`older_than` as WHERE terms to put first, or none on the first page.

    First, because a listing of visible stories also bounds `at` by the present, and SQLite
    starts its index walk at whichever upper bound the WHERE clause names first (measured
    at 100,000 stories: a cursor two years down, 17 ms from the present's bound, 0.007 ms
    from the cursor's). PostgreSQL uses the tighter of the two either way.
    """
    return () if cursor is None else (older_than(cursor, at, row_id),)


def split_page(
    rows: Sequence[T], limit: int, position: Callable[[T], tuple[datetime | None, int]]
) -> tuple[list[T], Cursor | None]:
    """Cut `limit + 1` fetched rows to a page, and name the cursor of the next page, if any.

    `position` gives a row's (timestamp, id), the same columns the listing orders by.
    """
    page = list(rows[:limit])
    if len(rows) <= limit or not page:
        return page, None
    return page, Cursor.of_row(*position(page[-1]))


# The most rows a "so far" page (`?through=`) renders: ten "Load more" clicks at the default
# page size. Past it, the page ends with a plain link to the rest, so no request's work
# grows with how far a reader scrolled.
MOST_SO_FAR = 100
# `?from=` on a "Load more" step whose reader's place begins at the top of the listing, and
# `?through=` on a page that runs to the end of the listing.
TOP = "top"
END = "end"
# The query arguments that say where a reader is; every other one is the listing's own.
PLACE_ARGS = frozenset({"after", "through", "from"})


def not_older_than(
    cursor: Cursor, at: SQLColumnExpression[datetime | None], row_id: SQLColumnExpression[int]
) -> ColumnElement[bool]:
    """The WHERE clause for rows down to and including `cursor` in a descending listing."""
    return and_(at >= cursor.at, or_(at > cursor.at, row_id >= cursor.id))


@dataclass(frozen=True)
class Place(Generic[P]):
    """Where a reader is in a keyset-paged listing, as the URL says it (positions `P`: a
    newest-first `Cursor`, or another order's, such as `DividedCursor`).

    - nothing: the first page; `?after=A`: the page after row A, on its own.
    - `?from=top|A&after=C`: a "Load more" step: the page after C, for a reader whose
      listing began at the top (or after A). htmx appends it and pushes the "so far" URL
      below; without JavaScript it is answered with a redirect to that URL.
    - `?through=D` (`?after=A&through=D`): "so far": every row from the top (after A) down
      to and including D, or to the end with `through=end`; at most MOST_SO_FAR rows.
    """

    after: P | None = None
    through: P | None = None
    to_end: bool = False
    step_from: P | None = None
    is_step: bool = False

    @staticmethod
    def from_args(args: Mapping[str, str], decode: Callable[[str | None], P | None]) -> Place[P]:
        """Read the place from a request's query string, its positions with `decode` (e.g.
        `Cursor.decode`); 400 for a broken link."""
        after = decode(args.get("after"))
        through_text = args.get("through")
        if through_text:
            if through_text == END:
                return Place(after=after, to_end=True)
            return Place(after=after, through=decode(through_text))
        from_text = args.get("from")
        if from_text and after is not None:
            start = None if from_text == TOP else decode(from_text)
            return Place(after=after, step_from=start, is_step=True)
        return Place(after=after)

    @property
    def so_far(self) -> bool:
        """Whether this is a "so far" page (`?through=`)."""
        return self.through is not None or self.to_end

    @property
    def start(self) -> P | None:
        """Where the reader's stretch of the listing begins: None for the top."""
        return self.step_from if self.is_step else self.after

    def limit(self, page_size: int) -> int:
        """How many rows to show: a page, or everything so far up to MOST_SO_FAR."""
        return MOST_SO_FAR if self.so_far else page_size

    def bounds(
        self: Place[Cursor],
        at: SQLColumnExpression[datetime | None],
        row_id: SQLColumnExpression[int],
    ) -> tuple[ColumnElement[bool], ...]:
        """The WHERE terms of the rows this place shows (see `page_bounds` for the order)."""
        bounds = page_bounds(self.after, at, row_id)
        if self.through is not None:
            bounds += (not_older_than(self.through, at, row_id),)
        return bounds

    def split(
        self, rows: Sequence[T], page_size: int, position: Callable[[T], P | None]
    ) -> tuple[list[T], P | None]:
        """Cut the `limit + 1` rows fetched to this place's page, and name the position of
        the next page's start (`position` of the last row shown), if any. A page through D
        stops at D by its WHERE clause, so it cannot see whether anything follows: the step
        that pushed it had seen more, so it offers "Load more" again (a step that reached
        the end pushes `through=end`)."""
        limit = self.limit(page_size)
        page = list(rows[:limit])
        more = len(rows) > limit or self.through is not None
        return page, (position(page[-1]) if more and page else None)

    def continues_plainly(self, shown: int) -> bool:
        """Whether "Load more" must be a plain link to the next page on its own: a "so far"
        page that reached MOST_SO_FAR rows (its URL could not hold one more step)."""
        return self.so_far and shown >= MOST_SO_FAR

    def next_args(
        self, next_cursor: P, shown: int, filters: Mapping[str, object]
    ) -> dict[str, object]:
        """The query of "Load more" after `next_cursor` on a listing filtered by `filters`:
        a step that keeps the reader's place, or the next page on its own once this "so far"
        page holds MOST_SO_FAR rows (`shown`)."""
        args = {**filters, "after": next_cursor.encode()}
        if not self.continues_plainly(shown):
            args["from"] = TOP if self.start is None else self.start.encode()
        return args

    def so_far_args(self, last: P | None) -> dict[str, str]:
        """The query of the page that shows the reader's stretch down to `last` (to the
        end when None), for the URL a step pushes."""
        args = {} if self.start is None else {"after": self.start.encode()}
        args["through"] = END if last is None else last.encode()
        return args
