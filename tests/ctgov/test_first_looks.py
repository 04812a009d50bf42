"""The recognisers' cheap first looks (a lower-case word test before a costly IGNORECASE scan)
skip only texts the scan would find nothing in: drafting is faster, never different."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.ctgov.record import load_record
from screening.ctgov.text import split_criteria
from tests.ctgov.quality import record_files


@pytest.fixture(scope="module")
def fixture_texts() -> list[str]:
    texts = [i.text for p in record_files() for i in split_criteria(load_record(p).eligibility_text).items]
    assert len(texts) > 1600
    return texts


def test_an_event_is_looked_for_only_where_its_words_are(fixture_texts: list[str]) -> None:
    from screening.ctgov.recognisers.base import may_name
    from screening.ctgov.recognisers.events import EVENTS

    for t in fixture_texts:
        for e in EVENTS:
            if e.pattern.search(t):
                assert may_name(t, e.keys), (e.slug, t)
    by_slug = {e.slug: e for e in EVENTS}
    assert not may_name("Chemotherapy within 4 weeks", by_slug["vaccine"].keys)
    # outside ASCII, IGNORECASE matches letters lower case does not give (the long s of 'ſteroids'): always looked for
    text = "Syſtemic ſteroids within 30 days"
    assert by_slug["corticosteroids"].pattern.search(text)
    assert may_name(text, by_slug["corticosteroids"].keys)


def test_the_first_looks_of_the_other_recognisers_hold_their_patterns_words(fixture_texts: list[str]) -> None:
    """A text the patterns find a mention in contains one of the words of their first look."""
    from screening.ctgov.recognisers import conditions, consent, infections, performance, pregnancy
    from screening.ctgov.recognisers.base import may_name

    looks = [(consent._CONSENT, consent._WORDS), (pregnancy._PREGNANCY, pregnancy._WORDS),
             (pregnancy._LACTATION, pregnancy._WORDS), (pregnancy._NEGATIVE_TEST, pregnancy._WORDS),
             (infections._ACTIVE_TB, ("tuberculosis", "tb")), (performance._ECOG, performance._SCORE_WORDS),
             (performance._SCALE_AFTER, performance._SCORE_WORDS), (performance._UNNAMED, performance._SCORE_WORDS),
             *((rx, infections._VIRUS_WORDS) for _, rx in infections._VIRUSES),
             *((rx, conditions._DIAGNOSIS_WORDS[code]) for code, rx, _ in conditions._DIAGNOSES),
             (conditions._UNCONTROLLED_HT, conditions._HYPERTENSION_WORDS),
             (conditions._TRANSPLANT, conditions._TRANSPLANT_WORDS), (performance._LIFE_VERB, performance._LIFE_WORDS)]
    for t in fixture_texts + ["Known AIDS", "ECOG PS 0-1", "Breast-feeding women", "Written informed consent",
                                "Voluntarily agrees to participate", "Bechterew's disease", "SSc-ILD", "CREST syndrome",
                                "Hypertension not controlled by medication", "Organ allograft recipients",
                                "s/p transplantation", "Expected to live at least 3 months"]:
        for rx, words in looks:
            if rx.search(t):
                assert may_name(t, words), (rx.pattern[:40], t)


def test_the_consents_first_look_lets_through_every_text_it_finds_a_consent_in(fixture_texts: list[str]) -> None:
    """'accept' and 'permit' are looked at only beside 'part' and 'sign' (`consent._consent`): every text the consent
    pattern finds a mention in passes that look, and texts with 'acceptable' or 'permitted' alone do not."""
    from screening.ctgov.recognisers import consent

    made_up = ["Patient who accepted to participate in the study", "Accepts to take part in this trial",
               "C. sign permit", "Signed the informed permit", "Acceptable methods of contraception",
               "Concomitant steroids are permitted"]
    for t in fixture_texts + made_up:
        scanned = next((m for m in consent._CONSENT.finditer(t) if not consent._WHEN.search(t[:m.start()])), None)
        found = consent._consent(t)
        assert (found and found.span()) == (scanned and scanned.span()), t
    assert consent._consent("Patient who accepted to participate in the study") is not None
    assert consent._consent("C. sign permit") is not None
    assert consent._consent("Acceptable methods of contraception are permitted") is None


# the lab keywords as they were written before the short names shared one '\b': each alternative alone
_KEYWORDS_SPELT_OUT = (
    r"creatin|bilirub|bili\b|globin|\bhgb|\bhb\b|a1c|platelet|\bplt|thrombocyt|leu[ck]ocyt|\bwbc|white|"
    r"neutrophil|neutropen|\banc\b|ejection|lvef|bmi|mass\s+index|temperature|fever|heart|pulse|\bhr\b|respirat|"
    r"breathing|\brr\b|systolic|sat\s*o2|o2\s+at\s+rest|diastolic|\bsbp|\bdbp|pressure|\bbp\b|\bmap\b|sp[o0]2|sao2|"
    r"saturation|o2\s+sat|pao2|p\s*/\s*f|horowitz|crp|reactive|ferritin|lymphocyt|\bil-?6|interleukin|oximetry|dimer|"
    r"ldh|dehydrogenase|\bast\b|sgot|aspartate|\balt\b|\basat\b|\balat\b|sgpt|alanine|\bgot\b|\bgpt\b|oxal|pyruvic|\binr\b|"
    r"normali[sz]|glucose|\bfpg|qt|weigh|gfr|"
    r"glomerular|\bcr?cl|\bccr|\balc\b|\bs?cr\b")


def test_the_lab_keywords_are_the_same_words_however_grouped(fixture_texts: list[str]) -> None:
    """The keywords grouped by their first letters (`any_of`) are the words spelt out before, and find on every
    fixture item (and on short names at a word's start or inside a word) what the spelt-out alternation finds."""
    import re

    from screening.ctgov.recognisers.analytes import KEYWORD_NAMES, KEYWORDS

    spelt_out = set(_KEYWORDS_SPELT_OUT.replace(r"\bs?cr\b", r"\bscr\b|\bcr\b").split("|"))
    assert set(KEYWORD_NAMES) == spelt_out
    plain = re.compile(_KEYWORDS_SPELT_OUT)
    made_up = ["Hb < 9 g/dL", "hbsag positive", "scr 1.5", "sCr 1.5", "describe", "CrCl > 60", "ccr", "ALT/AST", "salt",
               "map > 65", "mapping", "IL-6", "il6", "pill", "SpO2 92%", "sp02 92", "P/F < 300", "alc", "calc"]
    seen = {True: 0, False: 0}
    for t in [*fixture_texts, *made_up]:
        low = t.lower()
        answer = plain.search(low) is not None
        assert (KEYWORDS.search(low) is not None) == answer, t
        seen[answer] += 1
    assert seen[True] > 300 and seen[False] > 300


def test_a_heading_is_looked_for_by_its_section_word_in_lower_case() -> None:
    from screening.ctgov.text import heading_kind

    assert heading_kind("EXCLUSION CRITERIA:") == "exclusion"
    assert heading_kind("Key Inclusion Criteria") == "inclusion"
    assert heading_kind("Patients must be 18 or older:") is None
    # outside ASCII the section word is read as before, with IGNORECASE ('İ' folds to 'i')
    assert heading_kind("İNCLUSION CRITERIA:") == "inclusion"


def test_a_window_is_looked_for_only_where_a_unit_is_named(fixture_texts: list[str]) -> None:
    from screening.ctgov.windows import _BOUNDED, _UNIT_WORDS, _WINDOW, windows

    for t in fixture_texts:
        if _WINDOW.search(t) or _BOUNDED.search(t):
            assert any(u in t.lower() for u in _UNIT_WORDS), t
    assert windows("Hemoglobin ≥ 9 g/dL") == []
    assert [w.duration for w in windows("Chemotherapy within 4 weeks")] == ["4 weeks"]


def test_a_first_character_lookahead_finds_what_the_scan_without_it_finds(fixture_texts: list[str]) -> None:
    """The operator's and the time windows' scans look first at the characters their matches start
    with: the same matches as the scans without that look, on every fixture item and on texts whose
    letters IGNORECASE folds ('İn the past 5 years', 'ſ')."""
    import re

    from screening.ctgov import thresholds, windows
    from screening.ctgov.recognisers import age_bounds

    without_op = thresholds.OPERATOR.split(")(?:", 1)[1][:-1]
    assert thresholds.OPERATOR.startswith("(?=[") and re.compile(without_op)
    pairs = [(age_bounds._BEFORE, age_bounds._BEFORE.pattern.replace(thresholds.OPERATOR, without_op)),
             (windows._WINDOW, re.sub(r"^\(\?=\[[^\]]*\]\)", "", windows._WINDOW.pattern)),
             (windows._BOUNDED, re.sub(r"^\(\?=\[[^\]]*\]\)", "", windows._BOUNDED.pattern))]
    extra = ["İn the past 5 years", "≤ 7 days prior to registration", "Onset ≤ 10 days", "LESS THAN 18 years",
             "equal to or below 50,000/mm3", "greater (or equal) to 18", "Within 4 weeks", "up to 3 months before"]
    for rx, plain in pairs:
        assert plain != rx.pattern
        without = re.compile(plain, rx.flags)
        for t in fixture_texts + extra:
            assert [m.span() for m in rx.finditer(t)] == [m.span() for m in without.finditer(t)], (plain[:40], t)


def test_the_life_expectancy_and_number_word_looks_hold_their_patterns_words(fixture_texts: list[str]) -> None:
    from screening.ctgov.recognisers import base, performance

    texts = fixture_texts + ["Anticipated to live for more than 3 months", "Expected survival of at least 12 weeks",
                             "aged eighteen to sixty-five years", "less than one year of age"]
    for t in texts:
        if any(rx.search(t) for rx in (performance._LIFE, performance._LIFE_MINIMUM, performance._LIFE_OR_MORE,
                                       performance._LIFE_VERB)):
            assert base.may_name(t, performance._LIFE_WORDS), t
        if base._WORD_NUMBER.search(t):
            assert base.may_name(t, base._NUMBER_WORDS), t


def test_the_events_first_letters_lose_no_mention(fixture_texts: list[str]) -> None:
    """An event pattern that looks first at the letters its matches start with finds what it finds without that look
    (a letter missing from the look would lose every mention starting with it)."""
    import re

    from screening.ctgov.recognisers.events import EVENTS

    looked = [e for e in EVENTS if e.pattern.pattern.startswith("(?=[")]
    assert {e.slug for e in looked} >= {"trial_participation", "corticosteroids", "hsct"}
    extra = ["Prior allogeneic or autologous stem cell transplant", "HSCT within 100 days", "Peripheral blood stem cell "
             "transplantation", "Glucocorticoids within 14 days", "previous research study", "an experimental drug",
             "Other clinical trials within 30 days", "Bone marrow transplant"]
    for e in looked:
        bare = re.compile(e.pattern.pattern[e.pattern.pattern.index("]") + 2:], e.pattern.flags)
        for t in fixture_texts + extra:
            assert [m.span() for m in e.pattern.finditer(t)] == [m.span() for m in bare.finditer(t)], (e.slug, t)


def test_an_age_range_looked_for_at_its_first_letters_loses_none(fixture_texts: list[str]) -> None:
    import re

    from screening.ctgov.recognisers.age_bounds import _RANGE

    assert _RANGE.pattern.startswith("(?=[bB\\d])")
    bare = re.compile(_RANGE.pattern[len("(?=[bB\\d])"):], _RANGE.flags)
    for t in fixture_texts + ["BETWEEN 18 AND 65 YEARS", "Aged between 6 months and 5 years", "18-65 years"]:
        assert [m.span() for m in _RANGE.finditer(t)] == [m.span() for m in bare.finditer(t)], t


def _first_letters(items: list) -> tuple[set[str], bool] | None:  # type: ignore[type-arg]
    """The letters a parsed regex sequence can start with, and whether it can match without consuming any (None: it
    can start with any character)."""
    from re import _constants as c  # type: ignore[attr-defined,unused-ignore]

    out: set[str] = set()
    for op, av in items:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue
        if op is c.LITERAL:
            return out | {chr(av)}, False
        if op is c.IN and all(o is c.LITERAL for o, _ in av):
            return out | {chr(a) for _, a in av}, False
        inner = _first_letters(av[-1]) if op is c.SUBPATTERN else _first_letters(av[2]) if op is c.MAX_REPEAT else None
        if op is c.BRANCH:
            branches = [_first_letters(b) for b in av[1]]
            if any(b is None for b in branches):
                return None
            inner = set().union(*(b[0] for b in branches if b)), any(b[1] for b in branches if b)
        if inner is None:
            return None
        out |= inner[0]
        if not inner[1] and not (op is c.MAX_REPEAT and av[0] == 0):
            return out, False
    return out, True


def test_the_consents_look_at_first_letters_holds_every_mention_not_at_the_start(fixture_texts: list[str]) -> None:
    """`consent._CONSENT` looks first at `_STARTS`, the letters its mentions start with, or the text's start (where the
    mentions that are the whole item are read): every alternative not anchored at the start begins with one of them,
    and the pattern finds what it finds without the look."""
    import re
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    from screening.ctgov.recognisers import consent

    look = f"(?:^|(?=[{consent._STARTS}]))"
    assert consent._CONSENT.pattern.startswith(look)
    bare = re.compile(consent._CONSENT.pattern[len(look):], consent._CONSENT.flags)
    parsed = list(_parser.parse(bare.pattern, bare.flags))
    if len(parsed) == 1 and parsed[0][0] is c.SUBPATTERN:  # (a group the parser did not inline)
        parsed = list(parsed[0][1][-1])
    (branch_op, (_, branches)), = parsed
    assert branch_op is c.BRANCH
    for branch in branches:
        if branch[0][0] is c.AT and branch[0][1] is c.AT_BEGINNING:
            continue
        letters = _first_letters(branch)
        assert letters is not None and not letters[1] and {x.lower() for x in letters[0]} <= set(consent._STARTS), \
            (letters, branch[:2])
    for t in fixture_texts + ["Written informed consent", "Agreed to participate.", "C. sign permit",
                              "competent to consent to take part in this research", "Completed ICF"]:
        assert [m.span() for m in consent._CONSENT.finditer(t)] == [m.span() for m in bare.finditer(t)], t


def test_the_item_checks_first_looks_hold_their_patterns_words(fixture_texts: list[str]) -> None:
    """The drafting step's first looks before its item-wide scans (a procedure forbidden, one withheld, a lead-in that
    excludes) let through every text the scans find something in."""
    from screening.ctgov import criteria
    from screening.ctgov.recognisers.base import may_name

    looks = [(criteria._RESTRICTED, criteria.may_restrict), (criteria._WITHHELD, criteria.may_withhold),
             (criteria._EXCLUDING_LEAD_IN, lambda t: may_name(t, criteria._EXCLUDING_WORDS))]
    made_up = ["Pregnant women may not receive (131)I", "Women who are pregnant cannot undergo the PET scan",
               "Patients can't be randomised to the high-dose arm", "Subjects will not receive the study vaccine",
               "Excluded from the MRI substudy", "may not undergo the optional research MRI",
               "Patients are excluded if any of the following apply: pregnancy", "Contraindications to MRI: pacemaker",
               "Patients are not eligible if they have: HIV"]
    for t in fixture_texts + made_up:
        for rx, look in looks:
            if rx.search(t):
                assert look(t), (rx.pattern[:40], t)
    assert not criteria.may_restrict("Adults with asthma") and not criteria.may_withhold("Adults with asthma")


def test_first_match_reads_the_first_pattern_matching_at_a_place_as_their_alternation_does() -> None:
    import re

    from screening.ctgov.first_letters import FirstMatch, _first_characters, any_of

    patterns = [re.compile(p, re.IGNORECASE) for p in (r"creatinine\s+clearance", r"(?:serum\s+)?creatinine", r"\w+ase",
                                                        r"(?-i:[sS]Cr)\b", r"(?:estimated\s+)?GFR")]
    assert _first_characters(patterns[0]) == {"c"}
    assert _first_characters(patterns[1]) == {"s", "c"}
    assert _first_characters(patterns[2]) is None  # a class: tried everywhere
    assert _first_characters(patterns[3]) == {"s"}
    assert _first_characters(patterns[4]) == {"e", "g"}
    assert _first_characters(re.compile(r"(?:x)?")) is None  # may match nothing
    plain = re.compile("|".join(f"(?P<p{i}>{p.pattern})" for i, p in enumerate(patterns)), re.IGNORECASE)
    first = FirstMatch(patterns)
    for text in ["Creatinine clearance > 60", "serum creatinine 1.2", "Lipase", "SCr 1.4", "scr", "eGFR", "GFR > 30",
                 "Estimated GFR", "ſerum creatinine", "KELVIN", "1.5 mg", "", "creatine kinase"]:
        for pos in range(len(text) + 1):
            m = plain.match(text, pos)
            expected = None if m is None else (int(m.lastgroup[1:]), m.span())
            got = first.match(text, pos)
            assert (None if got is None else (got[0], got[1].span())) == expected, (text, pos)
    assert any_of([r"hb\b", r"\bhgb"]).search("thb 9") is not None  # inside a word: by the name without '\b'
    assert any_of([r"\bhb\b"]).search("the hb is 9") and not any_of([r"\bhb\b"]).search("thb 9")
    with pytest.raises(ValueError):
        any_of([r"(?:x|y)"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="abc <=", min_size=1, max_size=4), min_size=1, max_size=8),
       st.text(alphabet="abcAB <=", max_size=12), st.booleans())
