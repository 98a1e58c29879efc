"""The guard in front of ingest by URL: which addresses the web app may fetch.

A server that fetches any URL it is given can be pointed at the machine's own services
or the cloud metadata endpoint (server-side request forgery). The app fetches only
http(s) URLs without credentials whose host resolves to public addresses alone, unless
it was started with ``allow_private`` (``storyline serve --allow-private-urls``).

``check_url`` refuses such a URL before a job is queued, with a message for the user.
The fetch itself (``stages.ingest.fetch.fetch``) follows redirects, and a host name can
resolve to another address by the time it is fetched, so a job also fetches with
``public_address`` as its connection check: every connection the fetch opens is checked
again where it is about to connect, and made to the address that was checked.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

from storyline.errors import StorylineError

__all__ = [
    "MAX_URL_CHARS",
    "Resolver",
    "UrlRefused",
    "check_url",
    "public_address",
    "refused_reason",
]

MAX_URL_CHARS = 2000  # longer than any article address; past it a URL is abuse, not a link

Resolver = Callable[..., Sequence[tuple[Any, ...]]]
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UrlRefused(StorylineError):
    """A URL the web app will not fetch; the message says why."""


def check_url(url: str, allow_private: bool = False, resolve: Resolver | None = None) -> str:
    """Return the URL, stripped, when the app may fetch it; raise UrlRefused saying why not.

    Every address the host resolves to must be public: one private address among public
    ones is enough for a request to land on it."""
    url = url.strip()
    parts = _parts(url)
    if allow_private:
        return url
    host = parts.hostname or ""
    literal = _literal(host)
    if literal is not None:
        addresses = [literal]
    else:
        addresses = _resolve(host, parts.port, resolve or socket.getaddrinfo)
    if refused := _first_refused(addresses):
        address, reason = refused
        shown = host if literal is not None else f"{host} ({address})"
        raise UrlRefused(
            f"refused to fetch {shown}: {reason}; only public addresses are fetched "
            "(start the app with --allow-private-urls to allow this)"
        )
    return url


def _first_refused(addresses: Sequence[IpAddress]) -> tuple[IpAddress, str] | None:
    """Return the first address that may not be fetched and why, None when all are public."""
    for address in addresses:
        reason = refused_reason(address)
        if reason is not None:
            return address, reason
    return None


def _parts(url: str) -> Any:
    """Return the split URL; raise UrlRefused for anything but a plain http(s) address."""
    if not url:
        raise UrlRefused("no URL given: give an http(s) address")
    if len(url) > MAX_URL_CHARS:
        raise UrlRefused(f"URL longer than {MAX_URL_CHARS} characters: give the article's address")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise UrlRefused("URL contains spaces or control characters: give a plain address")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UrlRefused(f"malformed URL ({exc}): check the address") from None
    if parts.scheme.lower() not in ("http", "https"):
        shown = f"{parts.scheme}:" if parts.scheme else "no scheme"
        raise UrlRefused(f"unsupported URL scheme ({shown}): give an http(s) address")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise UrlRefused("URLs with credentials (user:password@) are not fetched: remove them")
    if not parts.hostname:
        raise UrlRefused("URL has no host name: give a full http(s) address")
    if port == 0:
        raise UrlRefused("URL has port 0: give a real port or none")
    return parts


def _literal(host: str) -> IpAddress | None:
    """Return the address a host names literally ('10.0.0.1', '::1'), else None."""
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])  # drop an IPv6 zone
    except ValueError:
        return None


def _resolve(host: str, port: int | None, resolve: Resolver) -> list[IpAddress]:
    """Return every address a host name resolves to; raise UrlRefused when none, or when
    one is not an IP address (nothing unchecked is connected to)."""
    try:
        infos = resolve(host, port or 80, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError) as exc:
        raise UrlRefused(f"cannot resolve host {host!r} ({exc}): check the address") from None
    addresses = []
    for info in infos:
        found = _literal(str(info[4][0]))
        if found is None:
            raise UrlRefused(f"host {host!r} resolves to {info[4][0]!r}, not an IP address")
        addresses.append(found)
    if not addresses:
        raise UrlRefused(f"host {host!r} has no address: check the address")
    return addresses


# NAT64 (RFC 6052) carries an IPv4 address in the low 32 bits of this prefix.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """Return the IPv4 address an IPv6 one tunnels or maps to (mapped, 6to4, Teredo, NAT64)."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refused_reason(address: IpAddress) -> str | None:
    """Return why an address may not be fetched (loopback, private, ...), None when public."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:  # ::ffff:127.0.0.1 reaches 127.0.0.1
            address = embedded
    checks = (
        (address.is_unspecified, "an unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address.is_reserved, "a reserved address"),
        (address.is_private, "a private address"),
        (not address.is_global, "not a public address"),
    )
    return next((reason for hit, reason in checks if hit), None)


# ---- every connection of a job ----------------------------------------------------------


def public_address(host: str, port: int) -> str:
    """Return the address to connect to for ``host``: the first it resolves to, when every
    one is public; raise ConnectionRefusedError saying why not (a feeds.ConnectCheck)."""
    try:
        addresses = _resolve(host, port, socket.getaddrinfo)
    except UrlRefused as exc:
        raise ConnectionRefusedError(str(exc)) from None
    if refused := _first_refused(addresses):
        address, reason = refused
        raise ConnectionRefusedError(f"refused to connect to {host} ({address}): {reason}")
    return str(addresses[0])
