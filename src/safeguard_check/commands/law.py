"""Browse the law the tool applies: ``explain ID``, ``baselines list`` and ``rules list``.

Text output uses rich (plain when not a terminal or when ``NO_COLOR`` is set); ``--format json`` prints
deterministic JSON (keys sorted, both languages, UTF-8 kept as is), the same whatever ``--lang``.
Exit codes: 0 shown, 2 usage or input error (unknown id, bad option, broken catalogue).

Register on the main app with :func:`register`.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console, Group
from rich.padding import Padding
from rich.text import Text

from safeguard_check.commands.options import (
    BaselinesOption,
    LangOption,
    NoColorOption,
    ProfileOption,
    RulesOption,
    choice,
    plain,
)
from safeguard_check.data.vocabulary import suggest, vocabulary
from safeguard_check.errors import InputError, render
from safeguard_check.load.catalog import Catalog, load_catalog
from safeguard_check.load.wareki import to_wareki
from safeguard_check.messages import Lang, t
from safeguard_check.model.baseline import Edition, Requirement
from safeguard_check.model.profile import Profile
from safeguard_check.model.rule import Rule

if TYPE_CHECKING:
    from safeguard_check.findings.model import SeverityCap

if TYPE_CHECKING:
    from rich.table import Table  # imported where a table is drawn: `check` never draws one

EXIT_INPUT = 2
JSON_FORMAT_VERSION = 1

FormatOption = Annotated[str, choice("--format", ("text", "json"), "出力形式 / output format")]

SEVERITY_STYLE = {
    "critical": "bold white on red",
    "high": "bold red",
    "medium": "yellow",
    "low": "cyan",
    "info": "dim",
}

baselines_app = typer.Typer(
    help="法令上の基準（法令等と要件）/ legal baselines (instruments and requirements).",
    no_args_is_help=True,
    add_completion=False,
)
rules_app = typer.Typer(
    help="実行される規則 / the executable rules.",
    no_args_is_help=True,
    add_completion=False,
)


@baselines_app.callback()
def _baselines() -> None:
    """法令上の基準（法令等と要件）/ legal baselines (instruments and requirements)."""


@rules_app.callback()
def _rules() -> None:
    """実行される規則 / the executable rules."""


def register(app: typer.Typer) -> None:
    """Add ``explain``, ``baselines`` and ``rules`` to ``app``."""
    app.command("explain")(explain)
    app.add_typer(baselines_app, name="baselines")
    app.add_typer(rules_app, name="rules")


# --------------------------------------------------------------------------- options and loading


def _both(key: str, **params: object) -> str:
    return f"{t(key, 'ja', **params)} / {t(key, 'en', **params)}"


def _lang(value: str) -> Lang:
    if value not in ("ja", "en"):
        Console(stderr=True).print(_both("cli.bad_lang"), markup=False)
        raise typer.Exit(EXIT_INPUT)
    return value  # type: ignore[return-value]


def _format(value: str) -> str:
    if value not in ("text", "json"):
        Console(stderr=True).print(_both("law.bad_format"), markup=False)
        raise typer.Exit(EXIT_INPUT)
    return value


def _catalog(baselines: Path | None, rules: Path | None, lang: Lang) -> Catalog:
    try:
        return load_catalog(baselines, rules)
    except InputError as exc:
        err = Console(stderr=True, highlight=False)
        for issue in exc.issues:
            err.print(render(issue, lang), markup=False)
        raise typer.Exit(EXIT_INPUT) from None


def _emit_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def _console(no_color: bool = False) -> Console:
    # rich already drops colours for NO_COLOR, but keeps bold/reverse; the convention asks for plain text.
    flat = plain(no_color)
    return Console(highlight=False, markup=False, emoji=False, color_system=None if flat else "auto", no_color=flat)


# --------------------------------------------------------------------------- data (shared by text and JSON)


def find_ids(catalog: Catalog, ref: str) -> tuple[Requirement | None, Rule | None]:
    """The requirement and/or rule called ``ref`` (case-insensitive)."""
    wanted = ref.strip().casefold()
    requirement = next((r for rid, r in catalog.requirements.items() if rid.casefold() == wanted), None)
    rule = next((r for r in catalog.rules if r.id.casefold() == wanted), None)
    return requirement, rule


def implementing_rules(catalog: Catalog, requirement_id: str) -> list[Rule]:
    """Rules implementing ``requirement_id``, in catalogue order."""
    return [r for r in catalog.rules if requirement_id in r.implements]


def _requirements_in_order(catalog: Catalog) -> list[Requirement]:
    order = {rid: i for i, rid in enumerate(catalog.requirements)}
    return sorted(catalog.requirements.values(), key=lambda r: (catalog.instrument_of[r.id], order[r.id]))


def requirement_data(catalog: Catalog, req: Requirement) -> dict[str, Any]:
    """Everything about a requirement, JSON-ready."""
    inst = catalog.instruments[catalog.instrument_of[req.id]]
    data = req.model_dump(mode="json")
    data["instrument"] = {
        "id": inst.id,
        "kind": inst.kind,
        "number": inst.number,
        "short": inst.short.model_dump(),
        "title": inst.title.model_dump(),
    }
    data["instrument"]["basis_kind"] = inst.basis
    data["basis_kind"] = catalog.basis_kind(req.id)
    data["editions"] = [edition_data(catalog, req, e) for e in req.all_editions()]
    data["implemented_by"] = [
        {"id": r.id, "title": r.title.model_dump(), "severity": r.severity} for r in implementing_rules(catalog, req.id)
    ]
    return {"type": "requirement", **data}


def edition_cap(catalog: Catalog, req: Requirement, edition: Edition) -> str | None:
    """The severity cap a finding resting on this edition alone would get (``None``: no weights table)."""
    if catalog.weights is None:
        return None
    return catalog.weights.cap(catalog.basis_kind(req.id), edition.checked_against.verification)


def edition_data(catalog: Catalog, req: Requirement, edition: Edition) -> dict[str, Any]:
    """One edition, JSON-ready: its period, text, what it was checked against, and its cap."""
    return {
        "from": edition.from_.isoformat() if edition.from_ else None,
        "until": edition.until.isoformat() if edition.until else None,
        "quote": edition.quote,
        "checked_against": edition.checked_against.model_dump(mode="json"),
        "cap": edition_cap(catalog, req, edition),
    }


def rule_cap(catalog: Catalog, rule: Rule, on: dt.date, profile: Profile | None) -> SeverityCap | None:
    """The cap ``rule`` gets on ``on`` under ``profile`` (``None`` when none of its requirements counts)."""
    from safeguard_check.engine.selection import law_in_force
    from safeguard_check.findings.build import severity_cap

    return severity_cap(rule, law_in_force(catalog, on, profile), catalog)


def rule_data(
    catalog: Catalog, rule: Rule, on: dt.date | None = None, profile: Profile | None = None
) -> dict[str, Any]:
    """Everything about a rule, JSON-ready, with the requirement citations and measure labels, and the
    severity cap it gets on ``on`` (default today) under ``profile``."""
    from safeguard_check.model.weights import lower

    on = on or dt.date.today()
    vocab = vocabulary()
    data = rule.model_dump(mode="json")
    data["required_measures"] = [
        {
            "code": code,
            "label": {"ja": vocab.label("measures", code, "ja"), "en": vocab.label("measures", code, "en")},
        }
        for code in (rule.require.codes if rule.require else [])
    ]
    data["requirements"] = [
        {
            "id": rid,
            "instrument": catalog.instrument_of[rid],
            "citation": catalog.requirements[rid].citation.label.model_dump(),
            "title": catalog.requirements[rid].title.model_dump(),
            "verification": catalog.requirements[rid].verification,
            "basis_kind": catalog.basis_kind(rid),
            "in_force": catalog.requirements[rid].in_force(on),
            "verification_on": catalog.requirements[rid].verification_on(on),
            "cap": (
                catalog.weights.cap(catalog.basis_kind(rid), catalog.requirements[rid].verification_on(on))
                if catalog.weights is not None
                else None
            ),
        }
        for rid in rule.implements
        if rid in catalog.requirements
    ]
    severity = profile.severity.get(rule.id, rule.severity) if profile else rule.severity
    cap = rule_cap(catalog, rule, on, profile)
    data["severity_cap"] = {
        "as_of": on.isoformat(),
        "profile": profile.id if profile else "standard",
        "cap": cap.model_dump(mode="json") if cap else None,
        "rule_severity": severity,
        "effective_severity": lower(severity, cap.severity) if cap else None,
    }
    return {"type": "rule", **data}


def instruments_data(catalog: Catalog) -> list[dict[str, Any]]:
    """Instruments sorted by id, with their requirement counts."""
    counts: dict[str, int] = {}
    for inst in catalog.instrument_of.values():
        counts[inst] = counts.get(inst, 0) + 1
    return [
        {
            "id": inst.id,
            "kind": inst.kind,
            "basis_kind": inst.basis,
            "number": inst.number,
            "short": inst.short.model_dump(),
            "title": inst.title.model_dump(),
            "requirements": counts.get(inst.id, 0),
        }
        for inst in sorted(catalog.instruments.values(), key=lambda i: i.id)
    ]


def requirements_data(catalog: Catalog) -> list[dict[str, Any]]:
    """Every requirement (instrument id, then file order) in brief."""
    return [
        {
            "id": req.id,
            "instrument": catalog.instrument_of[req.id],
            "title": req.title.model_dump(),
            "citation": req.citation.label.model_dump(),
            "verification": req.verification,
            "basis_kind": catalog.basis_kind(req.id),
            "editions": len(req.all_editions()),
            "machine_checkable": req.machine_checkable,
            "effective_from": req.effective_from.isoformat() if req.effective_from else None,
            "effective_until": req.effective_until.isoformat() if req.effective_until else None,
            "implemented_by": [r.id for r in implementing_rules(catalog, req.id)],
        }
        for req in _requirements_in_order(catalog)
    ]


def rules_data(catalog: Catalog) -> list[dict[str, Any]]:
    """Every rule in catalogue order, in brief."""
    return [
        {
            "id": rule.id,
            "title": rule.title.model_dump(),
            "severity": rule.severity,
            "subject": rule.subject,
            "implements": list(rule.implements),
            "require": rule.require.model_dump() if rule.require else None,
            "effective_from": rule.effective_from.isoformat() if rule.effective_from else None,
            "effective_until": rule.effective_until.isoformat() if rule.effective_until else None,
        }
        for rule in catalog.rules
    ]


# --------------------------------------------------------------------------- text rendering


def _date(value: dt.date | None, lang: Lang) -> str:
    if value is None:
        return t("law.no_limit", lang)
    if lang == "ja":
        try:
            return f"{to_wareki(value)} ({value.isoformat()})"
        except ValueError:
            return value.isoformat()
    return value.isoformat()


def _row(table: Table, *values: str | Text) -> None:
    # Plain strings would be read as rich markup: "[endpoint.removable_media_blocked]" would vanish.
    table.add_row(*(v if isinstance(v, Text) else Text(v) for v in values))


def _grid() -> Table:
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    return grid


def _verification(req: Requirement, lang: Lang) -> str:
    return t(f"verification.{req.verification}", lang)


def _basis(catalog: Catalog, requirement_id: str, lang: Lang) -> str:
    basis = catalog.basis_kind(requirement_id)
    return f"{t(f'basis.{basis}', lang)} ({basis})"


def _period(edition: Edition, lang: Lang) -> str:
    start = edition.from_.isoformat() if edition.from_ else t("law.edition_open_start", lang)
    end = edition.until.isoformat() if edition.until else t("law.edition_open_end", lang)
    return f"{start} – {end}"


def _edition_text(catalog: Catalog, req: Requirement, edition: Edition, lang: Lang) -> str:
    """``2016-01-01 – 2022-04-01: S8（2025-05-26 版）原文で確認・上限 重大`` and the edition's text."""
    checked = edition.checked_against
    source = checked.source + (t("law.edition_of", lang, edition=checked.edition) if checked.edition else "")
    cap = edition_cap(catalog, req, edition)
    line = t(
        "law.edition_line",
        lang,
        period=_period(edition, lang),
        source=source,
        verification=t(f"verification.{checked.verification}", lang),
        cap=t(f"severity.{cap}", lang) if cap else "-",
    )
    if edition.quote is not None and len(req.all_editions()) > 1:
        line += f"\n  「{edition.quote}」"
    elif edition.quote is None:
        line += "\n  " + t("law.edition_no_text", lang)
    return line