def test_an_alternation_grouped_by_first_letter_matches_as_the_plain_one(words: list[str], text: str,
                                                                         ignore_case: bool) -> None:
    """`by_first_letter` keeps the alternatives' order under each first character: at every place of any text the
    grouped alternation matches what the plain one matches, with or without IGNORECASE."""
    import re

    from screening.ctgov.first_letters import by_first_letter

    escaped = [re.escape(w) for w in words]
    flags = re.IGNORECASE if ignore_case else 0
    plain, grouped = re.compile("|".join(escaped), flags), re.compile(by_first_letter(escaped), flags)
    for pos in range(len(text) + 1):
        a, b = plain.match(text, pos), grouped.match(text, pos)
        assert (a and a.span()) == (b and b.span()), (words, text, pos)


def test_the_operators_grouped_by_first_letter_read_as_before() -> None:
    from screening.ctgov.thresholds import comparisons

    read = [(c.op, c.value, c.unit) for c in comparisons(
        "Hb greater than or equal to 9 g/dL, platelets > or = 100, age ≥ or = 18, ALT less (or equal) than 3, "
        "creatinine equal to or less than 1.5 mg/dL, BMI not greater than 35, weight at least 50 kg")]
    assert read == [("ge", 9.0, "g/dL"), ("ge", 100.0, None), ("ge", 18.0, None), ("le", 3.0, None),
                    ("le", 1.5, "mg/dL"), ("le", 35.0, None), ("ge", 50.0, "kg")]


