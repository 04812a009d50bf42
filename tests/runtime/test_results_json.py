"""Result documents leave out what is not known, in pydantic's core (no Python call per evidence)."""

from __future__ import annotations

import datetime as dt
import json

from screening.runtime.results import Evidence


def test_evidence_leaves_out_what_is_not_known_and_documents_its_fields() -> None:
    e = Evidence(record="birth_date", what="birth date", date=dt.date(1970, 1, 2), value=0.0)
    assert json.loads(e.model_dump_json()) == {"record": "birth_date", "what": "birth date", "value": 0.0,
                                               "date": "1970-01-02"}
    assert e.model_dump() == {"record": "birth_date", "what": "birth date", "value": 0.0, "date": dt.date(1970, 1, 2)}
    # the response schema names the fields (a model-level serialiser left it a bare object)
    schema = Evidence.model_json_schema(mode="serialization")
    assert {"record", "what", "value", "unit", "converted_value", "converted_unit", "note", "date"} <= set(schema["properties"])