def _cap_text(catalog: Catalog, rule: Rule, on: dt.date, profile: Profile | None, lang: Lang) -> str:
    from safeguard_check.model.weights import lower

    cap = rule_cap(catalog, rule, on, profile)
    profile_id = profile.id if profile else "standard"
    if cap is None:
        return t("law.cap_none", lang, date=on.isoformat(), profile=profile_id)
    severity = profile.severity.get(rule.id, rule.severity) if profile else rule.severity
    return t(
        "law.cap_line",
        lang,
        date=on.isoformat(),
        profile=profile_id,
        cap=t(f"severity.{cap.severity}", lang),
        requirement=cap.requirement,
        basis=t(f"basis.{cap.basis_kind}", lang),
        verification=t(f"verification.{cap.verification}", lang),
        effective=t(f"severity.{lower(severity, cap.severity)}", lang),
    )


def _when_value(key: str, value: str, lang: Lang) -> str:
    vocab = vocabulary()
    if key.endswith("role") and value != "none":
        label = t(f"cli.role.{value}", lang)
    elif key.endswith("legal_status") and value != "none":
        label = t(f"cli.legal_status.{value}", lang)
    elif key in ("task", "owner_task"):
        label = vocab.label("tasks", value, lang)
    elif key == "system":
        label = vocab.label("systems", value, lang)
    elif key in ("method", "method_not"):
        label = vocab.label("transfer_methods", value, lang)
    elif key == "report_type":
        label = t(f"cli.report_type.{value}", lang)
    else:
        return value
    return f"{label} ({value})" if label != value else value


