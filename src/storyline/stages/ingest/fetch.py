"""Fetching a URL: size and time limits, and the guard every connection passes.

A fetch returns bytes or raises InputError with a reason the user can act on."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpcore
import httpx

from storyline.errors import InputError

USER_AGENT = "storyline/0.1"
MB = 1024 * 1024

_URL_ADVICE = "raise the limit or save the part you need to a file"


def too_large(size: int | None, limit: int, advice: str = "split it or raise the limit") -> str:
    """Return the reason for refusing an input over the size limit."""
    found = f"{size / MB:.0f} MB, " if size else ""
    return f"{found}larger than the {limit / MB:g} MB limit (STORYLINE_MAX_FILE_MB): {advice}"


# Given a host name and port a fetch is about to connect to, return the address to connect
# to (an IP address it resolved to), or raise OSError saying why it may not connect.
ConnectCheck = Callable[[str, int], str]


class _CheckedBackend(httpcore.SyncBackend):
    """Opens each connection on the address a ConnectCheck returns, or refuses it."""

    def __init__(self, check: ConnectCheck) -> None:
        self._check = check

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        try:
            address = self._check(host, port)
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        return super().connect_tcp(address, port, timeout, local_address, socket_options)


def _checked_transport(check: ConnectCheck) -> httpx.HTTPTransport:
    """Return a transport whose every connection (redirects included) passes ``check``."""
    transport = httpx.HTTPTransport()
    # httpx gives no way to pass its connection pool a network backend: it gets a new pool,
    # as httpx builds it by default (TLS verified against the host name, not the address)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(), network_backend=_CheckedBackend(check)
    )
    return transport


def fetch(
    url: str, max_bytes: int, timeout: float, check: ConnectCheck | None = None
) -> tuple[bytes, str]:
    """Return the body of ``url`` and the address it was finally served from; with a
    ``check``, every connection the fetch opens is refused unless it passes it."""
    started = time.monotonic()
    transport = _checked_transport(check) if check is not None else None
    try:
        with (
            httpx.Client(
                follow_redirects=True,
                timeout=timeout,
                headers={"User-Agent": USER_AGENT},
                transport=transport,
            ) as client,
            client.stream("GET", url) as response,
        ):
            _check_response(url, response, max_bytes)
            chunks: list[bytes] = []
            received = 0
            for chunk in response.iter_bytes():  # decompressed, so gzip cannot hide size
                received += len(chunk)
                if received > max_bytes:
                    raise InputError(url, "response " + too_large(None, max_bytes, _URL_ADVICE))
                if time.monotonic() - started > timeout:
                    raise httpx.ReadTimeout("download took too long")
                chunks.append(chunk)
            return b"".join(chunks), str(response.url)
    except httpx.TimeoutException:
        reason = f"timed out after {timeout:g} s: retry or raise STORYLINE_FETCH_TIMEOUT"
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        reason = f"could not fetch it ({exc}): check the address and the network"
    raise InputError(url, reason)


def _check_response(url: str, response: httpx.Response, max_bytes: int) -> None:
    """Raise InputError for an error status or a declared size over the limit."""
    if not response.is_success:
        advice = "try again later" if response.status_code >= 500 else "check the address"
        raise InputError(url, f"HTTP {response.status_code} {response.reason_phrase}: {advice}")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise InputError(url, "response " + too_large(int(declared), max_bytes, _URL_ADVICE))
