"""Run the product's processes together (web server, Celery worker, Celery beat) and stop them cleanly."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

logger = logging.getLogger(__name__)
STOP_GRACE_SECONDS = 15


@dataclass
class ManagedProcess:
    name: str
    command: list[str]
    process: subprocess.Popen | None = None


class Supervisor:
    """Start child processes in their own process groups; if one dies, or on Ctrl-C, stop them all."""

    def __init__(self, processes: list[ManagedProcess], env: dict[str, str]) -> None:
        self.processes = processes
        self.env = env
        self._stopping = False

    def start(self) -> None:
        for managed in self.processes:
            managed.process = subprocess.Popen(managed.command, env=self.env, start_new_session=True)
            logger.info("started %s (pid %s)", managed.name, managed.process.pid)

    def wait(self, poll_seconds: float = 0.5) -> int:
        """Block until a child exits or a signal arrives; return the exit status to use."""
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            while not self._stopping:
                for managed in self.processes:
                    code = managed.process.poll() if managed.process else None
                    if code is not None:
                        print(f"{managed.name} exited with status {code}; stopping everything.", file=sys.stderr)
                        return code or 1
                time.sleep(poll_seconds)
            return 0
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.stop()

    def _on_signal(self, _signum: int, _frame: object) -> None:
        self._stopping = True

    def stop(self) -> None:
        running = [m for m in self.processes if m.process and m.process.poll() is None]
        for managed in running:
            managed.process.send_signal(signal.SIGTERM)  # the parent shuts its own children down warmly
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for managed in running:
            remaining = max(0.1, deadline - time.monotonic())
            try:
                managed.process.wait(remaining)
            except subprocess.TimeoutExpired:
                logger.warning("%s did not stop in time; killing it", managed.name)
                _signal_group(managed.process, signal.SIGKILL)
                managed.process.wait()


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
