"""Hypothesis strategies for hostile patient documents (files and request bodies): deep nesting,
huge numbers, byte order marks, duplicate keys, wrong types, huge strings, control characters,
bytes that are not UTF-8, and FHIR Bundles with such resources. Each draws the raw bytes of one
document; shared by tests/cli/test_hostile_files.py and tests/api/test_hostile_bodies.py."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

PROFILE_FIELDS = ["id", "birth_date", "sex", "conditions", "observations", "medications", "procedures",
                  "lesions", "administrative"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


def _profile(**fields: Any) -> dict[str, Any]:
    return {"id": "hostile-1", "sex": "female", "birth_date": "1970-01-01", **fields}


def _observation(value: str) -> str:
    return ('{"code": {"system": "loinc", "code": "2160-0"}, "date": "2026-01-01", "value": ' + value
            + ', "unit": "mg/dL"}')


def _nested_extension(levels: int) -> dict[str, Any]:
    ext: dict[str, Any] = {"url": "http://example.org/x", "valueString": "a"}
    for _ in range(levels):
        ext = {"url": "http://example.org/x", "extension": [ext]}
    return ext


@st.composite
def deep_extensions(draw: st.DrawFn) -> bytes:
    """A Patient whose extensions nest 30 to 600 deep (from about 120 they exhausted the FHIR models' recursion)."""
    patient = {"resourceType": "Patient", "id": "p1", "extension": [_nested_extension(draw(st.integers(30, 600)))]}
    return json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": patient}]}).encode()


@st.composite
def deep_nesting(draw: st.DrawFn) -> bytes:
    depth = draw(st.integers(65, 60_000))
    opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
    inner = opener * depth + "1" + closer * depth if opener != "[" else opener * depth + closer * depth
    where = draw(st.sampled_from(["bare", "profile", "bundle"]))
    if where == "bare":
        return inner.encode()
    if where == "profile":
        return ('{"id": "x", "sex": "male", "administrative": ' + inner + "}").encode()
    return ('{"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "Patient", '
            '"id": "p1", "extension": ' + inner + "}}]}").encode()


@st.composite
def huge_number(draw: st.DrawFn) -> bytes:
    digits = draw(st.integers(4301, 20_000))
    number = draw(st.sampled_from(["1" + "0" * (digits - 1), "-" + "9" * digits, "1." + "5" * digits,
                                   "1e" + "9" * min(digits, 400)]))
    return ('{"id": "x", "observations": [' + _observation(number) + "]}").encode()


@st.composite
def duplicate_keys(draw: st.DrawFn) -> bytes:
    key = draw(st.sampled_from(PROFILE_FIELDS))
    doc = json.dumps(_profile())
    return (doc[:-1] + f", {json.dumps(key)}: {json.dumps(draw(json_values))}}}").encode()


@st.composite
def wrong_types(draw: st.DrawFn) -> bytes:
    fields = draw(st.dictionaries(st.sampled_from(PROFILE_FIELDS), json_values, min_size=1, max_size=4))
    return json.dumps(_profile(**fields)).encode()


@st.composite
def huge_string(draw: st.DrawFn) -> bytes:
    size = draw(st.sampled_from([600, 70_000, 1_100_000, 3_000_000]))
    field = draw(st.sampled_from(["id", "sex", "birth_date"]))
    return json.dumps(_profile(**{field: "x" * size})).encode()


@st.composite
def control_characters(draw: st.DrawFn) -> bytes:
    ch = draw(st.sampled_from([chr(c) for c in [*range(0x00, 0x20), 0x7F, 0x85, 0x2028, 0xFEFF]]))
    raw = draw(st.sampled_from([
        '{"id": "a' + ch + 'b", "sex": "male"}',  # raw inside a string
        '{"id": "x",' + ch + '"sex": "male"}',  # between tokens
        json.dumps(_profile(id="a" + ch + "b")),  # escaped: valid JSON, maybe an invalid id
    ]))
    return raw.encode("utf-8", "surrogatepass")


@st.composite
def with_bom(draw: st.DrawFn) -> bytes:
    inner = draw(st.one_of(wrong_types(), duplicate_keys(), st.just(json.dumps(_profile()).encode())))
    return draw(st.sampled_from([b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf", b"\xff\xfe"])) + inner


@st.composite
def not_json(draw: st.DrawFn) -> bytes:
    return draw(st.one_of(st.binary(max_size=200), st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
                          st.sampled_from([b"", b"NaN", b'{"id": NaN}', b"[", b'{"a":1}\n{"b":', b"\x00" * 10])))


@st.composite
def hostile_bundle(draw: st.DrawFn) -> bytes:
    resource = {"resourceType": draw(st.sampled_from(["Patient", "Observation", "Condition", "Procedure",
                                                      "MedicationStatement", "Consent", "Nope", ""])),
                "id": draw(st.sampled_from(["p1", "o1", "", "x" * 100]))}
    resource.update(draw(st.dictionaries(
        st.sampled_from(["birthDate", "gender", "status", "valueQuantity", "code", "subject", "effectiveDateTime",
                         "extension", "valueInteger", "onsetDateTime"]), json_values, max_size=4)))
    bundle = {"resourceType": "Bundle", "type": draw(st.sampled_from(["collection", "batch", "history", 7])),
              "entry": [{"resource": {"resourceType": "Patient", "id": "p1"}}, {"resource": resource}]}
    return json.dumps(bundle).encode()


hostile_documents = st.one_of(deep_nesting(), deep_extensions(), huge_number(), duplicate_keys(), wrong_types(), huge_string(),
                              control_characters(), with_bom(), not_json(), hostile_bundle())
