"""The fact asserted for a patient is encoded in one step from the values (`fact_encoder`): the
same text as building the fact and encoding it (`encode_fact(build_fact(...))`), extreme numbers
included, for every engine pack of the catalog (the statuses read from the packs' fired rules are
checked against each trial's own rulesets in `test_packs.py`)."""

from __future__ import annotations

import json

from screening.ruleset.catalog import load_catalog
from screening.runtime.engine import encode_fact, json_number
from screening.runtime.evaluate import Screener, build_fact, fact_encoder
from screening.runtime.values import Value
from tests.patient_gen import AS_OF, cohort

EXTREMES = [1e16, -1e-20, float("inf"), float("-inf"), float("nan"), 1.5e20, 0.0, -0.0, 3, 10**300, 1e-300, 2.5]


def test_one_step_encoding_is_the_built_fact_encoded() -> None:
    screener = Screener(load_catalog())
    encoded = 0
    for p in cohort(200, seed=3):
        facts = screener._facts(p, AS_OF, screener.resolve_trials(None))
        for pack in screener.plan.packs:
            values = [facts.cache[n] for n in pack.numbers]
            assert fact_encoder(pack.layout)(values) == encode_fact(build_fact(pack.layout, values))
            encoded += 1
    assert encoded == 200 * len(screener.plan.packs) >= 200
    screener.close()


def test_extreme_numbers_and_categories_are_encoded_as_before() -> None:
    tp = Screener(load_catalog()).plan.packs[0]
    numeric = [i for i, s in enumerate(tp.layout) if s.numeric]
    other = [i for i, s in enumerate(tp.layout) if not s.numeric]
    assert numeric and other
    encode = fact_encoder(tp.layout)
    for x in EXTREMES:
        for cat in ("male", "caf\u00e9 \"x\": 1e5", True, False, None):
            values = [Value(lo=x, hi=None if x == 3 else x) if i in numeric else Value(value=cat)
                      for i in range(len(tp.layout))]
            text = encode(values)
            assert text == encode_fact(build_fact(tp.layout, values))
            json.loads(text)  # valid JSON (the core reads it: see test_extreme_values)
    assert json_number(1e16) == "1.0e+16" and json_number(float("inf")) == "1.7976931348623157e+308"
    assert json_number(float("nan")) == "null" and json_number(7) == "7" and json_number(0.5) == "0.5"

