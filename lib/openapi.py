"""The OpenAPI schema's error answers, the same on every operation: DRF's own shapes,
documented so clients (and the schema fuzzing in the tests) know every status they can
get."""

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# A field's errors by its name (one object), or one such object per item of a batch.
VALIDATION = {
    "oneOf": [
        {"type": "object", "additionalProperties": {}},
        {"type": "array", "items": {"type": "object", "additionalProperties": {}}},
    ]
}
ANSWERS = {
    "400": ("The request is invalid; each field names its errors.", "ValidationErrors"),
    "401": ("No credentials, or a bad or revoked token.", "ErrorDetail"),
    "403": ("This role or token may not do this.", "ErrorDetail"),
    "404": ("Not found, or not yours to see.", "ErrorDetail"),
    "406": ("No answer in the media type asked for.", "ErrorDetail"),
}
WRITE_ANSWERS = {
    "409": ("Still in use by other records.", "ErrorDetail"),
    "415": ("The body is not in a media type the operation takes.", "ErrorDetail"),
    "429": ("Too many writes with this token; see Retry-After.", "ErrorDetail"),
}


def document_errors(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorDetail"], schemas["ValidationErrors"] = DETAIL, VALIDATION
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            answers = dict(ANSWERS)
            if method in ("post", "put", "patch", "delete"):
                answers.update(WRITE_ANSWERS)
            for code, (description, name) in answers.items():
                operation["responses"].setdefault(
                    code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                        },
                    },
                )
    return result
