"""``safeguard-check diff OLD NEW``: what changed in a plan since its approved version, and what that does.

Parts are matched by identity (ids; a measure without an id by its source), never by line, so reordering
or commenting a declaration changes nothing. Both plans are checked — each against the law in force on
its own effective date, or both on ``--as-of`` — and the gaps introduced, resolved and changed are
reported (matched by fingerprint).

Output: ``--format terminal`` (rich; changes underlined, removals struck, ``+``/``−``/``~`` markers),
``json`` (deterministic, see :mod:`safeguard_check.diff.json_format`) or ``markdown``.
Exit codes: 0 no gap at or above ``--fail-on`` introduced; 1 such a gap introduced; 2 usage or input
error (each problem located, in the chosen language, on stderr).

Register on the main app with :func:`register`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from safeguard_check.commands.options import (
    FAIL_ON,
    BaselinesOption,
    EngineOption,
    LangOption,
    NoColorOption,
    RulesOption,
    choice,
    plain,
)
from safeguard_check.errors import InputError, render
from safeguard_check.messages import Lang, t

EXIT_OK, EXIT_FAIL, EXIT_INPUT = 0, 1, 2
FORMATS = ("terminal", "json", "markdown")


def register(app: typer.Typer) -> None:
    """Add ``diff`` to ``app``."""
    app.command("diff")(diff)


def _both(key: str, **params: object) -> str:
    return f"{t(key, 'ja', **params)} / {t(key, 'en', **params)}"


def _usage(key: str, **params: object) -> typer.Exit:
    sys.stderr.write(_both(key, **params) + "\n")
    return typer.Exit(EXIT_INPUT)


def _report(exc: InputError, lang: Lang) -> None:
    # Plain writes, not a rich Console: a CI log must keep `file:line:col: error:` on one line.
    for issue in exc.issues:
        sys.stderr.write(render(issue, lang) + "\n")


def diff(
    old: Annotated[
        Path,
        typer.Argument(
            metavar="OLD", help="変更前（了承済み）の宣言または審議会資料 / the approved declaration or document"
        ),
    ],
    new: Annotated[
        Path, typer.Argument(metavar="NEW", help="変更後の宣言または審議会資料 / the changed declaration or document")
    ],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="両方にこの日に施行中の法令を適用（既定: それぞれの変更日） / apply the law in force on DATE to both",
        ),
    ] = None,
    fail_on: Annotated[
        str,
        choice(
            "--fail-on",
            FAIL_ON,
            "この重大度以上の指摘が新たに生じたら終了コード 1 / exit 1 if a gap at or above this is introduced",
        ),
    ] = "high",
    fmt: Annotated[str, choice("--format", FORMATS, "出力形式 / output format", "-f")] = "terminal",
    lang: LangOption = "ja",
    engine: EngineOption = "auto",
    no_color: NoColorOption = False,
    baselines: BaselinesOption = None,
    rules: RulesOption = None,
) -> None:
    """計画の変更点と、それによる指摘の増減を表示 / show what changed in a plan and the gaps it introduces.

    終了コード / exit codes: 0 = --fail-on 以上の指摘が新たに生じていない / no gap at or above --fail-on
    introduced; 1 = 生じた / introduced; 2 = 使い方・入力の誤り / usage or input error.
    """
    from safeguard_check.batch import load_plan
    from safeguard_check.diff.compare import diff_plans
    from safeguard_check.diff.json_format import render_json
    from safeguard_check.diff.markdown import render_markdown
    from safeguard_check.diff.terminal import render_diff
    from safeguard_check.engine import resolve
    from safeguard_check.engine.durable import EngineUnavailable
    from safeguard_check.load.catalog import load_catalog
    from safeguard_check.load.declaration import LoadedPlan
    from safeguard_check.load.wareki import DateParseError, parse_date
    from safeguard_check.model.rule import SEVERITIES

    if lang not in ("ja", "en"):
        raise _usage("cli.bad_lang")
    language: Lang = "en" if lang == "en" else "ja"
    if fail_on not in (*SEVERITIES, "never"):
        raise _usage("cli.bad_severity")
    if fmt not in FORMATS:
        raise _usage("diff.bad_format")
    if engine not in ("auto", "durable", "reference"):
        raise _usage("cli.bad_engine")
    chosen = resolve("reference" if engine == "reference" else "durable" if engine == "durable" else "auto")
    date = None
    if as_of is not None:
        try:
            date = parse_date(as_of)
        except DateParseError:
            raise _usage("cli.bad_as_of", value=as_of) from None
    try:
        catalog = load_catalog(baselines, rules)
    except InputError as exc:
        _report(exc, language)
        raise typer.Exit(EXIT_INPUT) from None
    plans: list[LoadedPlan] = []
    issues = []
    for path in (old, new):
        try:
            plans.append(load_plan(path))  # what `check` accepts: declarations and council documents
        except InputError as exc:
            issues.extend(exc.issues)
    if issues:
        _report(InputError(issues), language)
        raise typer.Exit(EXIT_INPUT)
    if chosen.fell_back:
        sys.stderr.write(t("engine.fallback", language) + "\n")
    try:
        result = diff_plans(
            plans[0],
            plans[1],
            catalog,
            as_of=date,
            engine=chosen.name,
            fail_on=fail_on,
        )
    except EngineUnavailable as exc:
        raise _usage("cli.engine_unavailable", detail=str(exc)) from None
    if fmt == "json":
        sys.stdout.write(render_json(result))
    elif fmt == "markdown":
        sys.stdout.write(render_markdown(result, language))
    else:
        # markup/emoji off: plan text such as 「[注]」 or ":x:" must print as written, never as styling.
        flat = plain(no_color)
        console = Console(
            highlight=False, markup=False, emoji=False, color_system=None if flat else "auto", no_color=flat
        )
        render_diff(result, console, language)
    if result.fails():
        raise typer.Exit(EXIT_FAIL)
