"""The WhatsApp channel's configuration, from the environment; off without its four secrets."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Mapping

DEFAULT_API_BASE_URL = "https://graph.facebook.com/v21.0"
DEFAULT_TEMPLATE_PREFIX = "tracer_"


@dataclass(frozen=True)
class TemplateSpec:
    """An approved message template: its name and the body parameters to fill in, in order.

    A parameter is a literal text, or ``{wave}`` / ``{months}`` filled in per send.
    """

    name: str
    parameters: tuple[str, ...] = ()


@dataclass(frozen=True)
class WhatsAppConfig:
    """Everything the channel needs; ``enabled`` only when all four secrets are set."""

    phone_number_id: str = ""
    access_token: str = ""
    app_secret: str = ""
    verify_token: str = ""
    api_base_url: str = DEFAULT_API_BASE_URL
    database_url: str = ""
    secret_key: str = ""
    template_prefix: str = DEFAULT_TEMPLATE_PREFIX
    templates: Mapping[str, TemplateSpec] = field(default_factory=dict)

    @property
    def enabled(self) -> bool:
        """True when the phone number id, access token, app secret and verify token are set."""
        return all((self.phone_number_id, self.access_token, self.app_secret, self.verify_token))

    @property
    def messages_url(self) -> str:
        """``POST`` here to send a message from our business phone number."""
        return f"{self.api_base_url.rstrip('/')}/{self.phone_number_id}/messages"

    def template_for(self, wave: str) -> TemplateSpec:
        """The template configured for ``wave`` (default: ``<prefix><wave>``, no parameters)."""
        return self.templates.get(wave) or TemplateSpec(name=f"{self.template_prefix}{wave}")


def parse_templates(raw: str) -> dict[str, TemplateSpec]:
    """``WHATSAPP_TEMPLATES`` JSON: ``{"followup_6": {"name": "...", "parameters": [...]}}``.

    Raises ``ValueError`` with a readable message when malformed.
    """
    if not raw.strip():
        return {}
    try:
        data: Any = json.loads(raw)
    except ValueError as error:
        raise ValueError("WHATSAPP_TEMPLATES must be a JSON object") from error
    if not isinstance(data, dict):
        raise ValueError("WHATSAPP_TEMPLATES must be a JSON object of wave → template")
    templates: dict[str, TemplateSpec] = {}
    for wave, spec in data.items():
        if isinstance(spec, str):
            spec = {"name": spec}
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
            raise ValueError(f"WHATSAPP_TEMPLATES[{wave!r}] needs a template name")
        parameters = spec.get("parameters") or []
        if not isinstance(parameters, list) or not all(isinstance(p, str) for p in parameters):
            raise ValueError(f"WHATSAPP_TEMPLATES[{wave!r}].parameters must be a list of texts")
        templates[str(wave)] = TemplateSpec(spec["name"], tuple(parameters))
    return templates


def build_config(
    database_url: str, secret_key: str, environ: Mapping[str, str] | None = None
) -> WhatsAppConfig:
    """Read ``WHATSAPP_*`` variables (see docs/whatsapp.md); ``ValueError`` when malformed."""
    env = os.environ if environ is None else environ

    def get(name: str, default: str = "") -> str:
        return (env.get(name) or default).strip()

    return WhatsAppConfig(
        phone_number_id=get("WHATSAPP_PHONE_NUMBER_ID"),
        access_token=get("WHATSAPP_ACCESS_TOKEN"),
        app_secret=get("WHATSAPP_APP_SECRET"),
        verify_token=get("WHATSAPP_VERIFY_TOKEN"),
        api_base_url=get("WHATSAPP_API_BASE_URL", DEFAULT_API_BASE_URL),
        database_url=database_url,
        secret_key=secret_key,
        template_prefix=get("WHATSAPP_TEMPLATE_PREFIX", DEFAULT_TEMPLATE_PREFIX),
        templates=parse_templates(get("WHATSAPP_TEMPLATES")),
    )