def _when_text(rule: Rule, lang: Lang) -> str:
    if not rule.when:
        return t("law.when_always", lang)
    lines = []
    for key, wanted in rule.when.items():
        if isinstance(wanted, bool):
            lines.append(f"{key}: {t('cli.yes' if wanted else 'cli.no', lang)}")
        else:
            sep = "、" if lang == "ja" else ", "
            lines.append(f"{key}: " + sep.join(_when_value(key, v, lang) for v in wanted))
    return "\n".join(lines)


def requirement_view(catalog: Catalog, req: Requirement, lang: Lang) -> Group:
    """A requirement with its citation, text, window, verification and the rules implementing it."""
    inst = catalog.instruments[catalog.instrument_of[req.id]]
    head = Text()
    head.append(f" {t('law.requirement', lang)} ", style="reverse")
    head.append(f" {req.id} ", style="bold")
    head.append(req.title.get(lang))
    grid = _grid()
    number = f" ({inst.number})" if inst.number else ""
    _row(grid, t("law.field.instrument", lang), f"{inst.short.get(lang)}{number}")
    _row(grid, t("law.field.citation", lang), req.citation.label.get(lang))
    if req.quote:
        _row(grid, t("law.field.quote", lang), req.quote)
    _row(grid, t("law.field.gist", lang), req.gist.get(lang))
    _row(grid, t("law.field.basis_kind", lang), _basis(catalog, req.id, lang))
    _row(grid, t("law.field.effective_from", lang), _date(req.effective_from, lang))
    _row(grid, t("law.field.effective_until", lang), _date(req.effective_until, lang))
    _row(
        grid, t("law.field.editions", lang), "\n".join(_edition_text(catalog, req, e, lang) for e in req.all_editions())
    )
    _row(grid, t("law.field.verification", lang), _verification(req, lang))
    _row(grid, t("law.field.verification_note", lang), req.verification_note)
    if req.machine_checkable:
        _row(grid, t("law.field.machine_checkable", lang), t("cli.yes", lang))
    else:
        reason = req.not_checkable_reason.get(lang) if req.not_checkable_reason else "-"
        _row(grid, t("law.field.machine_checkable", lang), f"{t('cli.no', lang)} — {reason}")
    rules = implementing_rules(catalog, req.id)
    _row(
        grid,
        t("law.field.implemented_by", lang),
        "\n".join(f"{r.id} — {r.title.get(lang)}" for r in rules) if rules else t("law.no_rules", lang),
    )
    return Group(head, Padding(grid, (0, 0, 1, 2)))


