"""``--format html``: one self-contained, printable HTML file (a council attachment).

Inline CSS only: no scripts, external fonts, images or links, so the file opens and prints the same
offline. Severity is always written out in words and shown by border style, never by colour alone,
so a black-and-white print reads correctly. Each party of the chain starts a new printed page.
Everything taken from the report is HTML-escaped: plans are user input.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape

from safeguard_check.findings.model import CheckResult, Finding, Report, WaiverRef
from safeguard_check.messages import Lang, t

from ._common import (
    COVERAGE_MARK,
    PartyGroup,
    as_of_text,
    cap_text,
    citation_text,
    count_rows,
    coverage_rows,
    date_text,
    evidence_text,
    fail_on_text,
    generated_by,
    group_by_party,
    has_reading,
    instrument_lines,
    location_text,
    mapped_text,
    missing_field_lines,
    missing_items,
    not_judged,
    not_judged_lines,
    party_heading,
    party_names,
    possibly_stated_lines,
    profile_text,
    rules_text,
    severity_label,
    subject_text,
    unrecognised_rows,
    waiver_target,
)

FONT_STACK = (
    '"Hiragino Kaku Gothic ProN", "Hiragino Sans", "Yu Gothic", YuGothic, Meiryo, '
    '"Noto Sans CJK JP", "Noto Sans JP", sans-serif'
)

CSS = f"""
:root {{ color-scheme: light; }}
* {{ box-sizing: border-box; }}
body {{ font-family: {FONT_STACK}; font-size: 10.5pt; line-height: 1.6; color: #111; background: #fff;
  margin: 0 auto; max-width: 60em; padding: 1.5em; }}
