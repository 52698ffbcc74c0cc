"""WhatsApp message templates: create a translation (submitted to the network for approval in Celery), delete by
name, apply the network's decision (a `template_pack` event), and resolve a template for a send (error 1006 when
no approved translation has that name, 1013 when the parameters do not fit its {{n}} placeholders)."""

import json
import re

from django.db import IntegrityError, transaction

from core.exceptions import ValidationFailed
from inbox.errors import AlreadyExists, ParameterCountMismatch, TemplateNotFound
from inbox.models import Channel, Template, TemplateTranslation
from inbox.services import payloads
from inbox.services.webhooks import emit

NAME = re.compile(r"^[a-z0-9_]{1,512}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(_[A-Za-z]{2,4})?$")
COMPONENT_TYPES = frozenset({"HEADER", "BODY", "FOOTER", "BUTTONS"})
PLACEHOLDER = re.compile(r"\{\{\s*(\d+)\s*\}\}")
DECISIONS = frozenset(TemplateTranslation.Status.values)


def require_whatsapp_like(channel: Channel) -> None:
    """Profile, QR codes and templates are WhatsApp features (the sandbox plays WhatsApp): 400 / 1005 elsewhere."""
    if not channel.whatsapp_like:
        raise ValidationFailed.for_field("channelJid", "This is available on WhatsApp channels only.")


def check_components(components) -> list[dict]:
    """A list of {type: HEADER|BODY|FOOTER|BUTTONS, …}; the document types it "string", so JSON text is read too."""
    if components in (None, ""):
        return []
    if isinstance(components, str):
        try:
            components = json.loads(components)
        except ValueError:
            raise ValidationFailed.for_field("components", "An array of template components.") from None
    if not isinstance(components, list) or not all(isinstance(c, dict) for c in components):
        raise ValidationFailed.for_field("components", "An array of template components.")
    shaped = []
    for component in components:
        kind = str(component.get("type", "")).upper()
        if kind not in COMPONENT_TYPES:
            raise ValidationFailed.for_field("components", f"Unknown component type {component.get('type')!r}.")
        if kind in ("BODY", "FOOTER") and not isinstance(component.get("text"), str):
            raise ValidationFailed.for_field("components", f"A {kind} component needs its text.")
        shaped.append({**component, "type": kind})
    if sum(c["type"] == "BODY" for c in shaped) > 1:
        raise ValidationFailed.for_field("components", "At most one BODY component.")
    return shaped


@transaction.atomic
def template_create(*, channel: Channel, name: str, language: str, category: str, components=None):
    """A new translation of template `name` (the template is made with it when new); 409 / 1014 when that language
    exists. It starts PENDING and is submitted to the network after commit."""
    require_whatsapp_like(channel)
    if not NAME.match(name or ""):
        raise ValidationFailed.for_field("name", "Lower-case letters, digits and underscores.")
    if not LANGUAGE.match(language or ""):
        raise ValidationFailed.for_field("language", "A language code such as en or en_US.")
    if not (category or "").strip():
        raise ValidationFailed.for_field("category", "This field is required.")
    shaped = check_components(components)
    template, _ = Template.objects.get_or_create(channel=channel, name=name, defaults={"category": category.upper()})
    try:
        with transaction.atomic():
            translation = TemplateTranslation.objects.create(template=template, language=language, components=shaped)
    except IntegrityError:
        raise AlreadyExists(f"Template {name} already exists in {language}.") from None
    from inbox.tasks import template_submit_task

    transaction.on_commit(lambda: template_submit_task.delay(translation.pk), robust=True)
    return template


def template_submit(*, translation_id: int) -> str:
    """Celery: hand a translation to the network for approval (the sandbox approves it at once)."""
    from inbox.providers import PermanentProviderError, provider_for

    translation = TemplateTranslation.objects.select_related("template__channel").filter(pk=translation_id).first()
    if translation is None or translation.provider_id:
        return "gone or submitted"
    channel = translation.template.channel
    try:
        answer = provider_for(channel).submit_template(channel, translation)
    except PermanentProviderError as exc:
        template = translation.template
        reason = f"ERROR: {exc}"[:64]
        template_decide(
            channel=channel, name=template.name, language=translation.language, event="REJECTED", reason=reason
        )
        return "refused"
    TemplateTranslation.objects.filter(pk=translation.pk).update(provider_id=answer.get("provider_id", "")[:64])
    status = answer.get("status", "")
    if status in (TemplateTranslation.Status.APPROVED, TemplateTranslation.Status.REJECTED):
        template_decide(channel=channel, name=translation.template.name, language=translation.language, event=status)
    return status or "submitted"


