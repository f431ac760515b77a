"""Quicker ways through DRF serializers, in and out, for the items of a big batch.

DRF goes field by field through several layers of calls; for a batch of 1,000
interactions that was most of the request's time. A serializer's fields are read once into
plain functions, by their own settings (max_length, allow_null, choices, min_value, ...)
and validators, so nothing is declared twice.
- In: an item the checks cannot vouch for (a wrong type, a blank, a string number, an
  error of any kind) goes through the serializer's own validation instead, which gives
  its usual result or error. The checks only accept what the serializer would accept,
  with the same result.
- Out: the same representation as the serializer's, by direct attribute reads.
A serializer with a field these do not know takes DRF's usual way. See
tests/lib/test_quick_serializers.py.
"""

import datetime as dt
from collections.abc import Callable
from operator import attrgetter

from django.utils.dateparse import parse_datetime
from rest_framework import ISO_8601, fields, serializers
from rest_framework.fields import empty
from rest_framework.settings import api_settings
from rest_framework.validators import ProhibitSurrogateCharactersValidator


class Defer(Exception):
    """The item needs the serializer's full validation."""


Check = Callable[[object], object]


_UNSUPPORTED = object()


class QuickListSerializer(serializers.ListSerializer):
    """Each item through the quick checks, else through the child serializer; each record
    out through the compiled representation."""

    def _compiled(self, name, compile):
        if name not in self.__dict__:
            self.__dict__[name] = compile(self.child) or _UNSUPPORTED
        return self.__dict__[name]

    def to_internal_value(self, data):
        if isinstance(data, list):
            # Fields that can read a whole batch's lookups at once do so first.
            for name, field in self.child.fields.items():
                if hasattr(field, "warm"):
                    field.warm([item.get(name) for item in data if type(item) is dict])
        return super().to_internal_value(data)

    def run_child_validation(self, data):
        check = self._compiled("_check", compile_serializer)
        if check is not _UNSUPPORTED and type(data) is dict:
            try:
                return check(data)
            except Exception:  # Defer, an error, a surprise: DRF decides
                pass
        return super().run_child_validation(data)

    def to_representation(self, data):
        represent = self._compiled("_represent", compile_representation)
        if represent is _UNSUPPORTED or not isinstance(data, list | tuple):
            return super().to_representation(data)
        return [represent(item) for item in data]


def compile_serializer(serializer: serializers.Serializer) -> Check | None:
    """The item check for a serializer, or None when one of its fields has no quick check
    (then every item takes the usual way)."""
    if serializer.validators:
        return None
    plan = []
    for field in serializer.fields.values():
        if field.read_only:
            continue
        check = _field_check(field)
        if check is None or field.source == "*" or len(field.source_attrs) != 1:
            return None
        hook = getattr(serializer, f"validate_{field.field_name}", None)
        plan.append((field.field_name, field.source, field, check, hook))
    validate = serializer.validate
    custom_validate = type(serializer).validate is not serializers.Serializer.validate

    def check_item(item: dict) -> dict:
        result = {}
        for name, source, field, check, hook in plan:
            value = item.get(name, empty)
            if value is empty:
                if field.required:
                    raise Defer
                if field.default is empty:
                    continue
                value = field.get_default()
            elif value is None:
                if not field.allow_null:
                    raise Defer
            else:
                value = check(value)
            if hook is not None:
                value = hook(value)
            result[source] = value
        return validate(result) if custom_validate else result

    return check_item


def _field_check(field: fields.Field) -> Check | None:
    if isinstance(field, serializers.Serializer):
        nested = compile_serializer(field)
        return None if nested is None else _only(dict, nested)
    kind = type(field)
    if kind in (fields.CharField, fields.EmailField):
        return _only(str, _validated(field, _text(field)))
    if kind is fields.IntegerField:
        return _only(int, _validated(field, _same))
    if kind is fields.BooleanField:
        return _only(bool, _validated(field, _same))
    if kind is fields.DateTimeField:
        return _only(str, _validated(field, _datetime_in(field)))
    if kind is fields.ChoiceField:
        return _only(str, _validated(field, field.to_internal_value))
    if isinstance(field, serializers.RelatedField):
        # Related lookups keep their own (batch-cached) reading; a blank means null to DRF.
        return _validated(field, _not_blank(field.to_internal_value))
    return None


