"""The newsroom's forms: stories with their takes, tools with their verdicts, personas,
categories, and users' roles. Each form validates itself, uniqueness included, and fills
its model with `populate_obj`."""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlsplit

from wtforms import (
    DateField,
    Field,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from newsweb.editor import queries, revisions
from newsweb.editor.fields import (
    CallField,
    DayField,
    ItemMenu,
    LinesField,
    MinuteField,
    PanelField,
    PublishedFlag,
)
from newsweb.forms import Form, options
from newsweb.lookups import all_categories, personas_in_order
from newsweb.models import (
    Call,
    Category,
    Outcome,
    Persona,
    Prediction,
    Role,
    Story,
    Take,
    Tool,
    User,
    Verdict,
)
from newsweb.models.clock import utcnow
from newsweb.models.content import CALL_VALUES
from newsweb.text import SLUG_MESSAGE, has_control_characters, is_slug, slug_from
from newsweb.web import moved

TAKE_LIMIT = 5000
CHANGE_NOTE_LIMIT = 1000
# The hidden field every item form carries: the item's version when the form was loaded.
VERSION_FIELD = "loaded_version"
Item = Story | Tool | Persona | Category


def web_address(form: Form, field: Field) -> None:
    """Accept only complete http:// or https:// addresses."""
    if not field.data:
        return
    parts = urlsplit(field.data.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError("Use a full web address starting with https:// (or http://).")


def slug_shape(form: Form, field: Field) -> None:
    """Refuse a slug that is not lowercase words joined by hyphens; blank is allowed."""
    if field.data and not is_slug(field.data):
        raise ValidationError(SLUG_MESSAGE)


def _strip(value: object) -> object:
    """Drop a text's surrounding whitespace; a text field that was not sent holds ''."""
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


class NewsroomForm(Form):
    """A newsroom form: every text field is stripped of surrounding whitespace, once, here."""

    # Fields that describe the request rather than the model: `populate_obj` skips them.
    not_stored: ClassVar[frozenset[str]] = frozenset()

    class Meta(Form.Meta):
        """Give every text field the stripping filter (after the newline one)."""

        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Field:
            """Bind a field as the base form does, then add `_strip` to a text field."""
            field = super().bind_field(form, unbound_field, options)
            if isinstance(field, StringField):
                field.filters = (*field.filters, _strip)
            return field

    def populate_obj(self, obj: Any) -> None:
        """Copy every stored field onto `obj`."""
        for name, field in self._fields.items():
            if name not in self.not_stored and name != VERSION_FIELD:
                field.populate_obj(obj, name)


class ItemForm(NewsroomForm):
    """A form for one item with a slug: the stored one it edits (`obj`), or a new one.

    A blank slug is made from `slug_source` (the name or title); the slug, typed or made,
    must be one no other item of the kind uses.
    """

    model: ClassVar[type[Item]]
    noun: ClassVar[str]
    slug_source: ClassVar[str] = "name"

    slug: StringField
    # The item's version (revisions.fingerprint) when this form was loaded: a save against
    # a newer one is refused (responses.refuse_stale). Blank for a new item.
    loaded_version = HiddenField()

    def __init__(self, *args: Any, obj: Item | None = None, **kwargs: Any) -> None:
        super().__init__(*args, obj=obj, **kwargs)
        self.item_id = obj.id if obj is not None else None
        # A form refilled from an autosave keeps the version it was typed against.
        if obj is not None and not self.is_submitted() and not self.loaded_version.data:
            self.loaded_version.data = revisions.fingerprint(obj)

    def chosen_slug(self) -> str:
        """The slug typed, or one made from the name (or title) when it is blank."""
        return self.slug.data or slug_from(self[self.slug_source].data or "")

    def validate_slug(self, field: Field) -> None:
        """Refuse a slug another item of the kind already uses."""
        slug = self.chosen_slug()
        if not field.errors and queries.slug_taken(self.model, slug, self.item_id):
            raise ValidationError(f"Another {self.noun} already uses the slug “{slug}”.")

    def populate_obj(self, obj: Any) -> None:
        """Copy the fields onto `obj`, with the slug typed or made.

        A stored item's old slug is remembered, so its old address keeps working.
        """
        old_slug = obj.slug if obj.id is not None else None
        super().populate_obj(obj)
        obj.slug = self.chosen_slug()
        if old_slug and old_slug != obj.slug:
            moved.remember(obj, old_slug)


class NamedItemForm(ItemForm):
    """An item whose name is unique too (personas, categories)."""

    model: ClassVar[type[Persona] | type[Category]]

    def validate_name(self, field: Field) -> None:
        """Refuse a name another item of the kind already has."""
        # The base form refuses control characters after this; no row holds one, and
        # PostgreSQL cannot even compare against NUL, so there is nothing to look up.
        if field.errors or has_control_characters(field.data):
            return
        if queries.name_taken(self.model, field.data, self.item_id):
            raise ValidationError(f"Another {self.noun} already has this name.")


def _category_menu() -> ItemMenu:
    """The menu of categories a tool or story is filed under."""
    return ItemMenu(
        "Category",
        [InputRequired("Pick a category.")],
        items=all_categories,
        placeholder="Choose a category…",
    )


# ---------------------------------------------------------------- the panel's sub-forms


class PanelEntryForm(NewsroomForm):
    """One persona's entry in a PanelField; it is part of a bigger form, with its token."""

    persona_id = IntegerField(widget=HiddenInput())
    persona: Persona

    class Meta(NewsroomForm.Meta):
        """The enclosing form carries the CSRF token."""

        csrf = False


def _call_or_none(value: object) -> Call | None:
    """A posted call as a Call; anything else (blank, unknown) as None."""
    if isinstance(value, Call):
        return value
    return Call(value) if value in CALL_VALUES else None


class TakeForm(PanelEntryForm):
    """One persona's take on a story, with their call on the news; blank means no take."""

    CHOOSE = "Pick ship, wait or skip for this take."

    body = TextAreaField(
        "Take",
        [Length(max=TAKE_LIMIT)],
        description="Plain text; a blank line starts a new paragraph. Empty means no take.",
    )
    call = RadioField(
        "Call",
        choices=options((call.value, call.label) for call in Call),
        coerce=_call_or_none,
        validate_choice=False,
        description="Ship: worth acting on now. Wait: promising, not yet. Skip: not worth it.",
    )

    def seat(self, persona: Persona) -> None:
        """Label the take "<name>: <lens>" and the call "<name>'s call on the news"."""
        self.persona = persona
        self.body.label.text = f"{persona.name}: {persona.lens}"
        self.call.label.text = f"{persona.name}'s call on the news"

    def validate_call(self, field: Field) -> None:
        """A take needs its call; no take needs none."""
        if self.body.data and field.data is None:
            raise ValidationError(self.CHOOSE)

    def is_blank(self) -> bool:
        """Whether the persona has no take."""
        return not self.body.data

    def new_row(self, persona: Persona) -> Take:
        """A take for `persona`, to fill in."""
        return Take(persona=persona)


class VerdictForm(PanelEntryForm):
    """One persona's ship-or-skip call on a tool, with its take; no call means no verdict."""

    ship = CallField()
    body = TextAreaField("Take", [Length(max=TAKE_LIMIT)])
    # Not a column: it goes with the save into the verdict's history (models/history.py).
    change_note = TextAreaField(
        "Why the call changed",
        [Length(max=CHANGE_NOTE_LIMIT)],
        description="Only kept when the call changes; blank uses the take.",
    )

    def seat(self, persona: Persona) -> None:
        """Label the fields with the persona's name."""
        self.persona = persona
        self.ship.label.text = f"{persona.name}'s call"
        self.body.label.text = f"{persona.name}'s take"
        self.change_note.label.text = f"Why {persona.name}'s call changed"

    def validate_body(self, field: Field) -> None:
        """A ship or skip call needs its take."""
        if self.ship.data and not field.data:
            raise ValidationError("A ship or skip call needs its take.")

    def is_blank(self) -> bool:
        """Whether the persona has no verdict."""
        return not self.ship.data

    def new_row(self, persona: Persona) -> Verdict:
        """A verdict by `persona`, to fill in."""
        return Verdict(persona=persona)


# ---------------------------------------------------------------- stories


class StoryForm(ItemForm):
    """A story and the panel's takes on it, one per persona in panel order."""

    model = Story
    noun = "story"
    slug_source = "title"
    not_stored = frozenset({"new_tool_name", "new_tool_website", "published_at", "publish_time"})

    title = StringField("Title", [DataRequired("Every story needs a title."), Length(max=200)])
    slug = StringField(
        "Slug",
        [Length(max=200), slug_shape],
        description="The story's address: /news/<slug>. Leave blank to make one from the title.",
    )
    tool = ItemMenu("Tool", items=queries.tools, placeholder="Choose a tool…")
    new_tool_name = StringField(
        "Or add a new tool", [Optional(), Length(max=120)], description="Its name."
    )
    # No Optional(): it would stop validate_new_tool_website from running on a blank field.
    new_tool_website = URLField("New tool's website", [Length(max=500), web_address])
    category = _category_menu()
    # The day and time alone do not say when a story goes out: the button pressed does
    # too, so the view applies them (see publishing.apply_action).
    published_at = DayField(
        "Publication date",
        [Optional()],
        description="No date publishes now; a later date and time keeps it hidden until then.",
    )
    publish_time = MinuteField(
        "Time", [Optional()], description="No time: now if the date is today, else 08:00."
    )
    dek = TextAreaField("Dek", [DataRequired("Sum the story up in a paragraph."), Length(max=1000)])
    source_url = URLField("Original source", [Optional(), Length(max=500), web_address])
    body = TextAreaField("Body (Markdown)", [Optional(), Length(max=100_000)])
    takes = PanelField(FormField(TakeForm))

    def __init__(self, *args: Any, obj: Story | None = None, **kwargs: Any) -> None:
        # The time field shows the stored publication's minute (the model has no such field).
        stored_time = obj.published_at if obj is not None else None
        super().__init__(*args, obj=obj, publish_time=stored_time, **kwargs)
        self.takes.seat(personas_in_order())

    def validate_tool(self, field: Field) -> None:
        """Ask for a tool: an existing one or the name of a new one."""
        if not field.data and not self.new_tool_name.data:
            raise ValidationError("Pick the tool this story is about, or name a new one.")

    def validate_new_tool_name(self, field: Field) -> None:
        """A new tool must be new: one whose slug is taken is covered already."""
        if not self.tool.data and queries.slug_taken(Tool, slug_from(field.data), None):
            raise ValidationError(f"We already cover {field.data}: pick it from the menu.")

    def validate_new_tool_website(self, field: Field) -> None:
        """A new tool needs its website."""
        if not self.tool.data and self.new_tool_name.data and not field.data:
            raise ValidationError("Give the new tool's website.")

    def populate_obj(self, obj: Any) -> None:
        """Fill the story; a tool named instead of chosen is made here, in its category."""
        super().populate_obj(obj)
        if obj.tool is None:
            name = self.new_tool_name.data
            obj.tool = Tool(
                name=name,
                slug=slug_from(name),
                tagline="",
                website=self.new_tool_website.data,
                category=obj.category,
            )


# ---------------------------------------------------------------- tools, personas, categories


class ToolForm(ItemForm):
    """A tool and the panel's verdicts on it, one per persona in panel order."""

    model = Tool
    noun = "tool"

    name = StringField("Name", [DataRequired("Every tool needs a name."), Length(max=120)])
    slug = StringField(
        "Slug",
        [Length(max=80), slug_shape],
        description="The tool's address: /tools/<slug>. Leave blank to make one from the name.",
    )
    tagline = StringField("Tagline", [DataRequired("One line on what it is."), Length(max=200)])
    description = TextAreaField("Description (Markdown)", [Optional(), Length(max=20_000)])
    website = URLField("Website", [DataRequired("Give its website."), Length(max=500), web_address])
    category = _category_menu()
    pricing = StringField("Pricing", [Optional(), Length(max=200)])
    published_at = PublishedFlag(
        "On the site now",
        description="Readers see a tool once a story about it is published; "
        "tick this to show it before that.",
    )
    verdicts = PanelField(FormField(VerdictForm))

    def __init__(self, *args: Any, obj: Tool | None = None, **kwargs: Any) -> None:
        super().__init__(*args, obj=obj, **kwargs)
        self.verdicts.seat(personas_in_order())


class PersonaForm(NamedItemForm):
    """A panelist."""

    model = Persona
    noun = "persona"

    name = StringField("Name", [DataRequired("Every panelist needs a name."), Length(max=80)])
    slug = StringField(
        "Slug",
        [Length(max=80), slug_shape],
        description="The persona's address: /panel/<slug>. Leave blank to make one from the name.",
    )
    lens = StringField("Lens", [DataRequired("Name the lens, e.g. Reality Check."), Length(max=80)])
    motto = StringField("Motto", [Optional(), Length(max=200)])
    profile = TextAreaField("Profile", [Optional(), Length(max=5000)])
    excited_by = LinesField(
        "Gets excited about", [Optional(), Length(max=2000)], description="One per line."
    )
    tired_of = LinesField("Tired of", [Optional(), Length(max=2000)], description="One per line.")
    # A new panelist takes the next free seat unless the editor picks another.
    position = IntegerField(
        "Panel order",
        [InputRequired("Give a position: 1 sits first."), NumberRange(min=1, max=1000)],
        default=queries.next_seat,
    )


class CategoryForm(NamedItemForm):
    """A beat the newsroom covers."""

    model = Category
    noun = "category"

    name = StringField("Name", [DataRequired("Every category needs a name."), Length(max=60)])
    slug = StringField(
        "Slug",
        [Length(max=80), slug_shape],
        description="Used in /?category=<slug>. Leave blank to make one from the name.",
    )


# ---------------------------------------------------------------- predictions


def one_line(form: Form, field: Field) -> None:
    """Refuse line breaks: a claim is one sentence."""
    if field.data and "\n" in field.data:
        raise ValidationError("Put the claim in one sentence, on one line.")


class PredictionForm(NewsroomForm):
    """A dated, checkable claim in a take: what, by when, and how to tell."""

    claim = StringField(
        "Claim",
        [DataRequired("State the claim in one sentence."), Length(max=300), one_line],
        description="One sentence a reader can check, in the panelist's words.",
    )
    due_on = DateField(
        "Due",
        [InputRequired("Give the day the claim can be checked.")],
        description="The day the claim can be checked.",
    )
    criterion = StringField(
        "How to check it (optional)",
        [Optional(), Length(max=500)],
        description="A measurable test, e.g. a figure a named source will publish.",
    )

    def validate_due_on(self, field: Field) -> None:
        """A due date must be a real day in a sensible range."""
        if field.data is not None and not 2000 <= field.data.year <= 2100:
            raise ValidationError("Pick a due date between 2000 and 2100.")


class RulingForm(NewsroomForm):
    """The newsroom's ruling on a prediction whose day has come, with its evidence."""

    CHOOSE = "Pick came true, partly or did not."

    outcome = RadioField(
        "Ruling",
        choices=options((outcome.value, outcome.label) for outcome in Outcome),
        coerce=lambda value: Outcome(value) if value else None,
        validate_choice=False,
        invalid_value_message=CHOOSE,
    )
    ruling_note = TextAreaField(
        "Note",
        [DataRequired("Say what happened, against the claim."), Length(max=2000)],
    )
    ruling_source = URLField(
        "Source",
        [DataRequired("Link the evidence."), Length(max=500), web_address],
        description="Where a reader can check the ruling: https://…",
    )

    def __init__(self, *args: Any, obj: Prediction, **kwargs: Any) -> None:
        super().__init__(*args, obj=obj, **kwargs)
        self.prediction = obj

    def validate_outcome(self, field: Field) -> None:
        """Ask for one of the three rulings, and only once the prediction is due."""
        if field.errors:
            return
        if field.data not in set(Outcome):
            raise ValidationError(self.CHOOSE)
        if self.prediction.due_on > utcnow().date():
            raise ValidationError(
                f"This prediction is not due until {self.prediction.due_on:%B %-d, %Y}."
            )


# ---------------------------------------------------------------- users


class RoleForm(NewsroomForm):
    """An admin's change of one user's role; the last admin keeps theirs."""

    CHOOSE = "Pick reader, editor or admin."

    role = SelectField(
        "Role",
        choices=options((role.value, role.value.title()) for role in Role),
        coerce=Role,
        invalid_value_message=CHOOSE,
        invalid_choice_message=CHOOSE,
    )

    def __init__(self, *args: Any, obj: User, **kwargs: Any) -> None:
        super().__init__(*args, obj=obj, **kwargs)
        self.person = obj

    def validate_role(self, field: Field) -> None:
        """Refuse to take the role away from the last admin."""
        if field.errors:
            return
        leaving = self.person.role == Role.ADMIN and field.data != Role.ADMIN
        if leaving and queries.admin_count() <= 1:
            raise ValidationError(
                f"{self.person.email} is the last admin; make someone else admin first."
            )
