"""The API's JSON parser: a document nested deeper than Python's recursion limit (a few
thousand brackets) is a 400 saying so, not a RecursionError and a 500."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JSONParserWithDepthLimit(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deep.") from None