h1 {{ font-size: 1.5em; margin: 0 0 .5em; }}
h2 {{ font-size: 1.3em; border-bottom: 2px solid #111; padding-bottom: .2em; margin-top: 1.5em; }}
h3 {{ font-size: 1.15em; border-bottom: 1px solid #666; margin-top: 1.4em; }}
h4 {{ font-size: 1em; margin: 0 0 .4em; }}
code {{ font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono CJK JP", monospace;
  font-size: .92em; overflow-wrap: anywhere; }}
table {{ border-collapse: collapse; margin: .5em 0 1em; }}
th, td {{ border: 1px solid #555; padding: .2em .5em; vertical-align: top; text-align: left; }}
th {{ font-weight: bold; }}
td.num {{ text-align: right; }}
dl.facts {{ display: grid; grid-template-columns: max-content 1fr; gap: .15em 1em; margin: .5em 0 1em; }}
dl.facts dt {{ font-weight: bold; }}
dl.facts dd {{ margin: 0; }}
ul.plain {{ margin: 0; padding-left: 1.2em; }}
.finding {{ border: 1px solid #555; border-left-width: 6px; padding: .5em .8em; margin: 0 0 .8em;
  break-inside: avoid; page-break-inside: avoid; }}
.finding dl {{ display: grid; grid-template-columns: max-content 1fr; gap: .1em 1em; margin: .3em 0 0; }}
.finding dt {{ font-weight: bold; }}
.finding dd {{ margin: 0; overflow-wrap: anywhere; }}
.sev {{ display: inline-block; border: 1px solid #111; padding: 0 .4em; margin-right: .4em; font-weight: bold; }}
.sev-critical {{ border-left-style: double; border-left-width: 8px; }}
.sev-critical .sev {{ border-width: 3px; border-style: double; }}
.sev-high {{ border-left-style: solid; }}
.sev-high .sev {{ border-width: 2px; }}
.sev-medium {{ border-left-style: solid; border-left-width: 4px; }}
.sev-low {{ border-left-style: dashed; border-left-width: 3px; }}
.sev-info {{ border-left-style: dotted; border-left-width: 3px; }}
.waived {{ border-style: dashed; color: #333; }}
.badge {{ display: inline-block; border: 1px dashed #111; padding: 0 .4em; margin-left: .4em; font-weight: normal; }}
.coverage td, .coverage th {{ text-align: center; padding: .1em .3em; }}
.coverage td:first-child, .coverage th:first-child {{ text-align: left; }}
.coverage th.party {{ font-size: .85em; font-weight: normal; }}
.note {{ font-size: .92em; }}
footer {{ margin-top: 2em; font-size: .85em; border-top: 1px solid #999; padding-top: .4em; }}
@media screen {{
  .sev-critical .sev, .sev-high .sev {{ background: #fde2e2; }}
  .sev-medium .sev {{ background: #fff3cd; }}
}}
@page {{ size: A4; margin: 15mm 12mm; }}
@media print {{
  body {{ max-width: none; padding: 0; font-size: 10pt; }}
  .party + .party, .plan + .plan, section.coverage, section.waivers {{ break-before: page; page-break-before: always; }}
  thead {{ display: table-header-group; }}
  tr {{ break-inside: avoid; page-break-inside: avoid; }}
  h2, h3, h4 {{ break-after: avoid; page-break-after: avoid; }}
}}
""".strip()


def e(text: object) -> str:
    """HTML-escaped text (quotes too, so the result is also safe in attribute values)."""
    return escape(str(text), quote=True)


def _facts(rows: list[tuple[str, str]]) -> str:
    """A definition list; values are HTML already (callers escape)."""
    body = "".join(f"<dt>{e(label)}</dt><dd>{value}</dd>" for label, value in rows)
    return f'<dl class="facts">{body}</dl>'


def _failed(report: Report, lang: Lang) -> str:
    """The inputs that could not be checked, before the plans."""
    items = [
        f"<code>{e(location_text(x.file, x.line))}</code>: {e(x.message.get(lang))}"
        + (f" ({e(t('fmt.failed.internal', lang))})" if x.internal else "")
        for x in report.errors
    ]
    return (
        f'<section class="failed"><h2>{e(t("fmt.failed.title", lang))}</h2>'
        f"<p>{e(t('fmt.failed.intro', lang))}</p>{_ul(items)}</section>"
    )


def _ul(items: list[str]) -> str:
    """A list of already-escaped items."""
    return '<ul class="plain">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _counts(result: CheckResult, lang: Lang) -> str:
    head = "".join(f"<th>{e(t(k, lang))}</th>" for k in ("fmt.severity", "fmt.status.open", "fmt.status.waived"))
    counts_open, counts_waived = result.counts("open"), result.counts("waived")
    rows = "".join(
        f'<tr><th scope="row">{e(severity_label(s, lang))}</th><td class="num">{o}</td><td class="num">{w}</td></tr>'
        for s, o, w in count_rows(counts_open, counts_waived)
    )
    rows += (
        f'<tr><th scope="row">{e(t("fmt.total", lang))}</th><td class="num">{sum(counts_open.values())}</td>'
        f'<td class="num">{sum(counts_waived.values())}</td></tr>'
    )
    caption = f"<caption>{e(t('fmt.counts_title', lang))}</caption>"
    return f'<table class="counts">{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _waiver_rows(w: WaiverRef, lang: Lang) -> list[tuple[str, str]]:
    rows = [
        (t("fmt.waiver.id", lang), f"<code>{e(w.id)}</code>"),
        (t("fmt.waiver.justification", lang), e(w.justification)),
    ]
    if w.approved_by:
        rows.append((t("fmt.waiver.approved_by", lang), e(w.approved_by)))
    if w.granted_on:
        rows.append((t("fmt.waiver.granted_on", lang), e(date_text(w.granted_on, lang))))
    rows.append((t("fmt.waiver.expires", lang), e(date_text(w.expires, lang))))
    rows.append((t("fmt.waiver.source", lang), f"<code>{e(location_text(w.file, w.line))}</code>"))
    return rows


def _finding(n: int, f: Finding, lang: Lang) -> str:
    waived = f.status == "waived"
    classes = f"finding sev-{f.severity}" + (" waived" if waived else "")
    badge = f'<span class="badge">{e(t("fmt.status.waived", lang))}</span>' if waived else ""
    head = (
        f'<h4>{n}. <span class="sev">{e(severity_label(f.severity, lang))}</span>'
        f"<code>{e(f.rule_id)}</code> {e(f.title.get(lang))}{badge}</h4>"
    )
    rows: list[tuple[str, str]] = [
        (t("report.subject", lang), e(subject_text(f, lang))),
        (t("report.location", lang), f"<code>{e(location_text(f.file, f.line))}</code>"),
        (t("report.message", lang), e(f.message.get(lang))),
    ]
    if f.missing:
        items = [e(m) for m in missing_items(f, lang)]
        if f.missing_mode == "any_of" and len(items) > 1:
            items.append(f"<em>{e(t('fmt.any_one', lang))}</em>")
        rows.append((t("report.missing", lang), _ul(items)))
        rows.append((t("report.evidence", lang), e(evidence_text(f, lang))))
    cap = cap_text(f, lang)
    if cap is not None:
        rows.append((t("report.cap", lang), e(cap)))
    rows.append((t("report.citations", lang), _ul([e(citation_text(r, lang)) for r in f.requirements])))
    rows.append((t("report.remediation", lang), e(f.remediation.get(lang))))
    if f.possibly_stated:
        rows.append((t("fmt.possibly_stated.label", lang), _ul([e(line) for line in possibly_stated_lines(f, lang)])))
    if waived and f.waiver is not None:
        rows += _waiver_rows(f.waiver, lang)
    body = "".join(f"<dt>{e(label)}</dt><dd>{value}</dd>" for label, value in rows)
    return f'<article class="{classes}" id="f-{e(f.fingerprint)}">{head}<dl>{body}</dl></article>'


def _party(group: PartyGroup, first_number: int, lang: Lang) -> str:
    articles = "\n".join(_finding(first_number + i, f, lang) for i, f in enumerate(group.findings))
    return f'<section class="party">\n<h3>{e(party_heading(group, lang))}</h3>\n{articles}\n</section>'


def _waiver_table(title: str, note: str, waivers: tuple[WaiverRef, ...], lang: Lang) -> str:
    keys = ("fmt.waiver.id", "fmt.waiver.target", "fmt.waiver.expires", "fmt.waiver.justification")
    head = "".join(f"<th>{e(t(k, lang))}</th>" for k in (*keys, "fmt.waiver.source"))
    rows = "".join(
        f"<tr><td><code>{e(w.id)}</code></td><td><code>{e(waiver_target(w))}</code></td>"
        f"<td>{e(date_text(w.expires, lang))}</td><td>{e(w.justification)}</td>"
        f"<td><code>{e(location_text(w.file, w.line))}</code></td></tr>"
        for w in waivers
    )
    return (
        f'<h3>{e(title)}</h3><p class="note">{e(note)}</p>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def _coverage(result: CheckResult, lang: Lang) -> str:
    parties, rows, omitted = coverage_rows(result)
    if not rows and not omitted:
        return ""
    names = party_names(result)
    labels = {s: t(f"fmt.coverage.status.{s}", lang) for s in COVERAGE_MARK}
    head = f"<th>{e(t('fmt.coverage.requirement', lang))}</th>" + "".join(
        f'<th class="party" scope="col">{e(names.get(p, p))}</th>' for p in parties
    )
    body = "".join(
        f'<tr><th scope="row"><code>{e(req)}</code></th>'
        + "".join(f'<td title="{e(labels[s])}">{COVERAGE_MARK[s]}</td>' for s in statuses)
        + "</tr>"
        for req, statuses in rows
    )
    notes = f'<p class="note">{e(t("fmt.coverage.legend", lang))}</p>'
    if omitted:
        notes += f'<p class="note">{e(t("fmt.coverage.omitted", lang, n=omitted))}</p>'
    return (
        f'<section class="coverage"><h3>{e(t("fmt.coverage.title", lang))}</h3>{notes}'
        f'<table class="coverage"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></section>'
    )


def _reading(result: CheckResult, lang: Lang) -> str:
    """The section on what the council document's check could not read ('' for a declaration)."""
    if not has_reading(result):
        return ""
    parts = [f'<section class="reading"><h3>{e(t("fmt.reading.title", lang))}</h3>']
    if result.reading is not None:
        parts.append(f"<p><strong>{e(mapped_text(result, lang))}</strong></p>")
    rows = unrecognised_rows(result, lang)
    if rows:
        keys = ("fmt.reading.line_head", "fmt.reading.where", "fmt.reading.kind", "fmt.reading.text")
        head = "".join(f"<th>{e(t(k, lang))}</th>" for k in keys)
        body = "".join(
            f"<tr><td>{e(line)}</td><td>{e(where)}</td><td>{e(kind)}</td><td>{e(text)}</td></tr>"
            for line, where, kind, text in rows
        )
        parts.append(f'<p class="note">{e(t("fmt.reading.intro", lang))}</p>')
        parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    else:
        parts.append(f'<p class="note">{e(t("fmt.reading.all_read", lang))}</p>')
    fields = missing_field_lines(result, lang)
    if fields:
        parts.append(f"<h4>{e(t('fmt.reading.missing_fields', lang))}</h4>" + _ul([e(x) for x in fields]))
    rules = not_judged(result)
    if rules:
        parts.append(
            f"<p><strong>{e(t('fmt.reading.not_judged', lang))}</strong>: "
            + ", ".join(f"<code>{e(r)}</code>" for r in rules)
            + "</p>"
        )
        lines = not_judged_lines(result, lang)
        if lines:
            parts.append(_ul([e(x) for x in lines]))
    parts.append("</section>")
    return "".join(parts)


def _plan(result: CheckResult, report: Report, lang: Lang) -> str:
    instruments = instrument_lines(result, lang)
    facts = [
        (t("fmt.plan_title", lang), e(result.plan_title)),
        (t("fmt.municipality", lang), e(result.municipality)),
        (t("fmt.department", lang), e(result.department)),
        (t("fmt.file", lang), f"<code>{e(result.file)}</code>"),
        (t("fmt.effective_date", lang), e(date_text(result.effective_date, lang))),
        (t("report.as_of", lang), e(as_of_text(result, lang))),
        (t("report.instruments", lang), _ul([e(i) for i in instruments]) if instruments else e(t("fmt.none", lang))),
        (t("report.rules_run", lang), e(rules_text(result, lang))),
        (t("report.profile", lang), e(profile_text(result, lang))),
    ]
    if result.rules_excluded:
        facts.append(
            (
                t("fmt.rules_excluded", lang, profile=result.profile),
                ", ".join(f"<code>{e(r)}</code>" for r in result.rules_excluded),
            )
        )
    if result.rules_inactive:
        facts.append((t("fmt.rules_inactive", lang), ", ".join(f"<code>{e(r)}</code>" for r in result.rules_inactive)))
    facts.append((t("fmt.fail_on", lang), e(fail_on_text(report.fail_on, lang))))
    if result.baseline_suppressed:
        facts.append(
            (t("fmt.baseline", lang), e(t("fmt.baseline_suppressed", lang, n=len(result.baseline_suppressed))))
        )
    parts = [
        f'<section class="plan"><header><h2>{e(result.municipality)} {e(result.plan_title)}</h2>',
        _facts(facts),
        _counts(result, lang),
        "</header>",
        f"<h2>{e(t('fmt.findings_title', lang))}</h2>",
    ]
    groups = group_by_party(result, result.findings)
    if not groups:
        parts.append(f"<p>{e(t('report.no_findings', lang))}</p>")
    number = 1
    for group in groups:
        parts.append(_party(group, number, lang))
        number += len(group.findings)
    with_findings = {g.party_id for g in groups}
    clean = [p.name for p in result.plan.chain if p.id not in with_findings]
    if groups and clean:
        sep = "、" if lang == "ja" else ", "
        parts.append(f'<p class="note">{e(t("fmt.parties_without_findings", lang, names=sep.join(clean)))}</p>')
    if result.waivers_expired or result.waivers_unmatched:
        parts.append('<section class="waivers">')
        if result.waivers_expired:
            parts.append(
                _waiver_table(
                    t("fmt.waivers_expired_title", lang),
                    t("fmt.waivers_expired_note", lang),
                    result.waivers_expired,
                    lang,
                )
            )
        if result.waivers_unmatched:
            parts.append(
                _waiver_table(
                    t("fmt.waivers_unmatched_title", lang),
                    t("fmt.waivers_unmatched_note", lang),
                    result.waivers_unmatched,
                    lang,
                )
            )
        parts.append("</section>")
    parts.append(_reading(result, lang))
    parts.append(_coverage(result, lang))
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


def render_html(report: Report, lang: Lang = "ja") -> str:
    """The report as one self-contained HTML5 document (Japanese unless ``lang="en"``)."""
    return "".join(stream_html(report, lang))


def stream_html(report: Report, lang: Lang = "ja") -> Iterator[str]:
    """:func:`render_html` in pieces, one plan at a time (what the CLI writes for a batch)."""
    title = t("fmt.report_title", lang)
    if len(report.results) == 1:
        title = f"{report.results[0].municipality} {report.results[0].plan_title} — {title}"
    top: list[tuple[str, str]] = []
    if report.waivers_file:
        top.append((t("fmt.waivers_file", lang), f"<code>{e(report.waivers_file)}</code>"))
    if not report.waivers_applied:
        top.append((t("fmt.waivers", lang), e(t("fmt.waivers_not_applied", lang))))
    if len(report.results) > 1:
        top.append((t("fmt.plans", lang), str(len(report.results))))
    footer = generated_by(report, lang)
    yield (
        "<!DOCTYPE html>\n"
        f'<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n<style>\n{CSS}\n</style>\n</head>\n<body>\n"
        f"<h1>{e(t('fmt.report_title', lang))}</h1>"
    )
    if top:
        yield "\n" + _facts(top)
    if report.errors:
        yield "\n" + _failed(report, lang)
    for result in report.results:
        plan = _plan(result, report, lang)
        if plan:
            yield "\n" + plan
    if not report.results and not report.errors:
        yield f"\n<p>{e(t('report.no_findings', lang))}</p>"
    yield f"\n<footer>{e(footer)}</footer>\n</body>\n</html>\n"
