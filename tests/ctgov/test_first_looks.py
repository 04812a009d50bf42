"""The recognisers' cheap first looks (a lower-case word test before a costly IGNORECASE scan)
skip only texts the scan would find nothing in: drafting is faster, never different."""

from __future__ import annotations

import pytest

from screening.ctgov.record import load_record
from screening.ctgov.text import split_criteria
from tests.ctgov.quality import record_files


@pytest.fixture(scope="module")
def fixture_texts() -> list[str]:
    texts = [i.text for p in record_files() for i in split_criteria(load_record(p).eligibility_text).items]
    assert len(texts) > 1600
    return texts


def test_an_event_is_looked_for_only_where_its_words_are(fixture_texts: list[str]) -> None:
    from screening.ctgov.recognisers.events import EVENTS

    for t in fixture_texts:
        for e in EVENTS:
            if e.pattern.search(t):
                assert e.may_occur(t, t.lower()), (e.slug, t)
    by_slug = {e.slug: e for e in EVENTS}
    assert not by_slug["vaccine"].may_occur("Chemotherapy within 4 weeks", "chemotherapy within 4 weeks")
    # outside ASCII, IGNORECASE matches letters lower case does not give (the long s of 'ſteroids'): always looked for
    text = "Syſtemic ſteroids within 30 days"
    assert by_slug["corticosteroids"].pattern.search(text)
    assert by_slug["corticosteroids"].may_occur(text, text.lower())
