"""JavaScript sandbox processes: one V8 isolate (mini-racer) per process, so no script can hurt the worker.

The worker talks to a child `python -m enrichment.enrichments.sandbox MEMORY_MB` over pipes, one length-prefixed
JSON frame per message. The child compiles the script, then caps its own data segment with RLIMIT_DATA (set after
V8 has reserved its address space, which a limit set earlier makes fail; V8's heap limit alone does not bound
typed arrays). A script that allocates past the cap makes V8 abort: the child dies. A script that runs past the
time limit is killed by the worker. Either way the event fails, and the next event gets a fresh child.
This module imports nothing from Django: the child starts in ~0.1 s.
"""

from __future__ import annotations

import json
import os
import re
import resource
import select
import struct
import subprocess
import sys
import time
from typing import Any

_HEADER = struct.Struct(">I")
MAX_FRAME_BYTES = 64 * 1024 * 1024


class SandboxError(Exception):
    """The script failed, timed out, or its process died; the message says which."""


def frame_write(stream: Any, message: dict[str, Any]) -> None:
    body = json.dumps(message, separators=(",", ":")).encode()
    stream.write(_HEADER.pack(len(body)) + body)
    stream.flush()


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes:
    chunks, remaining = [], size
    while remaining:
        if deadline is not None:
            timeout = deadline - time.monotonic()
            if timeout <= 0 or not select.select([fd], [], [], timeout)[0]:
                raise TimeoutError
        chunk = os.read(fd, remaining)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def frame_read(fd: int, deadline: float | None = None) -> dict[str, Any]:
    (size,) = _HEADER.unpack(_read_exactly(fd, _HEADER.size, deadline))
    if size > MAX_FRAME_BYTES:
        raise ValueError(f"frame of {size} bytes")
    return json.loads(_read_exactly(fd, size, deadline))


class Sandbox:
    """A child process running one compiled script; `call` returns the script's answer or raises SandboxError."""

    def __init__(self, source: str, memory_mb: int, timeout_seconds: float) -> None:
        self.source = source
        self.memory_mb = memory_mb
        self.timeout = timeout_seconds
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the child and compile the script; raise SandboxError with the compile error."""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "enrichment.enrichments.sandbox", str(self.memory_mb)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
        answer = self._exchange({"source": self.source}, timeout=max(self.timeout, 10.0))
        if "error" in answer:
            self.stop()
            raise SandboxError(answer["error"])

    def call(self, message: dict[str, Any]) -> dict[str, Any]:
        if self.process is None or self.process.poll() is not None:
            self.start()
        answer = self._exchange(message, timeout=self.timeout)
        if "error" in answer:
            raise SandboxError(answer["error"])
        return answer

    def _exchange(self, message: dict[str, Any], timeout: float) -> dict[str, Any]:
        process = self.process
        assert process is not None and process.stdin is not None and process.stdout is not None
        try:
            frame_write(process.stdin, message)
            return frame_read(process.stdout.fileno(), time.monotonic() + timeout)
        except TimeoutError:
            self.stop()
            message = f"JavaScript timed out after {timeout * 1000:.0f} ms; its sandbox was replaced"
            raise SandboxError(message) from None
        except (EOFError, BrokenPipeError, OSError, ValueError):
            status = self.stop()
            raise SandboxError(f"JavaScript sandbox died (exit status {status}: memory limit of {self.memory_mb} MB "
                               f"or a crash); its sandbox was replaced") from None

    def stop(self) -> int | None:
        process, self.process = self.process, None
        if process is None:
            return None
        if process.poll() is None:
            process.kill()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()
        return process.wait()


# --- the child --------------------------------------------------------------------------------------------------
def _data_megabytes() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        match = re.search(r"VmData:\s+(\d+) kB", status.read())
    return int(match.group(1)) // 1024 if match else 0


def child_main(memory_mb: int) -> None:
    """Compile the script from the first frame, cap memory, then answer one frame per event until EOF."""
    from py_mini_racer import JSEvalException, MiniRacer

    stdin, stdout = sys.stdin.buffer.fileno(), sys.stdout.buffer
    try:
        first = frame_read(stdin)
    except EOFError:
        return
    context = MiniRacer()
    try:
        context.eval(first["source"])
    except JSEvalException as error:
        frame_write(stdout, {"error": f"Error compiling JavaScript script: {error}"})
        return
    limit = (_data_megabytes() + memory_mb) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    frame_write(stdout, {"ok": True})
    while True:
        try:
            message = frame_read(stdin)
        except EOFError:
            return
        try:
            result = context.call("__sp_run", message["event"], message["headers"])
            frame_write(stdout, {"result": result})
        except JSEvalException as error:
            frame_write(stdout, {"error": f"Error during execution of JavaScript function: {error}"})


if __name__ == "__main__":
    child_main(int(sys.argv[1]))
    sys.stdout.flush()
    os._exit(0)  # V8's threads can keep a normal interpreter exit waiting
