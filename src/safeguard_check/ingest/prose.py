"""Read a document that has no 別紙 form: a PIA excerpt, a 仕様書, a page flattened to one line.

Such a document is read as prose. It is cut into sentences (at 「。」 and at a 「・」 bullet that opens a
line or follows a space), each keeping the line it starts on; a sentence is a measure sentence when a
vocabulary phrase maps it or it has a measure word (``forms.yaml`` ``prose``). The municipality is
the body the text names most often (「栃木県知事」「和光市は」); parties are the organisations the text
hands work to (「機構に委託する」), by a name the text writes or defines (「…機構(以下「機構」という。)」).
What the form would have said (保有課, 報告/諮問, 変更日) is reported missing by the caller.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from safeguard_check.ingest.forms import forms, section_of_sentence
from safeguard_check.ingest.mapping import read_codes
from safeguard_check.ingest.patterns import patterns
from safeguard_check.ingest.sections import CategoryName, MeasureText, SectionName, SheetText
from safeguard_check.ingest.text import compact, line_number, sentences

_BODY = re.compile(
    r"(?<![一-龥ヶ])(?P<name>[一-龥ヶ]{1,5}?[都道府県市区町村])(?![一-龥ヶ]{0,2}(?:課|室|係|民|役所|長|議会|立|営|税|職員|町村))"
)
_DEFINED_SPACED = re.compile(r"\(\s*以\s*下\s*「(?P<short>[^」]{1,20})」\s*と\s*い\s*う\s*。?\s*\)")


def prose_sheet(lines: list[str] | tuple[str, ...]) -> SheetText:
    """The whole document as one sheet whose measures are its measure sentences (section principal)."""
    rules = forms().prose
    measures: list[MeasureText] = []
    in_list = False
    heading: SectionName | None = None
    heads = ("principal_measures", "party_measures", "delegate_measures")
    section_labels = [pattern for name, pattern in forms().sheet_labels if name in heads]
    for text, line in sentences(lines):
        key = compact(text)
        if any(glyph in key for glyph in _TREE):
            continue  # a chain drawn as a tree (「└委託 A社」): read as parties, not a measure
        if len(key) <= _SECTION_HEADING and "。" not in key and any(re.fullmatch(p, key) for p in section_labels):
            # 「２ 受託者における措置」: the sentences after this heading are that party's measures.
            heading = forms().section_of(key)
            continue
        if _ARTICLE.match(key) or _CAPTION.fullmatch(key):
            in_list = False
            heading = None  # 「第4 その他」: a new article ends the party's section
        if _CAPTION.fullmatch(key):
            continue  # 「(委託先の選定に当たっての留意事項)」: an article's caption, not a measure
        lead = any(compact(w) in key for w in rules.list_leads)
        if any(compact(w) in key for w in (*rules.not_measures, *rules.lead_only)):
            in_list = in_list or lead
            continue
        reading = read_codes(text)
        codes = reading.codes
        # 「再評価は行わない」: a sentence stating a measure as not done is a measure sentence too.
        worded = any(compact(w) in key for w in rules.measure_words)
        if not codes and not reading.not_done and not in_list and not worded:
            in_list = lead
            continue
        in_list = in_list or lead
        category: CategoryName = (
            "technical" if codes and all(c.split(".")[0] in _TECHNICAL for c in codes) else "operational"
        )
        section = heading or section_of_sentence(text)
        measures.append(MeasureText(section, category, f"p{len(measures) + 1}", text, (), line))
    first = next((n for x in lines if (n := line_number(x)) is not None), None)
    return SheetText(
        marker="本文", heading=[], fields={}, labels={}, measures=_led_lists(measures), line=first, prose=True
    )


def _led_lists(measures: list[MeasureText]) -> list[MeasureText]:
    # 「受託者との契約には、…次の事項を定める。」 then 「ア 秘密保持…」「イ …」 (items without 「。」): the items
    # are that contract sentence's list (its clauses), as bullets under it would be. Other lists (「次に
    # 掲げる観点から…」 over criteria) keep their items as measure sentences.
    leads = tuple(compact(w) for w in forms().prose.list_leads)
    out: list[MeasureText] = []
    index = 0
    while index < len(measures):
        m = measures[index]
        index += 1
        key = compact(m.text)
        if not m.text.endswith("。") or "契約" not in key or not any(w in key for w in leads):
            out.append(m)
            continue
        items: list[str] = []
        while index < len(measures) and not measures[index].text.endswith("。"):
            items.append(measures[index].text)
            index += 1
        out.append(dataclasses.replace(m, bullets=(*m.bullets, *items)) if items else m)
    return out


# An article of a standard or 要綱, with or without its bracketed caption: 「(趣旨)第1条」「第2 この基準…」.
_ARTICLE = re.compile(r"(?:\([^)]{1,40}\))?第[0-9０-９一二三四五六七八九十]+(?:条|\s|[^0-9０-９条の号項])")

_CAPTION = re.compile(r"\([^)]{1,40}\)")

_SECTION_HEADING = 20

_TREE = ("└", "├", "┗", "┣")

_TECHNICAL = {"network", "endpoint", "terminal", "session", "logging"}


def municipality_in(text: str) -> str | None:
    """The body the text names most often (「栃木県知事」「和光市は」), generic words excluded; a
    広域連合 (一部事務組合) named in the text is preferred to the prefecture its name contains."""
    rules = forms().prose
    unions = Counter(
        m.group("name")
        for m in re.finditer(
            r"(?P<name>[一-龥ヶ]{1,12}?(?:" + "|".join(re.escape(u) for u in rules.unions) + "))", text
        )
    )
    if unions:
        return unions.most_common(1)[0][0]
    generic = {compact(g) for g in rules.generic_bodies}
    counters = "".join(rules.not_name_starts)
    counts = Counter(
        name
        for m in _BODY.finditer(text)
        # 「第3回南原市…」: 回 counts the meeting, it does not begin the body's name.
        if (name := m.group("name").lstrip(counters) or m.group("name")) not in generic
        and not any(name.endswith(g) or g.startswith(name) for g in generic if len(g) > 2)
    )
    if not counts:
        return None
    best = max(counts.values())
    return next(name for name in counts if counts[name] == best)


def _cut_name(before: str) -> str:
    # The name that ends ``before``: after the last bracket, space or particle (forms.yaml name_breaks).
    cut = max(before.rfind(ch) for ch in "()「」、。 \n")
    name = before[cut + 1 :]
    affix = max(
        ((name.rfind(a), a) for a in forms().prose.corporate_affixes if a in name), default=None, key=lambda x: x[0]
    )
    if affix is not None and affix[0] + len(affix[1]) < len(name):
        # 「令和5年10月1日から株式会社カワバタ・インフォメーション・サービス」: a name written after its
        # corporate affix runs to the end; the particles and 「・」 inside it do not cut it.
        return name[affix[0] :].strip()
    for word in sorted(forms().prose.name_breaks, key=len, reverse=True):
        at = name.rfind(word)
        if at >= 0:
            name = name[at + len(word) :]
    return name.strip()


def defined_names(text: str) -> dict[str, str]:
    """Short name → full name for every 「X(以下「Y」という。)」 in ``text``.

    Read on the text as given (a space there ends a name: 「…の宣言 地方公共団体情報システム機構」),
    with spaces allowed inside the definition (a line broken in 「とい う」).
    """
    out: dict[str, str] = {}
    for m in _DEFINED_SPACED.finditer(text):
        name = compact(_cut_name(text[: m.start()].rstrip()))
        if len(name) >= 2:
            out.setdefault(compact(m.group("short")), name)
    return out


def named_before(before: str) -> tuple[str, str | None] | None:
    """The business named just before a verb (「…業務を、株式会社山手プロモーション」 → its name), with the
    short name a definition right there gives (「株式会社コールワン(以下「C社」という。)」); None
    when the words there are not a business's name (no corporate affix: 株式会社, 有限会社 …)."""
    short: str | None = None
    m = re.search(r"\(以下「(?P<short>[^」]{1,20})」という。?\)$", before)
    if m is not None:
        short, before = m.group("short"), before[: m.start()]
    elif before.endswith(")") and (at := before.rfind("(")) > 0:
        before = before[:at]  # 「株式会社A（窓口受付）に委託」: the parenthesis says what A does
    name = _cut_name(before)
    if len(name) < 3 or not any(a in name for a in forms().prose.corporate_affixes):
        return None
    return name, short