@transaction.atomic
def template_decide(*, channel: Channel, name: str, language: str, event: str, reason: str = "") -> bool:
    """The network approved, rejected, paused … a translation: store it and tell the `template_pack` webhooks."""
    event = (event or "").upper()
    if event not in DECISIONS:
        return False
    translation = (
        TemplateTranslation.objects.select_related("template")
        .filter(template__channel=channel, template__name=name, language=language)
        .first()
    )
    if translation is None or (translation.status == event and translation.rejected_reason == (reason or "")):
        return False
    translation.status = event
    translation.rejected_reason = (reason or "")[:64] if event != TemplateTranslation.Status.APPROVED else ""
    translation.save(update_fields=["status", "rejected_reason", "updated_at"])
    emit(channel=channel, event="template_pack", payload=payloads.template_pack(translation, channel=channel))
    return True


@transaction.atomic
def template_delete(*, channel: Channel, name: str) -> None:
    """Every language of the template; the network is told after commit."""
    require_whatsapp_like(channel)
    deleted, _ = Template.objects.filter(channel=channel, name=name).delete()
    if not deleted:
        from core.exceptions import NotFoundError

        raise NotFoundError("Template not found.")
    from inbox.tasks import template_delete_task

    transaction.on_commit(lambda: template_delete_task.delay(channel.pk, name), robust=True)


# --- sending a template -----------------------------------------------------------------------------------------


def placeholders(components: list[dict]) -> int:
    """How many parameters the template takes: the distinct {{n}} of its BODY (and a text HEADER)."""
    found = set()
    for component in components:
        if component.get("type", "").upper() in ("BODY", "HEADER"):
            found.update(PLACEHOLDER.findall(component.get("text") or ""))
    return len(found)


def _given_parameters(spec: dict) -> int:
    if spec.get("components"):
        return sum(
            len(c.get("parameters") or [])
            for c in spec["components"]
            if isinstance(c, dict) and str(c.get("type", "")).lower() in ("body", "header")
        )
    return len(spec.get("parameters") or [])


def render(components: list[dict], parameters: list) -> str:
    body = next((c.get("text", "") for c in components if c.get("type", "").upper() == "BODY"), "")
    values = [str(v) for v in parameters]
    return PLACEHOLDER.sub(lambda m: values[int(m[1]) - 1] if 0 < int(m[1]) <= len(values) else m[0], body)


def template_resolve(*, channel: Channel, spec: dict) -> dict:
    """{name, language, parameters, components, rendered} for an approved translation, or TemplateNotFound (1006)
    / ParameterCountMismatch (1013). Without `language`, English, else the first approved language."""
    name, language = spec.get("name"), spec.get("language")
    translations = list(
        TemplateTranslation.objects.filter(
            template__channel=channel, template__name=name, status=TemplateTranslation.Status.APPROVED
        ).order_by("language")
    )
    if language:
        translation = next((t for t in translations if t.language == language), None) or next(
            (t for t in translations if t.language.split("_")[0] == language.split("_")[0]), None
        )
    else:
        translation = next((t for t in translations if t.language.startswith("en")), None) or next(
            iter(translations), None
        )
    if translation is None:
        raise TemplateNotFound(f"Template name does not exist: no approved template {name!r}.")
    expected, given = placeholders(translation.components), _given_parameters(spec)
    if expected != given:
        raise ParameterCountMismatch(f"Parameter count mismatch: template {name!r} takes {expected}, got {given}.")
    parameters = spec.get("parameters") or [
        p.get("text", "")
        for c in spec.get("components") or []
        if str(c.get("type", "")).lower() == "body"
        for p in c.get("parameters") or []
    ]
    return {
        "name": name,
        "language": translation.language,
        "parameters": list(parameters),
        "components": spec.get("components") or [],
        "rendered": render(translation.components, parameters),
    }