def _same(value):
    return value


def _only(kind: type, check: Check) -> Check:
    def typed(value):
        if type(value) is not kind:  # bool is not int here, and a string number defers
            raise Defer
        return check(value)

    return typed


def _validated(field: fields.Field, convert: Check) -> Check:
    validators = field.validators
    if any(getattr(v, "requires_context", False) for v in validators):
        return _validated_by_field(field, convert)
    # The surrogate check walks a string character by character; ASCII has none.
    if_ascii = [v for v in validators if not isinstance(v, ProhibitSurrogateCharactersValidator)]

    def run(value):
        value = convert(value)
        for validator in if_ascii if type(value) is str and value.isascii() else validators:
            validator(value)
        return value

    return run


def _validated_by_field(field: fields.Field, convert: Check) -> Check:
    def run(value):
        value = convert(value)
        field.run_validators(value)
        return value

    return run


def _not_blank(convert: Check) -> Check:
    def run(value):
        if value == "":
            raise Defer
        return convert(value)

    return run


def _field_timezone(field: fields.DateTimeField):
    # Read once per batch (the batch is validated or shown within one request).
    return field.timezone if hasattr(field, "timezone") else field.default_timezone()


def _datetime_in(field: fields.DateTimeField) -> Check:
    """DRF's reading of an ISO 8601 string with an offset; anything else defers."""
    formats = getattr(field, "input_formats", api_settings.DATETIME_INPUT_FORMATS)
    zone = _field_timezone(field)
    if list(formats) != [ISO_8601] or zone is None:
        return field.to_internal_value

    def read(value):
        parsed = parse_datetime(value)
        if parsed is None or parsed.tzinfo is None:
            raise Defer
        try:
            return parsed.astimezone(zone)
        except OverflowError:
            raise Defer from None

    return read


def _datetime_out(field: fields.DateTimeField) -> Callable:
    """DRF's ISO 8601 output of an aware datetime, in the field's time zone."""
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    zone = _field_timezone(field)
    if output_format is None or output_format.lower() != ISO_8601 or zone is None:
        return field.to_representation

    def write(value):
        if type(value) is not dt.datetime or value.tzinfo is None:
            return field.to_representation(value)
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return write


def _text(field: fields.CharField) -> Check:
    def text(value):
        if field.trim_whitespace:
            value = value.strip()
        if not value:
            raise Defer  # blank: the serializer says whether that is allowed
        return value

    return text


def compile_representation(serializer: serializers.Serializer) -> Callable | None:
    """The record-to-dict function for a serializer, or None when one of its fields has no
    quick reading."""
    plan = []
    for field in serializer.fields.values():
        if field.write_only:
            continue
        read = _field_reader(serializer, field)
        if read is None:
            return None
        plan.append((field.field_name, read))

    def represent(instance) -> dict:
        return {name: read(instance) for name, read in plan}

    return represent


def _field_reader(serializer, field: fields.Field) -> Callable | None:
    if isinstance(field, fields.SerializerMethodField):
        return getattr(serializer, field.method_name)
    if field.source == "*" or len(field.source_attrs) != 1:
        return None
    source = field.source
    if isinstance(field, serializers.Serializer):
        nested = compile_representation(field)
        return None if nested is None else _unless_none(attrgetter(source), nested)
    if isinstance(field, serializers.PrimaryKeyRelatedField) and field.pk_field is None:
        return lambda instance: instance.serializable_value(source)
    kind = type(field)
    plain = _PLAIN.get(kind)
    if plain is not None and not getattr(field, "coerce_to_string", False):
        # A value of that type is what to_representation would give.
        convert = field.to_representation
        return _unless_none(
            attrgetter(source), lambda value: value if type(value) is plain else convert(value)
        )
    if kind is fields.DateTimeField:
        return _unless_none(attrgetter(source), _datetime_out(field))
    if kind in (fields.ChoiceField, fields.DateField, fields.FloatField):
        return _unless_none(attrgetter(source), field.to_representation)
    return None


_PLAIN = {
    fields.CharField: str,
    fields.EmailField: str,
    fields.IntegerField: int,
    fields.BigIntegerField: int,
    fields.BooleanField: bool,
}


def _unless_none(read: Callable, convert: Callable) -> Callable:
    def value(instance):
        found = read(instance)
        return None if found is None else convert(found)

    return value
