"""Serializers for media types the API reads that schemathesis has none for."""

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx, value):
    # An import is documented as text, one JSON object a line; a generated text is sent as is.
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    return str(value).encode("utf-8", "replace")
