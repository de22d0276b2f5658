"""Load generators for the collector benchmark: wrk when installed, else a small asyncio HTTP/1.1 client."""

from __future__ import annotations

import asyncio
import re
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class LoadResult:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int  # non-2xx answers plus socket errors
    requests: int = 0
    server_cpu_us: float = 0.0  # server CPU time per request, filled in by the caller


def wrk_load(url: str, method: str, headers: dict[str, str], body: bytes, seconds: int, connections: int,
             threads: int) -> LoadResult:
    """Run wrk with a Lua script setting method, headers and body; parse its latency distribution."""
    lua = [f'wrk.method = "{method}"']
    lua += [f'wrk.headers["{name}"] = "{value}"' for name, value in headers.items()]
    if body:
        lua.append('wrk.headers["Content-Type"] = "application/json; charset=UTF-8"')
        lua.append("wrk.body = [==[" + body.decode() + "]==]")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("\n".join(lua) + "\n")
    try:
        output = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, url],
            capture_output=True, text=True, check=True,
        ).stdout
    finally:
        Path(script.name).unlink()
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    errors += int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0
    return LoadResult(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=_wrk_latency(output, "50%"),
        p99_ms=_wrk_latency(output, "99%"),
        errors=errors,
        requests=int(re.search(r"(\d+) requests in", output).group(1)),
    )


def _wrk_latency(output: str, percentile: str) -> float:
    match = re.search(rf"^\s+{percentile}\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def asyncio_load(url: str, method: str, headers: dict[str, str], body: bytes, seconds: int, connections: int,
                 threads: int) -> LoadResult:
    """Keep-alive connections each sending requests back to back for `seconds` (threads is ignored)."""
    return asyncio.run(_asyncio_load(url, method, headers, body, seconds, connections))


async def _asyncio_load(url: str, method: str, headers: dict[str, str], body: bytes, seconds: int,
                        connections: int) -> LoadResult:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [f"{method} {target} HTTP/1.1", f"Host: {parts.netloc}", *(f"{k}: {v}" for k, v in headers.items())]
    if body:
        lines += ["Content-Type: application/json; charset=UTF-8", f"Content-Length: {len(body)}"]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
    latencies: list[float] = []
    errors = [0]
    deadline = time.monotonic() + seconds

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        while time.monotonic() < deadline:
            started = time.monotonic()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
            await reader.readexactly(length)
            latencies.append(time.monotonic() - started)
            if not head.startswith(b"HTTP/1.1 2"):
                errors[0] += 1
        writer.close()

    started = time.monotonic()
    await asyncio.gather(*(connection() for _ in range(connections)))
    elapsed = time.monotonic() - started
    cuts = statistics.quantiles(latencies, n=100)
    return LoadResult(len(latencies) / elapsed, cuts[49] * 1000, cuts[98] * 1000, errors[0], len(latencies))
