"""The JSON body parser every family uses: DRF's, plus the limits of core/json_values.py.

DRF's parser keeps big integers exactly (orjson's would silently turn them into floats), so a value out of range is
refused instead of stored; a body nested deeper than the stdlib parser's recursion limit is a 400, not a 500.
"""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from core.json_values import REQUEST_BODY, json_value_problem


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None
        problem = json_value_problem(data, REQUEST_BODY)
        if problem is not None:
            raise ParseError(f"JSON parse error - {problem}")
        return data