def handovers(text: str) -> list[tuple[str, str, str | None]]:
    """(full name, role, short name) of each party the text hands work to (「機構に委託する」), in order."""
    rules = forms().prose
    names = defined_names(text)
    known = [o.match for o in patterns().organisations]
    found: list[tuple[int, str, str, str | None]] = []
    flat = compact(text)
    for role, verbs in rules.handover_verbs.items():
        for verb in verbs:
            for m in re.finditer(re.escape(compact(verb)), flat):
                before = flat[: m.start()]
                short = next((s for s in sorted(names, key=len, reverse=True) if before.endswith(compact(s))), None)
                if short is not None:
                    found.append((m.start(), names[short], role, short))
                    continue
                org = next((k for k in sorted(known, key=len, reverse=True) if before.endswith(k)), None)
                if org is not None:
                    found.append((m.start(), org, role, None))
                    continue
                named = named_before(before)
                if named is not None:
                    found.append((m.start(), named[0], role, named[1]))
    if not found:
        # No business named: a 仕様書 or PIA speaks of 「受託者」「外部業者」; the word it uses most is the party.
        terms = Counter({t: flat.count(compact(t)) for t in rules.contractor_terms})
        term, count = terms.most_common(1)[0] if terms else ("", 0)
        if count:
            found.append((flat.find(compact(term)), term, "contractor", None))
    seen: set[str] = set()
    out: list[tuple[str, str, str | None]] = []
    for _at, name, kind, short in sorted(found):
        if name not in seen:
            seen.add(name)
            out.append((name, kind, short))
    return out


def handed_work(text: str, name: str) -> str:
    """The words before the first 「<name>に委任」 (「<name>に行わせている」 …) back to the sentence's start:
    where a prose document says which work it hands over (「カードの作成等に関する事務は機構に…」)."""
    flat = compact(text)
    key = compact(name)
    for verb in forms().prose.handover_verbs.get("delegate", ()):
        at = flat.find(key + compact(verb))
        if at >= 0:
            return flat[flat.rfind("。", 0, at) + 1 : at]
    return ""


def received_by(text: str) -> tuple[str, str, str | None] | None:
    """(principal, delegate, delegate's short name) when the text says its author works 「Xから委任を
    受けて」 (a 機構 PIA): X hands the work to the organisation the text defines first."""
    flat = compact(text)
    for verb in forms().prose.received_verbs:
        at = flat.find(compact(verb))
        if at < 0:
            continue
        before = re.sub(r"\([^()]*\)$", "", flat[:at])  # 「市町村長(特別区の区長を含む。…)」
        principal = _cut_name(before)
        names = defined_names(text)
        org = next(
            (
                (full, short)
                for short, full in names.items()
                if any(full.endswith(x) for x in ("機構", "法人", "会社"))
                or any(a in full for a in forms().prose.corporate_affixes)
            ),
            None,
        )
        if len(principal) >= 2 and org is not None:
            return principal, org[0], org[1]
    return None
