"""The code index sorts a patient's records by name in one pass (each distinct display text looked
up once per catalog): what a query then finds named is what reading every record for it finds."""

from __future__ import annotations

from screening.ruleset.catalog import load_catalog
from screening.runtime.codeindex import queries_of
from screening.runtime.domains import RecordDomains
from screening.runtime.plan import ScreeningPlan
from tests.patient_gen import AS_OF, cohort


def _shown(entries):
    return [(path, id(r), id(coding), why) for path, r, coding, why in entries]


def test_records_named_through_the_index_are_those_found_record_by_record() -> None:
    plan = ScreeningPlan(load_catalog())
    queries = list(dict.fromkeys(q for m in plan.measures for q in queries_of(m)
                                 if q.codes is not None and q.codes.names))
    assert queries, "the bundled trials have queries whose concepts have names"
    named = 0
    for p in cohort(300, seed=5):
        indexed, plain = RecordDomains(p, AS_OF, plan.index), RecordDomains(p, AS_OF)
        for q in queries:
            dom = indexed.domain(q)
            found = _shown(indexed._named(q, dom))
            assert found == _shown(plain._named(q, dom)), (p.id, q)
            assert _shown(indexed.entries(q)) == _shown(dom) + found  # no latest-per-lesion here
            named += len(found)
    assert named > 50  # the cohort's free-text names do reach these queries


def test_a_display_naming_an_exception_is_looked_up_as_one() -> None:
    index = ScreeningPlan(load_catalog()).index
    found = [(kind, n, codes, exception) for kind, namings in index.namings.items()
             for n, codes, exception in namings if exception is not None and exception.names]
    assert found, "a bundled query names an exception (basal cell carcinoma, for a malignancy)"
    kind, n, codes, exception = found[0]
    assert n in index.names_in(kind, f"{codes.names[0]}")[0]
    assert n in index.names_in(kind, f"{exception.names[0]}")[1]
    assert index.names_in(kind, None) == ((), ())


def test_explanations_find_each_leaf_s_value_by_identity() -> None:
    plan = ScreeningPlan(load_catalog())
    leaves = 0
    for tp in plan.trials.values():
        for c in tp.criteria:
            for leaf in c.criterion.leaves:
                assert plan.measures[c.number_of[id(leaf.measure)]] == leaf.measure
                leaves += 1
    assert leaves > 40



def test_record_paths_are_written_once_and_grow_as_needed() -> None:
    from screening.runtime.domains import record_paths

    short = record_paths("conditions", 3)
    assert short[:3] == ["conditions[0]", "conditions[1]", "conditions[2]"]
    assert record_paths("conditions", 3) is short  # not written again
    long = record_paths("conditions", 500)
    assert len(long) >= 500 and long[499] == "conditions[499]" and long[:3] == short[:3]
    for p in cohort(30, seed=9):
        domains = RecordDomains(p, AS_OF)
        assert [path for path, _ in domains._records("condition")] == [f"conditions[{i}]" for i in range(len(p.conditions))]
        assert [path for path, _ in domains._records("participation")] == [
            f"administrative.trial_participations[{i}]" for i in range(len(p.administrative.trial_participations))]
