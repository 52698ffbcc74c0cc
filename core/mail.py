"""The development email backend: nothing secret reaches the console (the server log), the whole mail a file."""

import sys

from django.core.mail.backends import filebased

from core.redaction import mask_secrets


class ConsoleEmailBackend(filebased.EmailBackend):
    """Prints each mail with its codes and tokens masked, and keeps the whole message under EMAIL_FILE_PATH — the
    local outbox a developer reads a verification or reset code from. Django's console backend printed the codes
    and links into the log of any server that ran it (issue 8, item 9)."""

    def write_message(self, message):
        super().write_message(message)
        sys.stdout.write(
            f"----- mail to {', '.join(message.to)}: {message.subject} -----\n{mask_secrets(message.body)}\n"
            f"----- (the whole message is in {self.file_path}) -----\n"
        )
        sys.stdout.flush()