def rule_view(
    catalog: Catalog, rule: Rule, lang: Lang, on: dt.date | None = None, profile: Profile | None = None
) -> Group:
    """A rule: subject, condition, required measures, severity and its cap on ``on`` (default today)
    under ``profile``, wording, and the requirements it implements with their basis kinds."""
    on = on or dt.date.today()
    vocab = vocabulary()
    head = Text()
    head.append(f" {t('law.rule', lang)} ", style="reverse")
    head.append(f" {rule.id} ", style="bold")
    head.append(rule.title.get(lang))
    grid = _grid()
    _row(grid, t("law.field.subject", lang), f"{t(f'subject.{rule.subject}', lang)} ({rule.subject})")
    _row(grid, t("law.field.when", lang), _when_text(rule, lang))
    if rule.require is None:
        _row(grid, t("law.field.require", lang), t("law.require.none", lang))
    else:
        mode = "all_of" if rule.require.all_of else "any_of"
        codes = "\n".join(f"{vocab.label('measures', c, lang)} [{c}]" for c in rule.require.codes)
        _row(grid, t("law.field.require", lang), f"{t(f'law.require.{mode}', lang)}\n{codes}")
    _row(
        grid,
        t("law.field.severity", lang),
        Text(t(f"severity.{rule.severity}", lang), style=SEVERITY_STYLE[rule.severity]),
    )
    _row(grid, t("law.field.cap", lang), _cap_text(catalog, rule, on, profile, lang))
    _row(grid, t("law.field.message", lang), rule.message.get(lang))
    _row(grid, t("report.remediation", lang), rule.remediation.get(lang))
    if rule.rationale is not None:
        _row(grid, t("law.field.rationale", lang), rule.rationale.get(lang))
    if rule.effective_from is not None or rule.effective_until is not None:
        _row(grid, t("law.field.effective_from", lang), _date(rule.effective_from, lang))
        _row(grid, t("law.field.effective_until", lang), _date(rule.effective_until, lang))
    cited = []
    for rid in rule.implements:
        req = catalog.requirements.get(rid)
        if req is None:
            continue
        verification = req.verification_on(on) if req.in_force(on) else req.verification
        note = "" if verification == "official_text" else f" ({t(f'verification.{verification}', lang)})"
        cap = catalog.weights.cap(catalog.basis_kind(rid), verification) if catalog.weights else None
        cap_note = f" → {t(f'severity.{cap}', lang)}" if cap else ""
        cited.append(f"{req.citation.label.get(lang)} [{rid}] {_basis(catalog, rid, lang)}{note}{cap_note}")
    _row(grid, t("law.field.implements", lang), "\n".join(cited))
    return Group(head, Padding(grid, (0, 0, 1, 2)))


