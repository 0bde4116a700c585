"""Form fields that convert between what an editor types and what a model stores: menus of
stored items, lines of a list, the day and the time of a datetime (on the newsroom's
clock), a publication flag, a ship-or-skip call, and one sub-form per panelist."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from wtforms import BooleanField, DateField, FieldList, SelectField, TextAreaField, TimeField
from wtforms.utils import unset_value

from newsweb import newsroom_time
from newsweb.forms import options
from newsweb.models import Persona
from newsweb.models.clock import utcnow

# More entries than any panel needs: a posted form cannot make the list build thousands.
PANEL_LIMIT = 100


class Named(Protocol):
    """A stored item a menu offers: a tool or a category."""

    @property
    def name(self) -> str:
        """What the menu shows."""

    @property
    def slug(self) -> str:
        """What the menu sends."""


class ItemMenu(SelectField):  # type: ignore[misc]
    """A menu of stored items (tools, categories) by slug; `item` is the one chosen.

    `items` loads them when the menu is first read, once per form; filling a model sets
    its attribute to the item itself, and an item on the model selects its slug.
    """

    def __init__(
        self,
        label: str,
        validators: Sequence[Any] = (),
        *,
        items: Callable[[], Sequence[Named]],
        placeholder: str,
        **kwargs: Any,
    ) -> None:
        self._load_items = items
        self._placeholder = placeholder
        self._by_slug: dict[str, Named] | None = None
        super().__init__(label, validators, choices=self._menu, **kwargs)

    def _items(self) -> dict[str, Named]:
        """The items by slug, loaded on first use."""
        if self._by_slug is None:
            self._by_slug = {item.slug: item for item in self._load_items()}
        return self._by_slug

    def _menu(self) -> list[Any]:
        """The options: the placeholder, then each item by name."""
        pairs = [("", self._placeholder), *((slug, i.name) for slug, i in self._items().items())]
        return options(pairs)

    @property
    def item(self) -> Any:
        """The item chosen, or None for the placeholder."""
        return self._items().get(self.data or "")

    def process_data(self, value: Any) -> None:
        """Select the slug of the model's item."""
        super().process_data(getattr(value, "slug", value))

    def populate_obj(self, obj: Any, name: str) -> None:
        """Set the model's attribute to the item chosen."""
        setattr(obj, name, self.item)


class LinesField(TextAreaField):  # type: ignore[misc]
    """A list of short entries (what a persona likes), edited one per line."""

    def process_data(self, value: Any) -> None:
        """Show a stored list one entry a line."""
        super().process_data("\n".join(value) if isinstance(value, list) else value)

    def populate_obj(self, obj: Any, name: str) -> None:
        """Store the lines that say something, without their surrounding spaces."""
        lines = (line.strip() for line in (self.data or "").splitlines())
        setattr(obj, name, [line for line in lines if line])


class DayField(DateField):  # type: ignore[misc]
    """The day of a stored datetime (a story's publication) on the newsroom's calendar."""

    def process_data(self, value: Any) -> None:
        """Show only the newsroom's day of a stored datetime."""
        if isinstance(value, datetime):
            value = newsroom_time.local(value).date()
        super().process_data(value)


class MinuteField(TimeField):  # type: ignore[misc]
    """The time of day of a stored datetime on the newsroom's clock, to the minute."""

    def process_data(self, value: Any) -> None:
        """Show the newsroom's hour and minute of a stored datetime."""
        if isinstance(value, datetime):
            value = newsroom_time.minute_of(value)
        super().process_data(value)


class PublishedFlag(BooleanField):  # type: ignore[misc]
    """Whether an editor has put an item (a tool) on the site, stored as when they did."""

    def process_data(self, value: Any) -> None:
        """Tick the box for a stored publication time."""
        super().process_data(value is not None and value is not False)

    def populate_obj(self, obj: Any, name: str) -> None:
        """Keep a stored time while ticked, set now when newly ticked, None when not."""
        if not self.data:
            setattr(obj, name, None)
        elif getattr(obj, name, None) is None:
            setattr(obj, name, utcnow())


class CallField(SelectField):  # type: ignore[misc]
    """A panelist's call on a tool: ship, skip or none, stored as `Verdict.ship`."""

    def __init__(self, label: str = "Call", **kwargs: Any) -> None:
        choices = options([("", "No verdict"), ("ship", "Ship"), ("skip", "Skip")])
        super().__init__(label, choices=choices, default="", **kwargs)

    def process_data(self, value: Any) -> None:
        """Show a stored True as ship and False as skip."""
        if isinstance(value, bool):
            value = "ship" if value else "skip"
        super().process_data(value)

    def populate_obj(self, obj: Any, name: str) -> None:
        """Store ship as True and skip as False."""
        setattr(obj, name, self.data == "ship")


class PanelField(FieldList):  # type: ignore[misc]
    """One sub-form per panelist, in panel order: a story's takes or a tool's verdicts.

    Its data is the item's stored rows (takes or verdicts), in any order. The form calls
    `seat(panel)` once it is built, which lines the entries up one per persona. Each
    entry carries its persona's id in a hidden field, so what a browser posts is matched
    to personas by id, never by position. The sub-form says whether an entry is blank
    (`is_blank`), how to label it (`seat`) and which row it makes (`new_row`).
    """

    def __init__(self, entry: Any, **kwargs: Any) -> None:
        super().__init__(entry, max_entries=PANEL_LIMIT, **kwargs)
        self.panel: list[Persona] = []
        self.entries: list[Any] = []
        self.posted = False

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        """Read the entries from a posted form alone, else from the stored rows.

        FieldList would pair posted entries with stored rows by position, so a field
        missing from a post could show another persona's stored text.
        """
        self.posted = bool(formdata)
        super().process(formdata, unset_value if self.posted else data, extra_filters)

    def seat(self, panel: list[Persona]) -> None:
        """Give each persona of `panel` its entry, in panel order, and label it.

        An entry for someone not on the panel (or a second one for the same persona) is
        dropped; a persona with none gets a blank entry.
        """
        self.panel = panel
        if self.posted:
            given: dict[object, Any] = {}
            for entry in self.entries:
                given.setdefault(entry.form.persona_id.data, entry)
            self.entries = []
            for persona in panel:
                if persona.id in given:
                    self.entries.append(given[persona.id])
                else:
                    self.append_entry({"persona_id": persona.id})
        else:
            stored = {row.persona_id: row for row in self.object_data or ()}
            self.entries, self.last_index = [], -1
            for persona in panel:
                self.append_entry(stored.get(persona.id, {"persona_id": persona.id}))
        for persona, entry in zip(panel, self.entries, strict=True):
            entry.form.seat(persona)

    def populate_obj(self, obj: Any, name: str) -> None:
        """Set `obj.<name>` to a row for each persona whose entry says something.

        A stored row is kept and changed; a blank entry leaves its persona without one,
        and the relationship's delete-orphan cascade deletes a row dropped that way.
        """
        stored = {row.persona_id: row for row in getattr(obj, name)}
        rows = []
        for persona, entry in zip(self.panel, self.entries, strict=True):
            if entry.form.is_blank():
                continue
            row = stored.get(persona.id) or entry.form.new_row(persona)
            entry.form.populate_obj(row)
            rows.append(row)
        setattr(obj, name, rows)
