"""Fake Twilio and Africa's Talking SMS HTTP APIs for tests (stdlib HTTP server in a thread).

Each fake checks authentication the way the real API does (Twilio: HTTP basic auth with the
account SID and auth token, and the SID in the URL; Africa's Talking: the ``apiKey`` header and
the ``username`` field), records every accepted message (``sent``), and can be told to answer
the next N requests with a rate limit (429) or a server error, or to reject a number.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import requests


@dataclass
class FakeSms:
    """One SMS the fake accepted."""

    to: str
    body: str
    sender: str
    reference: str


@dataclass
class _Faults:
    rate_limited: int = 0  # answer the next N sends with 429
    server_errors: int = 0  # answer the next N sends with 500
    bad_numbers: set[str] = field(default_factory=set)  # always rejected
    undeliverable: set[str] = field(default_factory=set)  # accepted, then reported undelivered


class _FakeApi:
    """Shared server plumbing: start/stop, request log, injectable faults."""

    def __init__(self) -> None:
        self.sent: list[FakeSms] = []
        self.requests = 0
        self.faults = _Faults()
        self.lock = threading.Lock()
        self._ids = itertools.count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server API
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                with fake.lock:
                    fake.requests += 1
                    status, payload, headers = fake.handle(self.path, self.headers, form)
                data = json.dumps(payload).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """Where the fake listens."""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _fault(self) -> str | None:
        if self.faults.rate_limited:
            self.faults.rate_limited -= 1
            return "rate"
        if self.faults.server_errors:
            self.faults.server_errors -= 1
            return "error"
        return None

    def handle(self, path: str, headers, form: dict[str, str]) -> tuple[int, dict, dict]:
        """(status, JSON body, extra headers) for one request."""
        raise NotImplementedError


class FakeTwilio(_FakeApi):
    """``POST /2010-04-01/Accounts/{sid}/Messages.json`` with basic auth."""

    def __init__(self, account_sid: str = "AC" + "1" * 32, auth_token: str = "twilio-secret"):
        super().__init__()
        self.account_sid, self.auth_token = account_sid, auth_token
        self.callbacks: list[tuple[str, object]] = []  # (sid, HTTP status of our callback)

    def handle(self, path, headers, form):
        match = re.fullmatch(r"/2010-04-01/Accounts/([^/]+)/Messages\.json", path)
        if not match:
            return 404, {"code": 20404, "message": "The requested resource was not found"}, {}
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if headers.get("Authorization") != f"Basic {expected}" or match[1] != self.account_sid:
            return 401, {"code": 20003, "message": "Authenticate", "status": 401}, {}
        if not form.get("To") or not (form.get("From") or form.get("MessagingServiceSid")):
            return 400, {"code": 21604, "message": "A 'To' phone number is required."}, {}
        fault = self._fault()
        if fault == "rate":
            return 429, {"code": 20429, "message": "Too Many Requests", "status": 429}, {}
        if fault == "error":
            return 500, {"code": 20500, "message": "Internal Server Error", "status": 500}, {}
        if form["To"] in self.faults.bad_numbers:
            message = f"The 'To' number {form['To']} is not a valid phone number."
            return 400, {"code": 21211, "message": message, "status": 400}, {}
        sid = f"SM{next(self._ids):032d}"
        self.sent.append(FakeSms(form["To"], form["Body"], form.get("From", ""), sid))
        if form.get("StatusCallback"):
            threading.Thread(target=self._callback, args=(form, sid), daemon=True).start()
        return 201, {"sid": sid, "status": "queued", "to": form["To"]}, {}

    def _callback(self, form: dict[str, str], sid: str) -> None:
        """Post a signed final status to the message's ``StatusCallback`` like Twilio does."""
        url = form["StatusCallback"]
        if form["To"] in self.faults.undeliverable:
            report = {"MessageSid": sid, "MessageStatus": "undelivered", "ErrorCode": "30003"}
        else:
            report = {"MessageSid": sid, "MessageStatus": "delivered"}
        report["AccountSid"] = self.account_sid
        payload = url + "".join(f"{key}{report[key]}" for key in sorted(report))
        digest = hmac.new(self.auth_token.encode(), payload.encode(), hashlib.sha1).digest()
        signature = base64.b64encode(digest).decode()
        try:
            response = requests.post(url, data=report, timeout=10,
                                     headers={"X-Twilio-Signature": signature})  # fmt: skip
            self.callbacks.append((sid, response.status_code))
        except requests.RequestException as error:
            self.callbacks.append((sid, repr(error)))


class FakeAfricasTalking(_FakeApi):
    """``POST /version1/messaging`` with the ``apiKey`` header and a ``username`` field."""

    def __init__(self, username: str = "tracer", api_key: str = "at-secret") -> None:
        super().__init__()
        self.username, self.api_key = username, api_key

    def handle(self, path, headers, form):
        if path != "/version1/messaging":
            return 404, {"error": "not found"}, {}
        if headers.get("apiKey") != self.api_key or form.get("username") != self.username:
            return 401, {"error": "The supplied authentication is invalid"}, {}
        fault = self._fault()
        if fault == "rate":
            return 429, {"error": "Too many requests"}, {"Retry-After": "1"}
        if fault == "error":
            return 500, {"error": "Internal server error"}, {}
        number = form.get("to", "")
        if number in self.faults.bad_numbers:
            recipient = {"statusCode": 403, "number": number, "status": "InvalidPhoneNumber",
                         "cost": "0", "messageId": "None"}  # fmt: skip
            return (
                201,
                {"SMSMessageData": {"Message": "Sent to 0/1", "Recipients": [recipient]}},
                {},
            )
        reference = f"ATXid_{next(self._ids):08d}"
        self.sent.append(FakeSms(number, form.get("message", ""), form.get("from", ""), reference))
        recipient = {"statusCode": 101, "number": number, "status": "Success",
                     "cost": "KES 0.8000", "messageId": reference}  # fmt: skip
        data = {"Message": "Sent to 1/1 Total Cost: KES 0.8000", "Recipients": [recipient]}
        return 201, {"SMSMessageData": data}, {}
