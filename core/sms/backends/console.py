"""Development: each message printed on the console instead of sent."""

import sys

from .base import LocalBackend


class SmsBackend(LocalBackend):
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def deliver(self, message):
        self.stream.write(f"SMS from {message.sender} to {message.to}:\n{message.text}\n")
        self.stream.write(f"{'-' * 40}\n")
        self.stream.flush()
