"""Download pages and feeds into files that ``analyze`` reads, keeping the raw bytes as served.

Every download has a deadline, a user agent and a size cap, and reaches only public addresses unless
``Options.fetch_allow_private``: a URL, a feed's link or a redirect whose host resolves to a loopback,
private, link-local or reserved address is refused, each hop checked before it is requested. A failure
raises ``FetchError`` naming the URL, so a batch reports it and goes on.
"""

from __future__ import annotations

import hashlib
import io
import ipaddress
import json
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import httpx

from newsprism.article.ingest import decode, parse_feed, read_file
from newsprism.errors import FetchError, InputError
from newsprism.options import Options

MAX_REDIRECTS = 10


@dataclass(frozen=True)
class Download:
    url: str
    content_type: str
    data: bytes

    @property
    def suffix(self) -> str:
        kind = self.content_type.lower()
        if (
            "rss" in kind
            or "atom" in kind
            or ("xml" in kind and b"<rss" in self.data[:2000])
            or b"<feed" in self.data[:2000]
        ):
            return ".xml"
        return ".html" if "html" in kind or self.data.lstrip()[:1] == b"<" else ".txt"


def client(options: Options) -> httpx.Client:
    # The timeout bounds each connect and read; ``fetch`` bounds the whole download.
    return httpx.Client(timeout=options.fetch_timeout_s, headers={"User-Agent": options.user_agent})


def fetch(url: str, http: httpx.Client, options: Options) -> Download:
    """Download ``url`` within ``options.fetch_timeout_s`` in all, redirects included.

    Redirects are followed here, not by ``http``, so that every hop's address is checked first.
    """
    deadline = time.monotonic() + options.fetch_timeout_s
    try:
        request = http.build_request("GET", url)
        for _ in range(MAX_REDIRECTS + 1):
            check_target(request.url, url, options)
            response = http.send(request, stream=True, follow_redirects=False)
            try:
                if response.next_request is None:
                    return _body(response, url, options, deadline)
                request = response.next_request
            finally:
                response.close()
            _check_deadline(url, options, deadline)
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")
    except httpx.TimeoutException as exc:
        raise _timed_out(url, options) from exc
    except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
        raise FetchError(url, f"download failed: {exc}") from exc


def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to; an address resolves to itself."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def check_target(target: httpx.URL, url: str, options: Options) -> None:
    """Refuse to request ``target`` (``url`` or a hop of its redirects) unless it is http(s) and, short
    of ``options.fetch_allow_private``, every address its host resolves to is public."""
    if target.scheme not in {"http", "https"}:
        raise FetchError(url, f"only http and https URLs can be fetched, not {target}")
    if options.fetch_allow_private:
        return
    # The name as sent on the wire (IDNA-encoded), not as Python's resolver would encode it otherwise.
    host = target.raw_host.decode("ascii")
    try:
        addresses = resolve(host, target.port or (443 if target.scheme == "https" else 80))
    except OSError as exc:
        raise FetchError(url, f"cannot resolve {host}: {exc.strerror or exc}") from exc
    for address in addresses:
        if not is_public(address):
            where = f"{host} is" if address == host else f"{host} resolves to {address},"
            raise FetchError(url, f"refused: {where} not a public address (--allow-private fetches it)")


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    # is_global leaves out loopback, private, link-local and most reserved ranges, not multicast.
    return ip.is_global and not (ip.is_multicast or ip.is_reserved)


def _body(response: httpx.Response, url: str, options: Options, deadline: float) -> Download:
    if response.status_code >= 400:
        raise FetchError(url, f"HTTP {response.status_code}")
    declared = int(response.headers.get("content-length") or 0)
    if declared > options.fetch_max_bytes:
        raise FetchError(url, f"too large ({declared:,} bytes; the limit is {options.fetch_max_bytes:,})")
    data = bytearray()
    # Each read has its own timeout, so a server sending a byte at a time is stopped here.
    for chunk in response.iter_bytes():
        data.extend(chunk)
        if len(data) > options.fetch_max_bytes:
            raise FetchError(url, f"too large (over {options.fetch_max_bytes:,} bytes)")
        _check_deadline(url, options, deadline)
    return Download(str(response.url), response.headers.get("content-type", ""), bytes(data))


def _check_deadline(url: str, options: Options, deadline: float) -> None:
    if time.monotonic() > deadline:
        raise _timed_out(url, options)


def _timed_out(url: str, options: Options) -> FetchError:
    return FetchError(url, f"timed out after {options.fetch_timeout_s:g} s")


def feed_links(feed: Download) -> Iterator[str]:
    """The article links a downloaded feed lists, for fetching the full pages."""
    for entry in parse_feed(feed.data, feed.url).entries:
        if entry.get("link"):
            yield entry["link"]


def page_record(download: Download) -> dict[str, str]:
    """A fetched page as a JSONL article, so its URL travels with it into ``analyze``."""
    text, _ = decode(download.data, download.url)
    field = "html" if download.suffix == ".html" else "text"
    return {"id": download.url, "url": download.url, field: text}


def save_feed(download: Download, folder: Path) -> Path:
    """Write a feed under a name derived from its URL: fetching again overwrites, never duplicates."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = hashlib.sha256(download.url.encode()).hexdigest()[:16]
    host = (urlparse(download.url).hostname or "feed").replace(".", "_")
    path = folder / f"{host}_{stem}.xml"
    path.write_bytes(download.data)
    return path


def save_pages(
    records: list[dict[str, str]], folder: Path, options: Options
) -> tuple[Path, list[InputError]]:
    """Append the pages not saved before to ``pages.jsonl``; also return what of the file already there
    ``analyze`` cannot read (a malformed line, say), which stays as it is."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "pages.jsonl"
    seen: set[str | None] = set()
    unreadable: list[InputError] = []
    if path.exists():
        for item in read_file(path, options):
            if isinstance(item, InputError):
                unreadable.append(item)
            else:
                seen.add(item.given.get("source_id"))
    with path.open("a+b") as out:
        # A run cut off mid-write leaves a last line without its newline: a new record must not join it.
        if end := out.seek(0, io.SEEK_END):
            out.seek(end - 1)
            if out.read(1) != b"\n":
                out.write(b"\n")
        for record in records:
            if record["id"] not in seen:
                # ASCII escapes keep U+2028 and friends from splitting a line for other readers.
                out.write(json.dumps(record).encode("ascii") + b"\n")
                seen.add(record["id"])
    return path, unreadable
