"""The development backends: console prints each SMS, file appends one JSON line per SMS."""

import io
import json

import pytest

from messaging.sms import (
    BaseSmsBackend,
    PermanentSmsError,
    SendResult,
    SmsMessage,
    TransientSmsError,
    get_backend,
)
from messaging.sms.console import ConsoleBackend
from messaging.sms.file import FileBackend

MESSAGE = SmsMessage(to="+79160000001", from_number="+15005550006", body="Your code: 1234", reference="ref-1")


def test_console_backend_prints_the_text_with_its_code_masked_and_keeps_it_whole_in_the_file(settings, tmp_path):
    # the console is the worker's log: before, every login code was printed there (issue 8, item 9)
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    stream = io.StringIO()
    result = ConsoleBackend(stream=stream).send(MESSAGE)
    printed = stream.getvalue()
    assert "from +15005550006 to +79160000001" in printed
    assert "Your code: ••••" in printed
    assert "1234" not in printed
    assert json.loads((tmp_path / "sms.jsonl").read_text())["body"] == "Your code: 1234"
    assert result.provider_id == "console-ref-1"


def test_file_backend_appends_one_json_line_per_sms(settings, tmp_path):
    settings.SMS_FILE_PATH = str(tmp_path / "nested" / "sms.jsonl")
    backend = FileBackend()
    backend.send(MESSAGE)
    backend.send(SmsMessage(to="+79160000002", from_number="+15005550006", body="second", reference="ref-2"))
    lines = (tmp_path / "nested" / "sms.jsonl").read_text().splitlines()
    assert [json.loads(line)["to"] for line in lines] == ["+79160000001", "+79160000002"]
    assert json.loads(lines[0])["body"] == "Your code: 1234"


def test_backend_is_chosen_by_short_name_or_dotted_path():
    assert isinstance(get_backend("console"), ConsoleBackend)
    assert isinstance(get_backend("messaging.sms.file.FileBackend"), FileBackend)


def test_file_backend_appends_a_batch_whole_after_what_is_there(settings, tmp_path):
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    backend = FileBackend()
    backend.send(MESSAGE)
    batch = [
        SmsMessage(to=f"+7916000{n:04d}", from_number="+15005550006", body=f'body "{n}"\nё', reference=f"b-{n}")
        for n in range(3)
    ]

    results = backend.send_many(batch)

    lines = [json.loads(line) for line in (tmp_path / "sms.jsonl").read_text().splitlines()]
    assert [line["reference"] for line in lines] == ["ref-1", "b-0", "b-1", "b-2"]
    assert lines[2]["body"] == 'body "1"\nё'
    assert [r.provider_id for r in results] == ["file-b-0", "file-b-1", "file-b-2"]
    assert backend.send_many([]) == []


class HalfBackend(BaseSmsBackend):
    """Refuses every other text, alternately for good and for now, and fails outright on a body of "boom"."""

    def send(self, message):
        if message.body == "boom":
            raise RuntimeError("a bug, not a provider answer")
        number = int(message.reference)
        if number % 4 == 1:
            raise PermanentSmsError(f"refused {number}")
        if number % 4 == 3:
            raise TransientSmsError(f"busy {number}")
        return SendResult(provider_id=f"p-{number}")


def test_send_many_answers_each_message_in_order_and_lets_other_errors_through():
    backend = HalfBackend()
    messages = [SmsMessage(to="+1", from_number="+2", body="hi", reference=str(n)) for n in range(4)]

    outcomes = backend.send_many(messages)

    assert [type(o) for o in outcomes] == [SendResult, PermanentSmsError, SendResult, TransientSmsError]
    assert [str(o) if isinstance(o, Exception) else o.provider_id for o in outcomes] == [
        "p-0",
        "refused 1",
        "p-2",
        "busy 3",
    ]
    with pytest.raises(RuntimeError):
        backend.send_many([SmsMessage(to="+1", from_number="+2", body="boom", reference="0")])
