"""Send one signed webhook body over HTTP(S), to an address checked just before connecting.

The receiver's name is resolved here and every address it resolves to is checked: a webhook
never reaches the catalogue's own machine (loopback), a link-local address (cloud metadata) or
an unspecified or multicast one, even if its DNS name changes after it was registered. The
connection goes to the checked address, so a second lookup cannot swap it. Redirects are not
followed: a delivery is to the registered URL or not at all.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

SIGNATURE_HEADER = "X-Gjenbruk-Signature-256"
"""``sha256=<hex HMAC-SHA256 of the body, keyed with the webhook's secret>``."""

USER_AGENT = "Gjenbrukskatalogen-Webhook/1"


class AddressRefused(ValueError):
    """The URL names (or resolves to) an address webhooks may not call."""


@dataclass(frozen=True)
class Answer:
    """What came of one attempt: the HTTP status (None if no answer) and what went wrong."""

    status: int | None
    error: str = ""

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def signature(secret: str, body: bytes) -> str:
    """Return the signature header's value for ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def refused_reason(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, allow_loopback: bool
) -> str | None:
    """Return why a webhook may not call ``address``, or None if it may."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_loopback and not allow_loopback:
        return "points at the catalogue's own machine (loopback)"
    if address.is_link_local:
        return "is a link-local address"
    if address.is_unspecified or address.is_multicast or address.is_reserved:
        return "is not an address a receiver can have"
    return None


def is_loopback_name(host: str) -> bool:
    """Return True for names that mean this machine whatever DNS says."""
    host = host.lower().rstrip(".")
    return host == "localhost" or host.endswith(".localhost")


def _addresses(host: str, port: int, allow_loopback: bool) -> list[str]:
    """Resolve ``host`` and return its addresses; raise AddressRefused if any is refused."""
    if is_loopback_name(host) and not allow_loopback:
        raise AddressRefused("points at the catalogue's own machine (loopback)")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise AddressRefused(f"the name does not resolve ({exc})") from None
    found: list[str] = []
    for info in infos:
        text = str(info[4][0])
        reason = refused_reason(ipaddress.ip_address(text.split("%")[0]), allow_loopback)
        if reason:
            raise AddressRefused(reason)
        found.append(text)
    return found


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the registered name, not the address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def send(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float,
    allow_loopback: bool,
) -> Answer:
    """POST ``body`` to ``url``; never raise for what the network or the receiver does."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    try:
        address = _addresses(host, port, allow_loopback)[0]
    except AddressRefused as exc:
        return Answer(None, f"Refused: the address {exc}.")
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    factory = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
    connection = factory(host, address, port, timeout)
    try:
        connection.request(
            "POST",
            target,
            body=body,
            headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
        )
        response = connection.getresponse()
        response.read(64 * 1024)  # the answer is not used; read a little so the socket closes
        if 300 <= response.status < 400:
            return Answer(response.status, "Redirects are not followed.")
        if response.status >= 400:
            return Answer(response.status, f"The receiver answered {response.status}.")
        return Answer(response.status)
    except (OSError, http.client.HTTPException) as exc:
        return Answer(None, f"{type(exc).__name__}: {exc}"[:500])
    finally:
        connection.close()
