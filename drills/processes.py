"""The moving parts of an installation under drill: gunicorn with several workers (as in
production), the task worker (`manage.py db_worker`) and a real SMTP server (aiosmtpd, as
in the test suite) that can be taken down and brought back on the same port."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
import urllib.request
from collections import Counter
from typing import TYPE_CHECKING, Any

from aiosmtpd.controller import Controller

from drills.installation import PYTHON, ROOT, free_port, kill_with_children

if TYPE_CHECKING:
    from drills.installation import Installation

APP_WORKERS = 4
LOGS = ROOT / "var" / "drills"


def _log(name: str) -> Any:
    LOGS.mkdir(parents=True, exist_ok=True)
    return (LOGS / f"{name}.log").open("ab")


def _kill_tree(process: subprocess.Popen[bytes]) -> int:
    """SIGKILL to a process and its children, by their ids: a crash, nothing cleaned up."""
    killed = kill_with_children(process.pid)
    process.wait()
    return len(killed)


class _Process:
    """A server process of the installation: killed as a crash, or stopped politely."""

    process: subprocess.Popen[bytes] | None = None

    def kill(self) -> int:
        if self.process is None:
            return 0
        return _kill_tree(self.process)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                _kill_tree(self.process)


class App(_Process):
    """gunicorn serving the installation on a fixed port, so that clients find it again
    after a restart."""

    def __init__(self, installation: Installation, mail_port: int) -> None:
        self.installation = installation
        self.mail_port = mail_port
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [PYTHON, "-m", "gunicorn", "servicenav.wsgi:application"]
        command += [f"--workers={APP_WORKERS}", f"--bind=127.0.0.1:{self.port}", "--timeout=120"]
        environment = self.installation.environment(SERVICENAV_EMAIL_PORT=str(self.mail_port))
        log = _log(f"gunicorn-{self.installation.name}")
        self.process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=log)  # noqa: S603
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped at once; see {LOGS}")
            try:
                with urllib.request.urlopen(f"{self.base}/open311/v2/discovery.json", timeout=5):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer within 90 s; see {LOGS}")


class Worker(_Process):
    """`manage.py db_worker`, restarted by `ensure_running` if it died (as systemd would)."""

    def __init__(self, installation: Installation, mail_port: int) -> None:
        self.installation = installation
        self.mail_port = mail_port
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts = 0

    def start(self) -> None:
        command = [
            PYTHON,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval=0.2",
        ]
        environment = self.installation.environment(SERVICENAV_EMAIL_PORT=str(self.mail_port))
        log = _log(f"worker-{self.installation.name}")
        self.process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=log)  # noqa: S603

    def ensure_running(self) -> None:
        if self.process is None or self.process.poll() is not None:
            self.restarts += self.process is not None
            self.start()


class Mailbox:
    """A real SMTP server on 127.0.0.1 counting what each recipient received."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._lock:
            self.received.update(envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def compare(self, expected: Counter[str]) -> tuple[int, int, int]:
        """Messages expected and delivered, expected but missing, and delivered more
        often than expected."""
        with self._lock:
            got = {recipient: self.received.get(recipient, 0) for recipient in expected}
        missing = sum(max(0, count - got[recipient]) for recipient, count in expected.items())
        extra = sum(max(0, got[recipient] - count) for recipient, count in expected.items())
        return sum(expected.values()) - missing, missing, extra


def wait_for(condition: Any, *, timeout: float, every: float = 1.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return bool(condition())
