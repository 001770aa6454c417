"""Read the plan-level facts and the per-sheet fields: title, dates, subjects, media, period …

Dates are written in 和暦 (令和2年5月25日, ※H27.1.30委任開始) and read with :mod:`load.wareki`; the
effective date is the 変更日 (or 実施日 …) of 事業内容, falling back to the start of the first sheet's
period. The subjects' count is read from 「347,542人（令和2年5月1日現在）」.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from safeguard_check.ingest.context import Warnings
from safeguard_check.ingest.lists import Unit, parse_list
from safeguard_check.ingest.patterns import patterns
from safeguard_check.ingest.text import compact, join_lines
from safeguard_check.load.wareki import DateParseError, parse_date

DATE = (
    r"(?:令和|平成|昭和)\s*(?:元|\d{1,2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|[RHSrhs]\s*\d{1,2}\s*\.\s*\d{1,2}\s*\.\s*\d{1,2}"
    r"|\d{4}[./-]\d{1,2}[./-]\d{1,2}"
)
_DATE = re.compile(DATE)
# Every variable-length part of these patterns is bounded (#15 item 8): an unbounded 「[^)]*」 after a
# repeated opening is retried from each one, quadratic in the length of the line.
_PERIOD = re.compile(rf"(?P<start>{DATE})\s*から\s*(?P<end>{DATE})\s*まで")
_RENEWAL = re.compile(r"まで\s*\((?P<renewal>[^)]{0,80})\)")
_EFFECTIVE = re.compile(rf"(?:変更日|実施日|開始日|施行日|開始時期)\s*:?\s*(?P<date>{DATE})")
_COUNT = re.compile(rf"対象者数\s*:?\s*(?P<count>[\d,]{{1,15}})\s*人(?:\s*\((?P<as_of>{DATE})\s*現在\))?")
_MUNICIPALITY = re.compile(r"^(?P<name>\S+?[都道府県市区町村])の")
_PRIOR = re.compile(r"((?:平成|令和)(?:元|\d+)年度第\d+回)")
_ARTICLE = re.compile(r"第\d+条(?:第\d+項)?(?:\([^)]{0,60}\))?")
_LEGAL_BASIS = re.compile(
    r"(?P<law>(?:平成|令和)(?:元|\d+)年[^、。「」()]{0,80}?(?:省令|政令|法律)第\d+号)"
    r"(?:\(以下「[^」]{0,30}」という。?\))?(?P<article>第\d+条(?:第\d+項)?)"
)


def read_date(text: str, warnings: Warnings, where: str) -> dt.date | None:
    """A 和暦 or ISO date, or None with a warning when it cannot be read."""
    try:
        return parse_date(re.sub(r"\s+", "", text))
    except DateParseError as exc:
        warnings.add(f"{where}: 日付「{text}」を読めません", f"{where}: cannot read the date 「{text}」 ({exc})")
        return None


def strip_title(unit: Unit, title: str) -> str | None:
    """The unit's text without its leading ``title`` (「個人の範囲」), or None if it has another title."""
    text = unit.text
    if not compact(text).startswith(compact(title)):
        return None
    pattern = r"^\s*" + r"\s*".join(re.escape(ch) for ch in compact(title)) + r"\s*"
    return re.sub(pattern, "", text, count=1)


