"""The fact asserted for a patient is encoded in one step from the values (`fact_encoder`): the
same text as building the fact and encoding it (`encode_fact(build_fact(...))`), extreme numbers
included; the fired rules read as statuses give what reading each criterion's two rules gives."""

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
        for tp in screener.plan.trials.values():
            values = [facts.cache[n] for n in tp.numbers]
            assert fact_encoder(tp.layout)(values) == encode_fact(build_fact(tp.layout, values))
            encoded += 1
    assert encoded == 1000
    screener.close()


def test_extreme_numbers_and_categories_are_encoded_as_before() -> None:
    tp = next(iter(Screener(load_catalog()).plan.trials.values()))
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


def test_statuses_from_fired_rules_are_those_of_each_criterion_s_rules() -> None:
    screener = Screener(load_catalog())
    for p in cohort(100, seed=4):
        facts = screener._facts(p, AS_OF, screener.resolve_trials(None))
        for tp in screener.plan.trials.values():
            fired = screener.engine.fired(tp.engine_name, build_fact(tp.layout, [facts.cache[n] for n in tp.numbers]))
            want = {}
            for cid, pass_rule, fail_rule, when_passed, when_failed in tp.decisions:
                want[cid] = ("review" if pass_rule is None else when_passed if pass_rule in fired
                             else when_failed if fail_rule in fired else "unknown")
            got = screener._decide[tp.trial_id].statuses(tp.trial_id, fired)
            assert list(got.items()) == list(want.items())
    screener.close()
