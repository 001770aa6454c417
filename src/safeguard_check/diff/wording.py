"""How changes read: labels of parts, fields and values, and the parts of a text that changed.

Shared by the terminal and Markdown reporters so both say the same thing in the same words. Codes
are shown as ``label [code]`` from the vocabulary; dates as 和暦 (ISO) in Japanese; the words of a
reworded text are split into unchanged, removed and inserted runs (:func:`segments`), which the
reporters mark like the council document marks its changes (underlined) and deletions (struck).
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import Literal

from safeguard_check.data.vocabulary import vocabulary
from safeguard_check.diff.model import Change, Entity, FindingDelta, Op, PlanDiff, Value
from safeguard_check.load.wareki import DateParseError, to_wareki
from safeguard_check.messages import Lang, catalog, t
from safeguard_check.model.rule import SEVERITIES

MARK: dict[Op, str] = {"added": "+", "removed": "−", "changed": "~", "renamed": "~"}
"""Markers that read without styling (the minus is U+2212, as in the council's own tables)."""

VOCAB_FIELDS: dict[str, str] = {
    "tasks": "tasks",
    "codes": "measures",
    "auth_factors": "auth_factors",
    "system": "systems",
    "method": "transfer_methods",
}
"""Fields whose values are vocabulary codes, and their vocabulary table."""

SUMMARY_CODE: dict[Entity, str] = {"transfer": "transfer_methods", "terminal": "systems", "contract": "measures"}
"""Table of the code an added/removed part (or a contract clause) is shown with."""

ENUM_FIELDS = {"role", "report_type", "category", "kind", "legal_basis.kind", "channel"}
DATE_FIELDS = {
    "effective_date",
    "period.start",
    "period.end",
    "subjects.as_of",
    "since",
    "permission.granted_on",
}


def entity_label(entity: Entity, lang: Lang) -> str:
    """当事者 / party …"""
    return t(f"diff.entity.{entity}", lang)


def field_label(field: str, lang: Lang) -> str:
    """The field's name in ``lang``; the dotted name itself when the catalogue has none."""
    key = f"diff.field.{field}"
    return t(key, lang) if key in catalog() else field


def date_text(value: str, lang: Lang) -> str:
    """``令和2年5月25日 (2020-05-25)`` in Japanese, ISO otherwise."""
    if lang != "ja":
        return value
    try:
        return f"{to_wareki(dt.date.fromisoformat(value))} ({value})"
    except (ValueError, DateParseError):
        return value


def code_text(table: str, code: str, lang: Lang) -> str:
    """``label [code]`` for a vocabulary code."""
    label = vocabulary().label(table, code, lang)
    return f"{label} [{code}]" if label != code else code


def value_text(field: str, value: Value, lang: Lang) -> str:
    """A field's value for people (codes with their labels, dates in 和暦, yes/no, enum words)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return t("cli.yes" if value else "cli.no", lang)
    if isinstance(value, int):
        return f"{value:,}"
    if field in VOCAB_FIELDS:
        return code_text(VOCAB_FIELDS[field], value, lang)
    if field in DATE_FIELDS:
        return date_text(value, lang)
    if field in ENUM_FIELDS:
        key = f"diff.value.{value}"
        return t(key, lang) if key in catalog() else value
    return value


def change_value(c: Change, side: Literal["old", "new"], lang: Lang) -> str:
    """The old or new value of ``c`` as shown (with the clause's or part's code when it has one)."""
    value = c.old if side == "old" else c.new
    text = value_text(c.field, value, lang)
    return text + code_suffix(c, lang) if value is not None else text


def code_suffix(c: Change, lang: Lang) -> str:
    """`` [contract.confidentiality]`` for a clause; `` — 住基ネット [jukinet]`` for a whole transfer."""
    if c.code is None:
        return ""
    if c.field == "clauses":
        return f" [{c.code}]"
    return f" — {code_text(SUMMARY_CODE.get(c.entity, 'measures'), c.code, lang)}"


def is_text_edit(c: Change) -> bool:
    """A reworded text (shown with its changed words marked) rather than a replaced value."""
    return (
        c.op in ("changed", "renamed")
        and isinstance(c.old, str)
        and isinstance(c.new, str)
        and c.field not in VOCAB_FIELDS
        and c.field not in DATE_FIELDS
        and c.field not in ENUM_FIELDS
        and c.field != "id"
    )


@dataclass(frozen=True)
class Segment:
    """A run of text: unchanged, or only in the old text, or only in the new one."""

    text: str
    kind: Literal["same", "removed", "added"]


def segments(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """The old and new text cut into runs, character by character (Japanese has no spaces).

    One- or two-character islands left unchanged between two changes are folded into the change, so a
    rewording reads as whole phrases rather than as scattered characters.
    """
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size > 0]
    keep = [b for b in blocks if b.size > 2 or _edge(b, old, new)]
    before: list[Segment] = []
    after: list[Segment] = []
    i = j = 0
    for b in keep:
        if b.a > i:
            _push(before, old[i : b.a], "removed")
        if b.b > j:
            _push(after, new[j : b.b], "added")
        _push(before, old[b.a : b.a + b.size], "same")
        _push(after, new[b.b : b.b + b.size], "same")
        i, j = b.a + b.size, b.b + b.size
    if i < len(old):
        _push(before, old[i:], "removed")
    if j < len(new):
        _push(after, new[j:], "added")
    return before, after


def _edge(b: difflib.Match, old: str, new: str) -> bool:
    # A short match at the very start or end of both texts is kept: nothing to fold it into.
    return (b.a == 0 and b.b == 0) or (b.a + b.size == len(old) and b.b + b.size == len(new))


def _push(out: list[Segment], text: str, kind: Literal["same", "removed", "added"]) -> None:
    if not text:
        return
    if out and out[-1].kind == kind:
        out[-1] = Segment(out[-1].text + text, kind)
    else:
        out.append(Segment(text, kind))


def subject_text(f: FindingDelta, lang: Lang) -> str:
    """``新宿区 (当事者 shinjuku)``."""
    return f"{f.subject_name} ({t(f'subject.{f.subject_kind}', lang)} {f.subject_id})"


def missing_text(f: FindingDelta, codes: tuple[str, ...] | None, lang: Lang) -> str:
    """The missing measures (all of ``f``'s, or only ``codes``) as ``label [code]``, joined."""
    sep = t("report.or", lang) if f.missing_mode == "any_of" and codes is None else ("、" if lang == "ja" else ", ")
    if codes is None:
        return sep.join(f"{m.label.get(lang)} [{m.code}]" for m in f.missing)
    return sep.join(code_text("measures", c, lang) for c in codes)


def citations_text(f: FindingDelta, lang: Lang) -> list[str]:
    """``番号法第11条 [BANGO-11]`` for each requirement the gap rests on."""
    out = []
    for r in f.requirements:
        text = f"{r.label.get(lang)} [{r.id}]"
        if r.verification != "official_text":
            text += f" ({t(f'verification.{r.verification}', lang)})"
        out.append(text)
    return out


def severity_text(severity: str, lang: Lang) -> str:
    """重大 / 高 / 中 / 低 / 情報."""
    return t(f"severity.{severity}", lang)


def group_changes(changes: tuple[Change, ...]) -> list[tuple[Entity, str, list[Change]]]:
    """Changes grouped by part (entity, key), in the diff's order."""
    groups: list[tuple[Entity, str, list[Change]]] = []
    for c in changes:
        if groups and groups[-1][0] == c.entity and groups[-1][1] == c.key:
            groups[-1][2].append(c)
        else:
            groups.append((c.entity, c.key, [c]))
    return groups


def group_op(items: list[Change]) -> Op:
    """The marker of a part: added or removed as a whole, else changed."""
    if len(items) == 1 and items[0].field == "":
        return items[0].op
    return "changed"


def summary_text(diff: PlanDiff, lang: Lang) -> str:
    """``変更 7 件・新たな指摘 3 件（重大 1・高 2）・解消 1 件・内容の変化 0 件`` (every output format)."""
    counts = diff.introduced_counts()
    by_severity = "・".join(f"{severity_text(s, lang)} {counts[s]}" for s in SEVERITIES if counts[s])
    return t(
        "diff.summary",
        lang,
        changes=len(diff.changes),
        introduced=len(diff.by_status("introduced")),
        detail=t("diff.summary_detail", lang, counts=by_severity) if by_severity else "",
        resolved=len(diff.by_status("resolved")),
        changed=len(diff.by_status("changed")),
    )