@dataclass
class PeriodText:
    """開始時期及び期限 read from its field."""

    start: dt.date | None = None
    end: dt.date | None = None
    renewal: str | None = None
    note: str | None = None
    since: dt.date | None = None

    def as_dict(self) -> dict[str, object]:
        """The ``Period`` of the declaration (without ``since``, which belongs to the delegate)."""
        out: dict[str, object] = {}
        for key in ("start", "end", "renewal", "note"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value.isoformat() if isinstance(value, dt.date) else value
        return out


def read_period(lines: list[str], warnings: Warnings, where: str) -> PeriodText:
    """「令和2年5月25日から令和3年3月31日まで（次年度以降も、同様の委任を行う。） ※H27.1.30委任開始」."""
    text = join_lines(lines)
    out = PeriodText()
    body, _, note = text.partition("※")
    m = _PERIOD.search(body)
    if m:
        out.start = read_date(m.group("start"), warnings, where)
        out.end = read_date(m.group("end"), warnings, where)
    elif body:
        warnings.add(f"{where}: 期間を読めません「{body}」", f"{where}: cannot read the period 「{body}」")
    r = _RENEWAL.search(body)
    if r:
        out.renewal = r.group("renewal").strip() or None
    if note:
        out.note = "※" + note.strip()
        d = _DATE.search(note)
        if d:
            out.since = read_date(d.group(0), warnings, where)
    return out


_MONTH = re.compile(r"(?P<era>令和|平成)\s*(?P<year>元|\d{1,2})\s*年\s*(?P<month>\d{1,2})\s*月")


def any_date(text: str) -> dt.date | None:
    """The first full date written anywhere in ``text``, else the first 「平成27年6月」 (its first day)."""
    for m in _DATE.finditer(text):
        try:
            return parse_date(re.sub(r"\s+", "", m.group(0)))
        except DateParseError:
            continue
    for m in _MONTH.finditer(text):
        try:
            return parse_date(f"{m.group('era')}{m.group('year')}年{m.group('month')}月1日")
        except DateParseError:
            continue
    return None


def effective_date(content: list[str]) -> str | None:
    """The 変更日 (実施日 …) written in 事業内容, as printed."""
    m = _EFFECTIVE.search(join_lines(content))
    return m.group("date") if m else None


def subjects_count(content: list[str]) -> tuple[int | None, str | None]:
    """(count, as-of date as printed) from 「対象者数 347,542人（令和2年5月1日現在）」."""
    m = _COUNT.search(join_lines(content))
    if not m:
        return None, None
    return int(m.group("count").replace(",", "")), m.group("as_of")


def municipality_of(scope: str) -> str | None:
    """「新宿区の住民基本台帳に記録されている者」 → 新宿区."""
    m = _MUNICIPALITY.search(scope)
    return m.group("name") if m else None


def prior_approvals(text: str) -> list[str]:
    """「平成26年度第6回及び令和元年度第4回本審議会了承」 → one entry per meeting."""
    out: list[str] = []
    for chunk in re.findall(r"((?:(?:平成|令和)(?:元|\d{1,2})年度第\d{1,3}回(?:及び)?){1,10})本審議会", text):
        for meeting in _PRIOR.findall(chunk):
            entry = f"{meeting}本審議会(了承済)"
            if entry not in out:
                out.append(entry)
    return out


def legal_basis_citation(lines: list[str]) -> str | None:
    """「◇第14条第1項（業務委託等）」 of 条例の根拠 → 「条例第14条第1項(業務委託等)」."""
    m = _ARTICLE.search(join_lines(lines))
    return f"条例{m.group(0)}" if m else None


def delegation_basis(reason: str) -> str | None:
    """「平成26年総務省令第85号（以下…）第35条第1項」 in 委任理由 → 「平成26年総務省令第85号第35条第1項」."""
    m = _LEGAL_BASIS.search(reason)
    return f"{m.group('law')}{m.group('article')}" if m else None


@dataclass
class InfoText:
    """委任に伴い事業者に処理させる情報項目: 個人の範囲 and 情報項目."""

    scope: str | None = None
    items: list[dict[str, object]] = field(default_factory=list)
    note: str | None = None


def read_info(lines: list[str], warnings: Warnings, where: str) -> InfoText:
    """Read 個人の範囲 and 情報項目; items listed inline become data items, a reference becomes a note."""
    block = parse_list(lines)
    out = InfoText()
    notes: list[str] = []
    for unit in block.items:
        scope = strip_title(unit, "個人の範囲")
        items = strip_title(unit, "情報項目")
        if scope is not None:
            out.scope = scope or None
        elif items is not None:
            if "のとおり" in items or "参照" in items or not items:
                notes.append(items)
                warnings.add(
                    f"{where}: 情報項目は「{items}」（別資料）とされ本文に一覧がないため、data_items は空です",
                    f"{where}: the data items are given by reference 「{items}」; data_items left empty",
                )
            else:
                table = patterns().data_items
                for n, name in enumerate((x.strip() for x in re.split(r"[、,]", items) if x.strip()), 1):
                    entry = table.get(compact(name))
                    item: dict[str, object] = {"id": entry.id if entry else f"item-{n}", "name": name}
                    if entry and entry.specific:
                        item["specific_personal_info"] = True
                    out.items.append(item)
        else:
            notes.append(unit.text)
    notes.extend(n.text for n in block.notes)
    out.note = " ".join(n for n in notes if n) or None
    return out


def read_media(lines: list[str]) -> list[str]:
    """「電磁的媒体（磁気ディスク及び機構のカード管理システムサーバ）」 → the media names."""
    text = join_lines(lines)
    m = re.search(r"\(([^()]*)\)", text)
    inner = m.group(1) if m else text
    return [x.strip() for x in re.split(r"及び|、|並びに", inner) if x.strip()]
