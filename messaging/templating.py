"""Rendering message templates: Jinja2, sandboxed and strict.

- Sandboxed: templates see only the data given. `StrictSandbox` refuses every attribute (no `name.upper()`,
  no `data.items()`, no `x.__class__`); `{{ shift.start }}` still reads the key of a dict. Filters stay available
  (`{{ name|upper }}`), they are functions of the value, not attribute access.
- Strict: a variable the template uses and nobody gave is an error (StrictUndefined), never an empty string; a
  variable given and used by no part of the template is an error too (a misspelt name would otherwise vanish).

Every recipient brings `first_name`, `last_name`, `full_name` and `organization`; the rest is the multicast's data.
Compiled templates are cached per process by their source (they are immutable values).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from jinja2 import StrictUndefined, TemplateError, meta
from jinja2.sandbox import SandboxedEnvironment

RECIPIENT_VARIABLES = frozenset({"first_name", "last_name", "full_name", "organization"})
TEXT_PARTS = ("sms_body", "push_title", "push_body", "push_category", "email_subject", "email_text")
HTML_PARTS = ("email_html",)
# Which parts each channel needs; a channel whose parts are all empty is not offered by the template.
CHANNEL_PARTS = {
    "sms": ("sms_body",),
    "push": ("push_title", "push_body"),
    "email": ("email_subject", "email_text", "email_html"),
}


class StrictSandbox(SandboxedEnvironment):
    """No attribute of any object is reachable: only dict keys (Jinja falls back to item lookup)."""

    def is_safe_attribute(self, obj, attr, value) -> bool:
        return False


_TEXT = StrictSandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
_HTML = StrictSandbox(undefined=StrictUndefined, autoescape=True, keep_trailing_newline=True)


class TemplateProblem(Exception):
    """A template cannot be rendered with the data given. `problems` maps a name to what is wrong with it."""

    def __init__(self, problems: dict[str, list[str]]):
        self.problems = problems
        super().__init__("; ".join(f"{name}: {', '.join(msgs)}" for name, msgs in problems.items()))


@lru_cache(maxsize=512)
def _compile(source: str, html: bool):
    env = _HTML if html else _TEXT
    return env.from_string(source)


@lru_cache(maxsize=512)
def _variables(source: str) -> frozenset[str]:
    return frozenset(meta.find_undeclared_variables(_TEXT.parse(source)))


def _sources(parts: Mapping) -> Iterable[tuple[str, str, bool]]:
    for name in TEXT_PARTS:
        if parts.get(name):
            yield name, parts[name], False
    for name in HTML_PARTS:
        if parts.get(name):
            yield name, parts[name], True
    for key, value in (parts.get("push_data") or {}).items():
        if isinstance(value, str) and value:
            yield f"push_data.{key}", value, False


def syntax_problems(parts: Mapping) -> dict[str, list[str]]:
    """Parts that are not valid templates (checked when a template is saved)."""
    problems = {}
    for name, source, _html in _sources(parts):
        try:
            _variables(source)
        except TemplateError as exc:
            problems[name] = [f"not a valid template: {exc}"]
    return problems


def variables_of(parts: Mapping) -> frozenset[str]:
    """Every variable the parts use."""
    found: set[str] = set()
    for _name, source, _html in _sources(parts):
        found |= _variables(source)
    return frozenset(found)


def channels_of(parts: Mapping) -> list[str]:
    """The channels the template has content for."""
    return [channel for channel, names in CHANNEL_PARTS.items() if any(parts.get(n) for n in names)]


def parts_for(parts: Mapping, channels: Iterable[str]) -> dict:
    """Only the parts the given channels use (a multicast by SMS needs no data for the email part)."""
    keep = {n for channel in channels for n in CHANNEL_PARTS.get(channel, ())}
    if "push" in channels:
        keep |= {"push_category", "push_data"}
    return {name: value for name, value in parts.items() if name in keep}


def check_data(parts: Mapping, data: Mapping) -> dict[str, list[str]]:
    """Missing and unknown variables: what the template needs that neither the recipient nor `data` gives, and
    what `data` gives that no part uses. Empty when the data fits."""
    needed = variables_of(parts)
    given = set(data) | RECIPIENT_VARIABLES
    problems: dict[str, list[str]] = {}
    for name in sorted(needed - given):
        problems[name] = ["missing: the template uses it and it was not given"]
    for name in sorted(set(data) - needed):
        problems[name] = ["unknown: no part of the template uses it"]
    return problems


@dataclass(frozen=True)
class Rendered:
    sms_body: str = ""
    push_title: str = ""
    push_body: str = ""
    push_category: str = ""
    push_data: dict = field(default_factory=dict)
    email_subject: str = ""
    email_text: str = ""
    email_html: str = ""


def recipient_context(*, first_name: str, last_name: str, organization: str) -> dict:
    return {
        "first_name": first_name,
        "last_name": last_name,
        "full_name": f"{first_name} {last_name}".strip(),
        "organization": organization,
    }


def render(parts: Mapping, context: Mapping, *, only: Iterable[str] | None = None) -> Rendered:
    """Render the parts (or the parts of the channels in `only`) with `context`; TemplateProblem when a variable is
    missing or the template reaches for something it may not."""
    wanted = None if only is None else {n for channel in only for n in CHANNEL_PARTS.get(channel, ())}
    if wanted is not None and "push" in only:
        wanted |= {"push_category", "push_data"}
    values: dict = {}
    push_data: dict = {}
    problems: dict[str, list[str]] = {}
    for name, source, html in _sources(parts):
        base = name.split(".")[0]
        if wanted is not None and base not in wanted:
            continue
        try:
            text = _compile(source, html).render(context)
        except TemplateError as exc:
            problems[name] = [str(exc)]
            continue
        if base == "push_data":
            push_data[name.split(".", 1)[1]] = text
        else:
            values[name] = text
    if problems:
        raise TemplateProblem(problems)
    if wanted is None or "push_data" in wanted:
        # Non-string values of push_data pass through as they are.
        for key, value in (parts.get("push_data") or {}).items():
            push_data.setdefault(key, value)
    return Rendered(**values, push_data=push_data)
