"""Mail backends for the reminder tests: a server that refuses some addresses, one that cannot
be reached, and a slow one that notes each email in a file (for tests run in other processes)."""

import os
import smtplib
import time
from pathlib import Path

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class RefusingBackend(LocmemBackend):
    """Refuses (as an SMTP server would) every email to an address in `refused`."""

    refused: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & self.refused:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"Mailbox unavailable")})
        return super().send_messages(messages)


class UnreachableBackend(LocmemBackend):
    """A mail server that cannot be reached: opening the connection fails."""

    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")


class SlowBackend(LocmemBackend):
    """Takes `SLOW_MAIL_SECONDS` over each email and appends its recipient to the file
    `SLOW_MAIL_LOG`; writes `SLOW_MAIL_LOG`.started when it starts its first."""

    def send_messages(self, messages):
        log = Path(os.environ["SLOW_MAIL_LOG"])
        for message in messages:
            Path(f"{log}.started").touch()
            time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "1")))
            with log.open("a") as file:
                file.write(f"{os.getpid()} {message.to[0]}\n")
        return len(messages)
