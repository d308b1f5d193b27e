"""Tests: each message kept in `core.sms.outbox`, as Django's locmem backend keeps
e-mails in `django.core.mail.outbox`."""

from core import sms

from .base import LocalBackend


class SmsBackend(LocalBackend):
    def deliver(self, message):
        sms.outbox.append(message)
