"""Mail backends for the worker tests: one whose server is down, one that writes files and
can be told to hang mid-send (so that a test can kill the worker process running it)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from smtplib import SMTPServerDisconnected

from django.core.mail.backends.base import BaseEmailBackend


class DownBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("mail server down (test)")


class HoldingFileBackend(BaseEmailBackend):
    """Writes each message to ``$MAIL_TEST_DIR/<pid>-<n>.eml``. While ``$MAIL_TEST_DIR/hold``
    exists it first writes ``started-<pid>`` and waits (a worker killed now dies mid-job)."""

    def send_messages(self, email_messages):
        folder = Path(os.environ["MAIL_TEST_DIR"])
        hold = folder / "hold"
        if hold.exists():
            (folder / f"started-{os.getpid()}").write_text("")
            deadline = time.monotonic() + 60
            while hold.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
        for n, message in enumerate(email_messages):
            (folder / f"{os.getpid()}-{time.time_ns()}-{n}.eml").write_text(message.message().as_string())
        return len(email_messages)