def test_full_width_punctuation_found_by_a_scan_is_what_translating_every_character_gives(
        fixture_texts: list[str]) -> None:
    from screening.ctgov.text import _FULL_WIDTH, _in_ascii_punctuation

    table = str.maketrans(_FULL_WIDTH)
    made_up = ["Age≥18；ECOG：0-1，Hb（g/L）＞＝90", "（Criteria）：", "＜18.5", "plain ASCII", ""]
    changed = 0
    for t in fixture_texts + made_up:
        assert _in_ascii_punctuation(t) == t.translate(table), t
        changed += _in_ascii_punctuation(t) != t
    assert changed >= len(made_up) - 2



def test_the_patterns_with_a_look_at_their_first_characters_find_what_they_find_as_written(
        fixture_texts: list[str]) -> None:
    """`with_first_look` puts a look at the characters a pattern's matches start with ahead of it: on every fixture
    item each pattern so looked (the qualifiers' cues, the performance and life expectancy patterns, the measures ...)
    finds the spans it finds as written."""
    import screening.ctgov.draft  # noqa: F401 - every recogniser imported: every look made
    from screening.ctgov.first_letters import AS_WRITTEN
    from screening.ctgov.recognisers.cues import CUES

    looked = {id(p) for p, _ in AS_WRITTEN}
    assert len(AS_WRITTEN) >= 35 and id(CUES["dated"]) in looked and CUES["dated"].pattern.startswith("(?=[")
    found = 0
    for t in fixture_texts + ["ſince 2 years", "When they were 5", "± 2", "In cohort B only", "ECOG PS ≤ 1"]:
        for looked_pattern, written in AS_WRITTEN:
            spans = [m.span() for m in written.finditer(t)]
            assert [m.span() for m in looked_pattern.finditer(t)] == spans, (written.pattern[:60], t)
            found += len(spans)
    assert found > 1000


def test_a_first_look_is_put_only_where_the_first_characters_can_be_told() -> None:
    import re

    from screening.ctgov.first_letters import with_first_look

    assert with_first_look(re.compile(r"\bwhen\b|\d+\s*days?", re.IGNORECASE)).pattern.startswith(r"(?=[\dw])")
    plain = re.compile(r"\w+ing|(?:x)?")
    assert with_first_look(plain) is plain  # a word character or nothing: no look helps
    assert with_first_look(re.compile(r"(?i:F)ever")).search("fever") is not None