def instruments_table(catalog: Catalog, lang: Lang) -> Table:
    """Instruments with their kind, number and requirement count."""
    from rich.table import Table

    table = Table(title=t("law.baselines_title", lang), title_justify="left")
    table.add_column("ID", no_wrap=True)
    table.add_column(t("law.col.instrument", lang), overflow="fold")
    table.add_column(t("law.col.number", lang), overflow="fold")
    table.add_column(t("law.col.kind", lang), no_wrap=True)
    table.add_column(t("law.col.requirements", lang), justify="right", overflow="fold")
    for row in instruments_data(catalog):
        _row(
            table,
            row["id"],
            row["short"][lang],
            row["number"] or "-",
            t(f"law.kind.{row['kind']}", lang),
            str(row["requirements"]),
        )
    return table


def requirements_table(catalog: Catalog, lang: Lang) -> Table:
    """Every requirement with its citation, verification level and whether a rule can check it."""
    from rich.table import Table

    table = Table(title=t("law.requirements_title", lang, n=len(catalog.requirements)), title_justify="left")
    table.add_column("ID", no_wrap=True)
    table.add_column(t("law.col.citation", lang), overflow="fold")
    table.add_column(t("law.col.title", lang), overflow="fold")
    table.add_column(t("law.col.verification", lang), overflow="fold")
    table.add_column(t("law.col.checkable", lang), no_wrap=True)
    for req in _requirements_in_order(catalog):
        _row(
            table,
            req.id,
            req.citation.label.get(lang),
            req.title.get(lang),
            _verification(req, lang),
            t("cli.yes" if req.machine_checkable else "cli.no", lang),
        )
    return table


def rules_table(catalog: Catalog, lang: Lang) -> Table:
    """Every rule with severity, subject kind, title and the requirements it implements."""
    from rich.table import Table

    table = Table(title=t("law.rules_title", lang, n=len(catalog.rules)), title_justify="left")
    table.add_column("ID", no_wrap=True)
    table.add_column(t("law.col.severity", lang), no_wrap=True)
    table.add_column(t("law.col.subject", lang), no_wrap=True)
    table.add_column(t("law.col.title", lang), overflow="fold")
    table.add_column(t("law.col.implements", lang), overflow="fold")
    for rule in catalog.rules:
        _row(
            table,
            rule.id,
            Text(t(f"severity.{rule.severity}", lang), style=SEVERITY_STYLE[rule.severity]),
            t(f"subject.{rule.subject}", lang),
            rule.title.get(lang),
            "\n".join(rule.implements),
        )
    return table


