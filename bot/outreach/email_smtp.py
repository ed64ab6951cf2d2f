"""E-mail through SMTP with the standard library (STARTTLS or implicit TLS when configured).

Settings: ``TRACER_SMTP_HOST``, ``TRACER_SMTP_PORT`` (587), ``TRACER_SMTP_USER``,
``TRACER_SMTP_PASSWORD``, ``TRACER_EMAIL_FROM``, ``TRACER_SMTP_TLS`` = ``starttls`` (default),
``ssl`` (implicit TLS, port 465) or ``none`` (a local relay only); ``TRACER_SMTP_CA_FILE`` trusts a
private CA (the system's CAs otherwise; the server certificate and host name are always checked).
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from bot.config import ConfigError
from bot.outreach.messaging import MessageResult, require

_TIMEOUT = 30.0


class SmtpEmail:
    """One SMTP connection per message (simple and robust; e-mail volumes are small)."""

    kind = "email"
    name = "smtp"

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        user: str = "",
        password: str = "",
        tls: str = "starttls",
        rate_per_second: float = 2.0,
        ca_file: str = "",
    ) -> None:
        if tls not in ("starttls", "ssl", "none"):
            raise ConfigError("TRACER_SMTP_TLS must be starttls, ssl or none")
        self.host, self.port, self.sender = host, port, sender
        self.user, self.password, self.tls = user, password, tls
        self.rate_per_second = rate_per_second
        self.ca_file = ca_file or None

    @classmethod
    def from_settings(cls, values: dict[str, str], rate: float) -> SmtpEmail:
        """Build from the ``TRACER_SMTP_*`` / ``TRACER_EMAIL_FROM`` settings."""
        host, sender = require(values, "TRACER_SMTP_HOST", "TRACER_EMAIL_FROM")
        try:
            port = int(values.get("TRACER_SMTP_PORT", "587"))
        except ValueError as error:
            raise ConfigError("TRACER_SMTP_PORT must be a number") from error
        return cls(
            host,
            port,
            sender,
            values.get("TRACER_SMTP_USER", ""),
            values.get("TRACER_SMTP_PASSWORD", ""),
            values.get("TRACER_SMTP_TLS", "starttls").strip().lower(),
            rate,
            values.get("TRACER_SMTP_CA_FILE", ""),
        )

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context(cafile=self.ca_file)
        if self.tls == "ssl":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=_TIMEOUT, context=context)
        client = smtplib.SMTP(self.host, self.port, timeout=_TIMEOUT)
        if self.tls == "starttls":
            try:
                client.starttls(context=context)
            except BaseException:
                client.close()
                raise
        return client

    def send_text(self, address: str, text: str, subject: str = "") -> MessageResult:
        """Send one e-mail; never raises."""
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, address, subject
        message_id = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        message["Message-ID"] = message_id
        message.set_content(text)
        try:
            client = self._connect()
        except ssl.SSLError as error:  # wrong certificate or TLS set-up: retrying will not help
            return MessageResult(False, f"smtp tls: {type(error).__name__}")
        except (OSError, smtplib.SMTPException) as error:
            return MessageResult(
                False, f"smtp unreachable ({type(error).__name__})", retryable=True
            )
        try:
            with client:
                if self.user:
                    client.login(self.user, self.password)
                refused = client.send_message(message)
        except smtplib.SMTPAuthenticationError as error:
            return MessageResult(False, f"smtp {error.smtp_code}: authentication failed")
        except smtplib.SMTPRecipientsRefused as error:
            code = next(iter(error.recipients.values()))[0] if error.recipients else 550
            return MessageResult(
                False, f"smtp {code}: recipient refused", retryable=400 <= code < 500
            )
        except smtplib.SMTPResponseException as error:
            temporary = 400 <= error.smtp_code < 500
            return MessageResult(False, f"smtp {error.smtp_code}", retryable=temporary)
        except (TimeoutError, smtplib.SMTPServerDisconnected, OSError) as error:
            return MessageResult(False, f"smtp {type(error).__name__} (may have been sent)",
                                 ambiguous=True)  # fmt: skip
        except smtplib.SMTPException as error:
            return MessageResult(False, f"smtp {type(error).__name__}")
        if refused:
            return MessageResult(False, "smtp: recipient refused")
        return MessageResult(True, "accepted", message_id.strip("<>"))
