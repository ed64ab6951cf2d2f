"""A minimal but real SMTP server on a local socket (standard library only), for tests.

It speaks enough RFC 5321 for ``smtplib``: EHLO/HELO, STARTTLS (when given an ``ssl`` server
context; AUTH and MAIL are then refused before it), AUTH PLAIN (checked against one user),
MAIL, RCPT, DATA, RSET, NOOP, QUIT; it stores each accepted message (parsed with ``email``)
in ``messages`` and whether it came over TLS in ``tls_used``.  ``refuse`` makes RCPT answer 550
for given addresses and ``temporary_failures`` answers the next N MAIL commands with 451.
"""

from __future__ import annotations

import base64
import socketserver
import ssl
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage


class SmtpTestServer:
    """Run with ``with SmtpTestServer() as smtp:``; ``smtp.port`` is where it listens."""

    def __init__(
        self, user: str = "tracer", password: str = "mail-secret", tls: ssl.SSLContext | None = None
    ) -> None:
        self.user, self.password, self.tls = user, password, tls
        self.tls_used: list[bool] = []
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: set[str] = set()
        self.temporary_failures = 0
        self.lock = threading.Lock()
        fake = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write((line + "\r\n").encode())

            def handle(self) -> None:
                fake._session(self)

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        """The listening port."""
        return self.server.server_address[1]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _session(self, conn) -> None:
        conn.reply("220 localhost test SMTP")
        authed, sender, recipients, secure = False, None, [], False
        while True:
            raw = conn.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            argument = line[len(verb) :].strip()
            if verb == "EHLO":
                offer = b"250-STARTTLS\r\n" if self.tls and not secure else b""
                conn.wfile.write(
                    b"250-localhost\r\n" + offer + b"250-AUTH PLAIN\r\n250 8BITMIME\r\n"
                )
            elif verb == "STARTTLS" and self.tls and not secure:
                conn.reply("220 go ahead")
                conn.request = self.tls.wrap_socket(conn.request, server_side=True)
                conn.rfile = conn.request.makefile("rb")
                conn.wfile = conn.request.makefile("wb", buffering=0)
                secure, authed = True, False
            elif verb in ("AUTH", "MAIL") and self.tls and not secure:
                conn.reply("530 must issue STARTTLS first")
            elif verb == "HELO":
                conn.reply("250 localhost")
            elif verb == "AUTH":
                parts = argument.split()
                if parts[0].upper() != "PLAIN" or len(parts) != 2:
                    conn.reply("504 only AUTH PLAIN with an initial response")
                    continue
                _, user, password = base64.b64decode(parts[1]).decode().split("\0")
                authed = (user, password) == (self.user, self.password)
                conn.reply("235 ok" if authed else "535 authentication failed")
            elif verb == "MAIL":
                if self.user and not authed:
                    conn.reply("530 authentication required")
                    continue
                with self.lock:
                    temporary = self.temporary_failures > 0
                    self.temporary_failures -= 1 if temporary else 0
                if temporary:
                    conn.reply("451 try again later")
                    continue
                sender, recipients = argument.partition(":")[2].strip().strip("<>"), []
                conn.reply("250 ok")
            elif verb == "RCPT":
                address = argument.partition(":")[2].strip().strip("<>")
                if address in self.refuse:
                    conn.reply("550 no such user")
                else:
                    recipients.append(address)
                    conn.reply("250 ok")
            elif verb == "DATA":
                if sender is None or not recipients:
                    conn.reply("503 bad sequence")
                    continue
                conn.reply("354 end with .")
                data = bytearray()
                while True:
                    chunk = conn.rfile.readline()
                    if chunk in (b".\r\n", b".\n", b""):
                        break
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                message = message_from_bytes(bytes(data), policy=policy.default)
                with self.lock:
                    self.messages.append(message)
                    self.envelopes.append((sender, recipients))
                    self.tls_used.append(secure)
                sender, recipients = None, []
                conn.reply("250 queued")
            elif verb == "RSET":
                sender, recipients = None, []
                conn.reply("250 ok")
            elif verb == "NOOP":
                conn.reply("250 ok")
            elif verb == "QUIT":
                conn.reply("221 bye")
                return
            else:
                conn.reply("502 not implemented")


def self_signed_tls(directory) -> tuple[ssl.SSLContext, str]:
    """(server context, path of the CA file a client must trust) for 127.0.0.1 / localhost."""
    import datetime
    import ipaddress
    from pathlib import Path

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = Path(directory) / "smtp-cert.pem", Path(directory) / "smtp-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context, str(cert_path)
