"""A party's legal status (行政機関等 / 機構 / 事業者): declared, or inferred from its name and role.

The status decides which instrument judges a party (REVIEW §A4: J-LIS is not in 個人情報保護法 別表第一,
so it is judged as a 個人情報取扱事業者 under the PPC 事業者編, with the 番号法 provisions that name it).
Inference is deliberately narrow: only names whose form states the status (a company form, a local
government's suffix, J-LIS's own name) and the principal's role. Anything else stays unknown — the fact
then has no status and no rule that asks for one applies; reports say it was not inferred.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal, NamedTuple

from safeguard_check.model.declaration import LegalStatus, Party

StatusSource = Literal["declared", "inferred", "unknown"]

JLIS_NAMES = ("地方公共団体情報システム機構", "J-LIS")
# Company and corporation forms (NFKC turns ㈱ into (株)). Non-profit corporations are 個人情報取扱事業者
# too (個人情報保護法 第16条第2項 counts every person handling a personal-information database).
BUSINESS_MARKERS = (
    "株式会社",
    "有限会社",
    "合同会社",
    "合資会社",
    "合名会社",
    "(株)",
    "(有)",
    "(同)",
    "一般社団法人",
    "一般財団法人",
    "公益社団法人",
    "公益財団法人",
    "特定非営利活動法人",
    "有限責任事業組合",
)
# 独立行政法人等 and local incorporated administrative agencies are 行政機関等 (第2条第11項).
ADMINISTRATIVE_MARKERS = ("独立行政法人", "国立印刷局", "広域連合", "一部事務組合")
# A local government (区/市/町/村 and prefectures), its office, or a national ministry or agency.
_ADMINISTRATIVE_NAME = re.compile(r"(?:[区市町村県都府道]|区役所|市役所|町役場|村役場|県庁|都庁|府庁|道庁|省|庁)$")


class InferredStatus(NamedTuple):
    """A party's status (``None``: unknown) and where it came from."""

    status: LegalStatus | None
    source: StatusSource


def _normalized(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


@lru_cache(maxsize=4096)
def infer_from_name(name: str, role: str) -> LegalStatus | None:
    """The status a name (and role) states, or ``None`` when it does not say.

    Remembered: plans of a batch name the same parties (J-LIS, the same printers) again and again, and
    NFKC plus the pattern cost ~5 µs a party, about a tenth of checking a small plan.
    """
    text = _normalized(name)
    if any(marker in text for marker in JLIS_NAMES):
        return "jlis"
    if role == "principal":
        # The plan's author delegates its own statutory work: a local government.
        return "administrative_organ"
    if any(marker in text for marker in BUSINESS_MARKERS):
        return "business"
    if any(marker in text for marker in ADMINISTRATIVE_MARKERS) or _ADMINISTRATIVE_NAME.search(text):
        return "administrative_organ"
    return None


def legal_status(party: Party) -> InferredStatus:
    """The declared status, else the one its name and role state, else unknown."""
    if party.legal_status is not None:
        return InferredStatus(party.legal_status, "declared")
    inferred = infer_from_name(party.name, party.role)
    return InferredStatus(inferred, "inferred" if inferred is not None else "unknown")
