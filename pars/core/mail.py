"""Sending email through the SMTP server the provider configures (SMTP_URL, MAIL_FROM):
smtp://user:password@host:587 (STARTTLS when the server offers it) or smtps://host:465. With no
SMTP_URL nothing is sent, and the pages that would send show the link to copy instead."""

import smtplib
import ssl
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from flask import current_app


class MailError(RuntimeError):
    """The message could not be handed to the SMTP server; the message says why."""


def configured() -> bool:
    return bool(current_app.config.get("SMTP_URL"))


def send(to: str, subject: str, body: str) -> None:
    """Hand one plain-text message to the configured SMTP server."""
    url = urlsplit(current_app.config["SMTP_URL"])
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    secure = url.scheme == "smtps"
    port = url.port or (465 if secure else 25)
    try:
        if secure:
            server = smtplib.SMTP_SSL(
                url.hostname, port, timeout=10, context=ssl.create_default_context()
            )
        else:
            server = smtplib.SMTP(url.hostname, port, timeout=10)
        with server:
            if not secure and server.has_extn("starttls"):
                server.starttls(context=ssl.create_default_context())
            if url.username:
                server.login(unquote(url.username), unquote(url.password or ""))
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"The email to {to} could not be sent: {error}") from error
