"""The code index sorts a patient's records by name in one pass (each distinct display text looked
up once per catalog): what a query then finds named is what reading every record for it finds."""

from __future__ import annotations

from screening.ruleset.catalog import load_catalog
from screening.runtime.codeindex import observation_codes_of, queries_of
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


def _assert_names_a_record(profile, path: str) -> None:
    """`path` ("conditions[3]", "administrative.trial_participations[0]") names a record of the profile."""
    if path.startswith("administrative.") and "[" not in path:
        return
    attr, _, rest = path.partition("[")
    records = (profile.administrative.trial_participations if attr.endswith("trial_participations")
               else getattr(profile, attr))
    assert 0 <= int(rest.rstrip("]")) < len(records), path


def test_records_are_placed_by_position_and_paths_written_only_for_evidence(monkeypatch) -> None:
    """The facts stage sorts records by their position in the profile; a path into the profile is
    written only when an explanation (or a value's wording) needs it, and is the right one."""
    import screening.runtime.domains as domains_module
    import screening.runtime.queries as queries_module
    from screening.runtime.evaluate import Screener

    written: list[tuple[str, int]] = []
    real = domains_module.record_path

    def counted(kind: str, i: int) -> str:
        written.append((kind, i))
        return real(kind, i)

    monkeypatch.setattr(domains_module, "record_path", counted)
    monkeypatch.setattr(queries_module, "record_path", counted)
    screener = Screener(load_catalog())
    patients = [p for p in cohort(60, seed=9) if p.conditions and p.procedures]
    assert len(patients) > 10
    for p in patients:  # verdicts: a path only where a value's wording names the record
        written.clear()
        facts = screener._facts(p, AS_OF, screener.resolve_trials(None))
        wording = " ".join(t for v in facts.cache.values() for t in (v.missing, v.assumption) if t)
        assert all(real(kind, i) in wording for kind, i in written), (p.id, written)
    verdicts_only = len(written)
    report = screener.screen(patients[0], AS_OF)
    shown = {e.record for t in report.results for c in t.criteria for e in c.evidence}
    assert len(written) > verdicts_only  # evidence names its records
    for path in shown - {"sex", "birth_date", "derived"}:
        _assert_names_a_record(patients[0], path)
    assert real("participation", 2) == "administrative.trial_participations[2]"
    assert real("condition", 0) == "conditions[0]"
    screener.close()


def test_latest_values_found_in_the_sorting_pass_are_those_found_by_scanning() -> None:
    """The latest observation of each latest value's codes, found in the one pass over the records,
    is the one a scan of the observations for those codes finds (the later one of a day)."""
    from screening.runtime.facts import PatientFacts
    from screening.runtime.observations import LatestObservations

    plan = ScreeningPlan(load_catalog())
    code_sets = {id(c): c for m in plan.measures for c in observation_codes_of(m)}
    assert code_sets
    found = 0
    for p in cohort(300, seed=11):
        facts = PatientFacts(p, AS_OF, plan.index, plan.shared)
        assert facts.observations._found is facts.domains.latest is not None  # found in the pass
        scan = LatestObservations(p.observations, AS_OF, facts.window_start, facts._unrecorded)
        for c in code_sets.values():
            got, want = facts.observations._latest(c), scan._latest(c)
            assert (got and (got[0], id(got[2]))) == (want and (want[0], id(want[2]))), (p.id, c.name)
            found += got is not None
    assert found > 100
