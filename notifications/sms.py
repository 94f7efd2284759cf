"""Text messages (短信): a pluggable backend, named by the ``SMS_BACKEND`` setting.

Shaped like Django's mail backends: a class whose ``send_messages(messages)`` delivers a list
of :class:`SmsMessage` and returns how many it sent, raising on failure (the task that called
it is then retried, see ``notifications.tasks``). Shipped:

* ``notifications.sms.ConsoleBackend`` (default): writes each message to standard output, as
  Django's console mail backend does — what a development machine and the demo use;
* ``notifications.sms.LocMemBackend``: appends to ``notifications.sms.outbox`` (tests);
* ``notifications.sms.NullBackend``: drops them.

A gateway (the province's SMS platform, a cloud provider) is one more class with the same
method, named in ``SMS_BACKEND``; its credentials come from its own settings.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from typing import TextIO

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class SmsMessage:
    to: str
    body: str


class BaseBackend:
    def __init__(self, **kwargs) -> None:
        pass

    def send_messages(self, messages: list[SmsMessage]) -> int:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    _lock = threading.Lock()  # the worker runs several tasks at once: one message per block

    def __init__(self, *, stream: TextIO | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.stream = stream or sys.stdout

    def send_messages(self, messages: list[SmsMessage]) -> int:
        with self._lock:
            for message in messages:
                self.stream.write(f"SMS to {message.to}\n{message.body}\n{'-' * 40}\n")
            self.stream.flush()
        return len(messages)


#: What LocMemBackend sent, oldest first (a test clears it).
outbox: list[SmsMessage] = []


class LocMemBackend(BaseBackend):
    def send_messages(self, messages: list[SmsMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


class NullBackend(BaseBackend):
    def send_messages(self, messages: list[SmsMessage]) -> int:
        return len(messages)


def get_backend(path: str | None = None, **kwargs) -> BaseBackend:
    return import_string(path or settings.SMS_BACKEND)(**kwargs)


def send_sms(*, to: str, body: str) -> int:
    return get_backend().send_messages([SmsMessage(to=to, body=body)])
