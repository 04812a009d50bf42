"""The one JSON reader of patient documents: its limits and messages."""

from __future__ import annotations

import pytest

from screening.core.jsonread import MAX_DEPTH, JsonEncodingError, JsonError, depth_exceeds, read_json


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_reads_json_and_skips_a_byte_order_mark() -> None:
    assert read_json('{"a": [1, 2.5, "x", null, true]}') == {"a": [1, 2.5, "x", None, True]}
    assert read_json("\ufeff{}") == {}
    assert read_json(b"\xef\xbb\xbf[1]") == [1]


@pytest.mark.parametrize("depth,ok", [(MAX_DEPTH, True), (MAX_DEPTH + 1, False), (10_000, False), (200_000, False)])
def test_nesting_is_limited(depth: int, ok: bool) -> None:
    if ok:
        assert depth_exceeds(read_json(nested(depth)), MAX_DEPTH) is False
        return
    with pytest.raises(JsonError) as e:
        read_json(nested(depth))
    assert e.value.reason == f"the JSON is nested more than {MAX_DEPTH} levels deep (the limit for JSON documents)"
    assert e.value.line is None


def test_the_limit_is_a_parameter() -> None:
    read_json(nested(3), max_depth=3)
    with pytest.raises(JsonError, match="more than 2 levels"):
        read_json(nested(3), max_depth=2)
    with pytest.raises(JsonError, match="more than 2 levels"):
        read_json('{"a": {"b": {"c": 1}}}', max_depth=2)


def test_huge_numbers_are_refused_with_their_size() -> None:
    assert read_json("1" + "0" * 300) == 10**300
    with pytest.raises(JsonError, match=r"a number of 5001 characters \(the limit is 4300\)"):
        read_json("1" + "0" * 5000)
    with pytest.raises(JsonError, match="a number of 5002 characters"):
        read_json("[1." + "0" * 5000 + "]")


def test_duplicate_keys_are_refused_naming_the_key() -> None:
    with pytest.raises(JsonError) as e:
        read_json('{"id": "a", "sex": "male", "id": "b"}')
    assert e.value.reason == "the JSON has the key 'id' twice in one object"
    assert read_json('{"a": {"id": 1}, "b": {"id": 2}}') == {"a": {"id": 1}, "b": {"id": 2}}


@pytest.mark.parametrize("name", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_not_json(name: str) -> None:
    with pytest.raises(JsonError, match=f"the JSON has {name}, which is not a JSON number"):
        read_json(f'{{"value": {name}}}')


def test_syntax_errors_have_a_position() -> None:
    with pytest.raises(JsonError) as e:
        read_json('{"id": "x",\n "sex": }')
    assert (e.value.line, e.value.column, e.value.reason) == (2, 9, "Expecting value")
    with pytest.raises(JsonError, match="Invalid control character"):
        read_json('{"id": "a\x01b"}')


def test_bytes_must_be_utf8() -> None:
    with pytest.raises(JsonEncodingError, match=r"not UTF-8 \(byte 0\)"):
        read_json(b"\xff\xfe{}")
