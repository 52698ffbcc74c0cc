"""The development backends: console prints each SMS, file appends one JSON line per SMS."""

import io
import json

from messaging.sms import SmsMessage, get_backend
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
