"""Written informed consent: 'Signed written informed consent', 'informed consent obtained'."""

from __future__ import annotations

import re

from screening.ctgov.recognisers.base import CONDITIONAL, Finding, ItemText

_CONSENT = re.compile(r"(?:sign|signed|provide|give|given|written|obtain)[\w\s(),\-]{0,60}?informed\s+consent"
                      r"|informed\s+consent[\w\s]{0,20}?(?:signed|obtained)", re.IGNORECASE)


def recognise_consent(item: ItemText) -> list[Finding]:
    """An inclusion that asks for signed consent, unless it opens with a condition ('If applicable, ...')."""
    if item.kind != "inclusion" or CONDITIONAL.match(item.text):
        return []
    m = _CONSENT.search(item.text)
    if not m:
        return []
    return [Finding("consent", {"ref": "informed_consent_signed"}, m.group(0), 0.7,
                    "written informed consent signed (recorded as a fact)", m.start(), m.end())]