# --------------------------------------------------------------------------- commands


def explain(
    ref: Annotated[str, typer.Argument(metavar="ID", help="規則 id または要件 id / a rule or requirement id")],
    lang: LangOption = "ja",
    fmt: FormatOption = "text",
    baselines: BaselinesOption = None,
    rules: RulesOption = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="重大度の上限を判断する日（既定: 今日）/ date the severity cap is shown for (default: today)",
        ),
    ] = None,
    profile: ProfileOption = "standard",
    no_color: NoColorOption = False,
) -> None:
    """規則・要件の内容と根拠を表示 / explain a rule or a requirement and its legal basis.

    根拠の種類・版・重大度の上限も表示します / shows basis kinds, editions and the severity cap.
    大文字・小文字は区別しません / case-insensitive. 不明な id は終了コード 2 / unknown id: exit 2.
    """
    from safeguard_check.load.profile import load_profile
    from safeguard_check.load.wareki import DateParseError, parse_date

    language = _lang(lang)
    out_format = _format(fmt)
    catalog = _catalog(baselines, rules, language)
    on = dt.date.today()
    if as_of is not None:
        try:
            on = parse_date(as_of)
        except DateParseError:
            Console(stderr=True).print(_both("cli.bad_as_of", value=as_of), markup=False)
            raise typer.Exit(EXIT_INPUT) from None
    try:
        chosen = load_profile(profile or "standard", catalog, rules)
    except InputError as exc:
        err = Console(stderr=True, highlight=False)
        for issue in exc.issues:
            # An unknown profile name is a wrong option value: both languages, as for --format.
            for lang_ in ("ja", "en") if issue.key == "profile.unknown" else (language,):
                err.print(render(issue, lang_), markup=False)
        raise typer.Exit(EXIT_INPUT) from None
    requirement, rule = find_ids(catalog, ref)
    if requirement is None and rule is None:
        known = (*catalog.requirements, *(r.id for r in catalog.rules))
        err = Console(stderr=True, highlight=False)
        err.print(f"{t('error.prefix', language)}: {t('law.unknown_id', language, ref=ref)}", markup=False)
        candidates = suggest(ref.strip().upper(), known)
        if candidates:
            err.print(f"    {t('error.did_you_mean', language)}: {', '.join(candidates)}", markup=False)
        raise typer.Exit(EXIT_INPUT)
    if out_format == "json":
        items = []
        if requirement is not None:
            items.append(requirement_data(catalog, requirement))
        if rule is not None:
            items.append(rule_data(catalog, rule, on, chosen))
        _emit_json({"format_version": JSON_FORMAT_VERSION, "items": items})
        return
    console = _console(no_color)
    if requirement is not None:
        console.print(requirement_view(catalog, requirement, language))
    if rule is not None:
        console.print(rule_view(catalog, rule, language, on, chosen))


@baselines_app.command("list")
def list_baselines(
    all_requirements: Annotated[
        bool, typer.Option("--all", help="すべての要件を表示 / list every requirement")
    ] = False,
    lang: LangOption = "ja",
    fmt: FormatOption = "text",
    baselines: BaselinesOption = None,
    rules: RulesOption = None,
    no_color: NoColorOption = False,
) -> None:
    """法令等と要件数（--all ですべての要件）/ instruments and requirement counts (--all: every requirement)."""
    language = _lang(lang)
    out_format = _format(fmt)
    catalog = _catalog(baselines, rules, language)
    if out_format == "json":
        data: dict[str, Any] = {
            "format_version": JSON_FORMAT_VERSION,
            "instruments": instruments_data(catalog),
        }
        if all_requirements:
            data["requirements"] = requirements_data(catalog)
        _emit_json(data)
        return
    console = _console(no_color)
    console.print(requirements_table(catalog, language) if all_requirements else instruments_table(catalog, language))


@rules_app.command("list")
def list_rules(
    lang: LangOption = "ja",
    fmt: FormatOption = "text",
    baselines: BaselinesOption = None,
    rules: RulesOption = None,
    no_color: NoColorOption = False,
) -> None:
    """規則の一覧 / list the rules."""
    language = _lang(lang)
    out_format = _format(fmt)
    catalog = _catalog(baselines, rules, language)
    if out_format == "json":
        _emit_json({"format_version": JSON_FORMAT_VERSION, "rules": rules_data(catalog)})
        return
    _console(no_color).print(rules_table(catalog, language))
