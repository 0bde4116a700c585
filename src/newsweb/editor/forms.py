"""The newsroom's forms: stories with their takes, tools with their verdicts, personas,
categories, and users' roles."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from wtforms import (
    DateField,
    Field,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from newsweb.forms import Form, options
from newsweb.models import Persona, Role

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_RULE = Regexp(SLUG_PATTERN, message="Use lowercase letters, digits and single hyphens.")
TAKE_LIMIT = 5000


def web_address(form: Form, field: Field) -> None:
    """Accept only complete http:// or https:// addresses."""
    if not field.data:
        return
    parts = urlsplit(field.data.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError("Use a full web address starting with https:// (or http://).")


class StoryForm(Form):
    """A story and, in `take_<persona id>` fields added per persona, the panel's takes."""

    title = StringField("Title", [InputRequired("Every story needs a title."), Length(max=200)])
    slug = StringField(
        "Slug",
        [Optional(), Length(max=200), SLUG_RULE],
        description="The story's address: /news/<slug>. Leave blank to make one from the title.",
    )
    tool = SelectField("Tool")
    new_tool_name = StringField(
        "Or add a new tool", [Optional(), Length(max=120)], description="Its name."
    )
    # No Optional(): it would stop validate_new_tool_website from running on a blank field.
    new_tool_website = URLField("New tool's website", [Length(max=500), web_address])
    category = SelectField("Category", validators=[InputRequired("Pick a category.")])
    published_on = DateField(
        "Publication date",
        [Optional()],
        description="Blank or today publishes now; a future date keeps it hidden until then.",
    )
    dek = TextAreaField(
        "Dek", [InputRequired("Sum the story up in a paragraph."), Length(max=1000)]
    )
    source_url = URLField("Original source", [Optional(), Length(max=500), web_address])
    body = TextAreaField("Body (Markdown)", [Optional(), Length(max=100_000)])

    def validate_tool(self, field: Field) -> None:
        """Ask for a tool: an existing one or the name of a new one."""
        if not field.data and not (self.new_tool_name.data or "").strip():
            raise ValidationError("Pick the tool this story is about, or name a new one.")

    def validate_new_tool_website(self, field: Field) -> None:
        """A new tool needs its website."""
        naming_new_tool = not self.tool.data and (self.new_tool_name.data or "").strip()
        if naming_new_tool and not (field.data or "").strip():
            raise ValidationError("Give the new tool's website.")

    def take_fields(self, personas: list[Persona]) -> list[tuple[Persona, Field]]:
        """Each persona with its take field, in panel order."""
        return [(persona, self[take_field_name(persona)]) for persona in personas]


def take_field_name(persona: Persona) -> str:
    """The form field that holds `persona`'s take."""
    return f"take_{persona.id}"


def story_form_for(personas: list[Persona], **kwargs: Any) -> StoryForm:
    """A story form with one take field per persona, in panel order."""

    class PanelStoryForm(StoryForm):
        pass

    for persona in personas:
        setattr(
            PanelStoryForm,
            take_field_name(persona),
            TextAreaField(
                f"{persona.name}: {persona.lens}",
                [Optional(), Length(max=TAKE_LIMIT)],
                description="Plain text; a blank line starts a new paragraph. Empty means no take.",
            ),
        )
    return PanelStoryForm(**kwargs)


VERDICT_CHOICES = options([("", "No verdict"), ("ship", "Ship"), ("skip", "Skip")])


class ToolForm(Form):
    """A tool and, in `verdict_<id>` / `verdict_take_<id>` fields per persona, the panel's calls."""

    name = StringField("Name", [InputRequired("Every tool needs a name."), Length(max=120)])
    slug = StringField(
        "Slug",
        [Optional(), Length(max=80), SLUG_RULE],
        description="The tool's address: /tools/<slug>. Leave blank to make one from the name.",
    )
    tagline = StringField("Tagline", [InputRequired("One line on what it is."), Length(max=200)])
    description = TextAreaField("Description (Markdown)", [Optional(), Length(max=20_000)])
    website = URLField(
        "Website", [InputRequired("Give its website."), Length(max=500), web_address]
    )
    category = SelectField("Category", validators=[InputRequired("Pick a category.")])
    pricing = StringField("Pricing", [Optional(), Length(max=200)])

    def verdict_fields(self, personas: list[Persona]) -> list[tuple[Persona, Field, Field]]:
        """Each persona with its ship/skip and take fields, in panel order."""
        return [
            (persona, self[f"verdict_{persona.id}"], self[f"verdict_take_{persona.id}"])
            for persona in personas
        ]

    def verdicts_complete(self, personas: list[Persona]) -> bool:
        """Flag a ship or skip call given without its take; True when there is none."""
        complete = True
        for _persona, call, take in self.verdict_fields(personas):
            if call.data and not (take.data or "").strip():
                take.errors = [*take.errors, "A ship or skip call needs its take."]
                complete = False
        return complete


def tool_form_for(personas: list[Persona], **kwargs: Any) -> ToolForm:
    """A tool form with a verdict and take field per persona, in panel order."""

    class PanelToolForm(ToolForm):
        pass

    for persona in personas:
        setattr(
            PanelToolForm,
            f"verdict_{persona.id}",
            SelectField(f"{persona.name}'s call", choices=VERDICT_CHOICES, default=""),
        )
        setattr(
            PanelToolForm,
            f"verdict_take_{persona.id}",
            TextAreaField(f"{persona.name}'s take", [Optional(), Length(max=TAKE_LIMIT)]),
        )
    return PanelToolForm(**kwargs)


class PersonaForm(Form):
    """A panelist."""

    name = StringField("Name", [InputRequired("Every panelist needs a name."), Length(max=80)])
    slug = StringField(
        "Slug",
        [Optional(), Length(max=80), SLUG_RULE],
        description="The persona's address: /panel/<slug>. Leave blank to make one from the name.",
    )
    lens = StringField(
        "Lens", [InputRequired("Name the lens, e.g. Reality Check."), Length(max=80)]
    )
    motto = StringField("Motto", [Optional(), Length(max=200)])
    profile = TextAreaField("Profile", [Optional(), Length(max=5000)])
    excited_by = TextAreaField(
        "Gets excited about", [Optional(), Length(max=2000)], description="One per line."
    )
    tired_of = TextAreaField(
        "Tired of", [Optional(), Length(max=2000)], description="One per line."
    )
    position = IntegerField(
        "Panel order",
        [InputRequired("Give a position: 1 sits first."), NumberRange(min=1, max=1000)],
    )


class CategoryForm(Form):
    """A beat the newsroom covers."""

    name = StringField("Name", [InputRequired("Every category needs a name."), Length(max=60)])
    slug = StringField(
        "Slug",
        [Optional(), Length(max=80), SLUG_RULE],
        description="Used in /?category=<slug>. Leave blank to make one from the name.",
    )


class RoleForm(Form):
    """An admin's change of one user's role."""

    role = SelectField("Role", choices=options((role.value, role.value.title()) for role in Role))
