"""Command line: ``safeguard-check check|schema|init``.

Exit codes: 0 clean, 1 findings at or above ``--fail-on``, 2 usage or input error, 3 internal error
(a bug: reported without a traceback unless ``--debug``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.text import Text

from safeguard_check import __version__
from safeguard_check.commands.options import (
    BaselinesOption,
    DebugOption,
    EngineOption,
    FailOnOption,
    LangOption,
    NoColorOption,
    ProfileOption,
    RulesOption,
    choice,
    plain,
)
from safeguard_check.errors import InputError, InputIssue, render
from safeguard_check.report.output import STDOUT, STDOUT_FORMATS

if TYPE_CHECKING:
    from safeguard_check.batch import Outcome as OutcomeT
    from safeguard_check.findings.model import Report as ReportT
    from safeguard_check.load.declaration import LoadedPlan as LoadedPlanT
from safeguard_check.messages import Lang, t

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

app = typer.Typer(
    name="safeguard-check",
    help="個人番号カード関連事務の委任・委託計画を法令上の基準と照合します。 / "
    "Checks My Number card delegation plans against legal baselines.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # typer's --install-completion / --show-completion (bash, zsh, fish, PowerShell); choices complete.
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class _Context:
    debug = False
    owns_process = False  # set by main(): the process ends with this command (not a test or library caller)


def _lang(value: str) -> Lang:
    if value not in ("ja", "en"):
        err = Console(stderr=True)
        err.print(f"{t('cli.bad_lang', 'ja')} / {t('cli.bad_lang', 'en')}", markup=False)
        raise typer.Exit(EXIT_INPUT)
    return value  # type: ignore[return-value]


def _report_input_error(exc: InputError, lang: Lang) -> None:
    # Plain writes, not a rich Console: a CI log must keep `file:line:col: error:` on one line.
    for issue in exc.issues:
        if issue.key in BILINGUAL_ISSUES or issue.file.startswith("--"):
            # A wrong option value, like the other usage errors, is said in both languages.
            sys.stderr.write(render(issue, "ja") + "\n" + render(issue, "en") + "\n")
        else:
            sys.stderr.write(render(issue, lang) + "\n")


BILINGUAL_ISSUES = frozenset({"profile.unknown"})
"""Issues about an option's value rather than a file's content: reported in Japanese and English (so
is every issue located at an option, ``--select: …``)."""


def _version(value: bool) -> None:
    if value:
        typer.echo(f"safeguard-check {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="バージョン / version")
    ] = False,
) -> None:
    """個人番号カード関連事務の委任・委託計画のチェック / My Number card delegation plan checks."""


@app.command()
def check(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="宣言ファイル（.yaml/.yml/.json）、審議会資料（.txt/.pdf）、ディレクトリ、または標準入力の - / "
            "declarations, council documents, directories, or - for standard input"
        ),
    ],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="この日に施行中の法令を適用（既定: 計画の変更日） / apply the law in force on DATE"
        ),
    ] = None,
    fail_on: FailOnOption = None,
    fmt: Annotated[
        str,
        choice("--format", STDOUT_FORMATS, "標準出力の形式 / stdout format", "-f"),
    ] = "terminal",
    outputs: Annotated[
        list[str] | None,
        typer.Option(
            "--output",
            "-o",
            help="レポートをファイルへ（複数可。- は標準出力）/ write a report file, repeatable: "
            "FORMAT=FILE, FORMAT=- (stdout) or FILE.sarif|.json|.xml|.md|.html",
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            help="実行する規則（ID または接頭辞、複数可。設定ファイルの select を置き換え）/ rules to run: ids or "
            "prefixes, repeatable (replaces the config's select)",
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            help="除外する規則（ID または接頭辞、複数可）/ rules to leave out: ids or prefixes, repeatable",
        ),
    ] = None,
    severity: Annotated[
        list[str] | None,
        typer.Option(
            "--severity",
            metavar="RULE=LEVEL",
            help="規則の重大度を変更（ID または接頭辞、複数可。法令上の上限は超えない）/ override a rule's severity, "
            "repeatable (capped by its legal basis)",
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="設定ファイル（既定: 計画から上位へ .safeguard-check.toml または pyproject.toml を探す）/ "
            "configuration file (default: found upward from the plans)",
        ),
    ] = None,
    no_config: Annotated[
        bool, typer.Option("--no-config", help="設定ファイルを読まない / ignore configuration files")
    ] = False,
    waivers: Annotated[
        Path | None, typer.Option("--waivers", help="リスク受容（waiver）ファイル / accepted-risk waivers file")
    ] = None,
    no_waivers: Annotated[
        bool, typer.Option("--no-waivers", help="waiver をすべて無視（監査人の視点） / ignore all waivers")
    ] = False,
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="このベースラインにない指摘だけを報告 / report only new findings")
    ] = None,
    write_baseline_to: Annotated[
        Path | None, typer.Option("--write-baseline", help="現在の指摘をベースラインとして保存 / record findings")
    ] = None,
    engine: EngineOption = "auto",
    baselines: BaselinesOption = None,
    rules: RulesOption = None,
    profile: ProfileOption = None,
    summary: Annotated[
        bool, typer.Option("--summary/--no-summary", help="計画の概要を表示 / print the plan summary")
    ] = True,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="並列数（既定: CPU 数。計画が少なく並列化が得にならないときは 1）/ parallel workers "
            "(default: CPUs; 1 when there are too few plans for workers to pay off)",
        ),
    ] = None,
    details: Annotated[
        bool | None,
        typer.Option(
            "--details/--no-details",
            help="計画ごとの詳細（既定: 1 件のときだけ）/ full report per plan (default: only for a single plan)",
        ),
    ] = None,
    max_bytes: Annotated[
        int | None,
        typer.Option(
            "--max-bytes",
            min=1,
            envvar="SAFEGUARD_CHECK_MAX_BYTES",
            help="入力ファイルの上限サイズ（既定 5 MiB、審議会資料は 50 MiB。同梱のルール・基準は対象外）"
            "/ size limit for every input file (default 5 MiB, council documents 50 MiB; "
            "the bundled rules and baselines are exempt)",
        ),
    ] = None,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet", "-q", help="端末向けの表示を省略（エラーと -f/-o の出力のみ）/ no terminal report: errors only"
        ),
    ] = False,
    no_color: NoColorOption = False,
    today: Annotated[str | None, typer.Option("--today", hidden=True, help="waiver の期限判定日（試験用）")] = None,
    lang: LangOption = "ja",
    debug: DebugOption = False,
) -> None:
    """宣言を検証し、不足している保護措置を法令の根拠とともに表示 / check declarations for missing safeguards.

    終了コード / exit codes: 0 = --fail-on 以上の指摘なし / nothing at or above --fail-on;
    1 = 指摘あり / findings at or above --fail-on; 2 = 使い方・入力・設定・waiver・基準ファイルの誤り、計画が
    見つからない、出力先が閉じられた / usage, input, config, waiver or catalogue error, no plans found, output
    closed; 3 = 内部エラー / internal error.
    """
    from safeguard_check import api
    from safeguard_check.baseline_file import write_baseline
    from safeguard_check.engine.durable import EngineUnavailable
    from safeguard_check.report.format_names import DETAILED
    from safeguard_check.report.output import check_targets, parse_output, write_output

    _Context.debug = debug
    language = _lang(lang)

    def usage(key: str, **params: object) -> typer.Exit:
        sys.stderr.write(f"{t(key, 'ja', **params)} / {t(key, 'en', **params)}\n")
        return typer.Exit(EXIT_INPUT)

    given: dict[str, object] = {
        "as_of": _date_option("--as-of", as_of),
        "today": _date_option("--today", today),
        "engine": engine,
        "use_waivers": not no_waivers,
        "jobs": jobs,
    }
    named = {
        "fail_on": fail_on,
        "profile": profile,
        "select": tuple(select) if select else None,
        "ignore": tuple(ignore) if ignore else None,
        "severity": _severity_option(severity),
        "waivers": waivers,
        "baseline": baseline,
        "baselines": baselines,
        "rules": rules,
    }
    given.update({key: value for key, value in named.items() if value is not None})
    if max_bytes is not None:
        # The loaders (here and in worker processes, which inherit the environment) read the limit
        # from the environment, so one setting covers every file the user gives: declarations, documents,
        # waivers, the --baseline file, custom rules and baselines, profiles.
        os.environ["SAFEGUARD_CHECK_MAX_BYTES"] = str(max_bytes)
    try:
        specs = [parse_output(spec) for spec in outputs or []]
        options = api.options_with_config(paths, given, config_file=config, use_config=not no_config)
        run = api.Check(options)
        # Before any work: an output that is an input, or two outputs in one file, would destroy data.
        targets = [(f"-o {spec.fmt}={spec.path}", spec.path) for spec in specs]
        if fmt != "terminal" and any(spec.to_stdout for spec in specs):
            targets.insert(0, (f"--format {fmt}", Path("-")))
        if write_baseline_to is not None:
            targets.append(("--write-baseline", write_baseline_to))
        check_targets(targets, run.inputs())
        run.load()
    except InputError as exc:
        _report_input_error(exc, language)
        raise typer.Exit(EXIT_INPUT) from None

    # A machine format on stdout must stay parseable: people then read the terminal report on stderr.
    # markup/emoji off: plan text such as 「[注]」 or ":x:" must print as written, never as styling.
    to_stdout = [spec for spec in specs if spec.to_stdout]
    human = Console(
        highlight=False,
        markup=False,
        emoji=False,
        stderr=fmt != "terminal" or bool(to_stdout),
        quiet=quiet,
        no_color=plain(no_color),
        color_system=None if plain(no_color) else "auto",
    )
    if run.engine_fell_back and not quiet:  # once per run; --quiet leaves errors only
        sys.stderr.write(t("engine.fallback", language) + "\n")
    for path in run.skipped:
        human.print(t("cli.skipped", language, path=str(path)), style="dim")
    files = run.files
    show_details = details if details is not None else len(files) <= 1
    # Coverage and examined pairs cost more than the findings; computed only when an output shows them.
    detail = (fmt == "terminal" and show_details) or fmt in DETAILED or any(spec.fmt in DETAILED for spec in specs)
    outcomes = []
    with _progress(human, len(files), language) as advance:
        try:
            for outcome in run.outcomes(detail=detail, progress=advance, settle=_Context.owns_process, debug=debug):
                outcomes.append(outcome)
                _show_outcome(outcome, human, language, details=fmt == "terminal" and show_details,
                              summary=summary, single=len(files) == 1)  # fmt: skip
        except EngineUnavailable as exc:
            raise usage("cli.engine_unavailable", detail=str(exc)) from None
    result = run.finish(outcomes)
    report = result.report
    if len(files) > 1:
        from safeguard_check.report.terminal import batch_table

        human.print(batch_table(list(report.results), language))
    if report.errors:  # the same files are in every -f/-o report (report/failed.py)
        human.print(t("cli.failed_count", language, n=len({e.file for e in report.errors})), style="bold red")
    try:
        for spec in specs:
            if spec.fmt == "sarif-dir":  # one SARIF log per plan (report/sarif_dir.py)
                from safeguard_check.report.sarif_dir import write_sarif_dir

                write_sarif_dir(spec.path, report, language)
                continue
            write_output(Path(STDOUT) if spec.to_stdout else spec.path, _pieces(spec.fmt, report, language))
        if write_baseline_to is not None:
            write_baseline(write_baseline_to, list(report.results))
    except InputError as exc:
        _report_input_error(exc, language)
        raise typer.Exit(EXIT_INPUT) from None
    if fmt != "terminal":
        sys.stdout.writelines(_pieces(fmt, report, language))
    if result.exit_code == EXIT_INTERNAL:  # a bug met on some plan; the others are reported above
        sys.stderr.write(f"{t('error.hint_debug', 'ja')} {t('error.hint_debug', 'en')}\n")
    if result.exit_code != EXIT_OK:
        raise typer.Exit(result.exit_code)


def _show_outcome(
    outcome: OutcomeT, human: Console, language: Lang, *, details: bool, summary: bool, single: bool
) -> None:
    """Print one plan as it is checked: its errors, or its report (full, or one line of counts)."""
    from safeguard_check.report.summary import print_summary
    from safeguard_check.report.terminal import render_result, severity_counts

    if outcome.result is None:
        _report_input_error(InputError(outcome.issues), language)
        return
    if details:
        if summary:
            print_summary(load_plan_for_summary(outcome.path), human, language)
        render_result(outcome.result, human, language)
    elif single:
        human.print(Text(outcome.result.file, style="bold"), severity_counts(outcome.result.counts(), language))


def _date_option(option: str, value: str | None) -> dt.date | None:
    """A date option (ISO or 和暦); a usage error in both languages when it cannot be read."""
    from safeguard_check.load.wareki import DateParseError, parse_date

    if value is None:
        return None
    try:
        return parse_date(value)
    except DateParseError:
        sys.stderr.write(f"{t('cli.bad_as_of', 'ja', value=value)} / {t('cli.bad_as_of', 'en', value=value)}\n")
        raise typer.Exit(EXIT_INPUT) from None


def _severity_option(values: list[str] | None) -> dict[str, str] | None:
    """``--severity RULE=LEVEL`` entries as a mapping; a usage error for a malformed one."""
    from safeguard_check.model.rule import SEVERITIES

    if not values:
        return None
    out: dict[str, str] = {}
    for value in values:
        rule, _, level = value.partition("=")
        if not rule.strip() or level.strip() not in SEVERITIES:
            sys.stderr.write(
                f"{t('selection.bad_severity', 'ja', value=value)} / {t('selection.bad_severity', 'en', value=value)}\n"
            )
            raise typer.Exit(EXIT_INPUT)
        out[rule.strip()] = level.strip()
    return out


@app.command()
def ingest(
    path: Annotated[Path, typer.Argument(help="審議会資料（.txt / .pdf）/ council document (text or PDF)")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="草案 YAML の書き出し先（既定: 標準出力）/ write the draft here"),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="既存ファイルを上書き / overwrite an existing file")] = False,
    no_color: NoColorOption = False,
    lang: LangOption = "ja",
    debug: DebugOption = False,
) -> None:
    """審議会資料から宣言の草案を作成（人が確認するためのもの）/ read a council document into a draft declaration.

    対策文は原文と出典（別紙・区分・番号）を保ったまま対策コードに対応付けます。対応するコードがない文も
    `codes: []` として残し、一覧を表示します。/ Every sentence is kept with its source; sentences that map to no
    code stay in the draft (codes: []) and are listed.
    """
    from safeguard_check.ingest.api import ingest_path
    from safeguard_check.report.output import check_targets, is_stdout, write_output

    _Context.debug = debug
    language = _lang(lang)
    flat = plain(no_color)
    err = Console(
        stderr=True, highlight=False, markup=False, emoji=False, no_color=flat, color_system=None if flat else "auto"
    )
    try:
        result = ingest_path(path)
        if output is not None and is_stdout(output):
            output = None  # `-o -`: standard output, as without -o
        if output is not None:
            # Through symlinks and hard links: --force must never overwrite the document being read.
            check_targets([(f"-o {output}", output)], [path])
        if output is not None and output.exists() and not force:
            raise InputError([InputIssue(str(output), None, None, "cli.init.exists", {"path": str(output)})])
        text = result.to_yaml()
        if output is not None:
            write_output(output, text)
    except InputError as exc:
        _report_input_error(exc, language)
        raise typer.Exit(EXIT_INPUT) from None
    if output is None:
        sys.stdout.write(text)
    decl = result.declaration
    err.print(
        t(
            "cli.ingest.summary",
            language,
            path=str(path),
            fmt=result.input_format,
            parties=len(decl.parties),
            measures=len(decl.measures),
            transfers=len(decl.transfers),
            terminals=len(decl.terminals),
            unmapped=len(result.unmapped),
        )
    )
    for item in result.unmapped:
        err.print(f"  {t('cli.ingest.unmapped', language)} {item.where}: {item.text}", style="yellow")
    for warning in result.warnings:
        err.print(f"  {warning}", style="dim")
    if output is not None:
        err.print(t("cli.ingest.written", language, path=str(output)))


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="書き出し先 / write to file")] = None,
) -> None:
    """宣言の JSON Schema を出力（エディタ補完用） / print the declaration JSON Schema."""
    from safeguard_check.model.declaration import Declaration

    text = json.dumps(Declaration.model_json_schema(by_alias=True), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        _write_new(output, text)


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="作成するファイル / file to create")] = Path("declaration.yaml"),
    lang: LangOption = "ja",
) -> None:
    """コメント付きの宣言テンプレートを作成 / write a commented template declaration."""
    language = _lang(lang)
    text = (Path(__file__).parent / "data" / "template.yaml").read_text(encoding="utf-8")
    if path.exists():
        Console(stderr=True).print(t("cli.init.exists", language, path=str(path)), markup=False)
        raise typer.Exit(EXIT_INPUT)
    _write_new(path, text)
    Console(stderr=True).print(t("cli.init.written", language, path=str(path)), markup=False)


def load_plan_for_summary(path: str) -> LoadedPlanT:
    """Reload a plan for its summary (cheap; results carry no model, so workers stay light)."""
    from safeguard_check.batch import load_plan

    return load_plan(Path(path))


@contextmanager
def _progress(console: Console, total: int, lang: Lang) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on a terminal for several plans; nothing when piped or for one plan."""
    if total <= 1 or not console.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn(t("cli.progress", lang)),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("check", total=total)
        yield lambda n: bar.advance(task, n)


def _write_new(path: Path, text: str) -> None:
    # Atomic for a regular file (an interrupted run never leaves half a file); written through to a
    # character device or FIFO, never replacing it; `-` is standard output.
    from safeguard_check.report.output import write_output

    try:
        write_output(path, text, error_key="io.unwritable")
    except InputError as exc:
        Console(stderr=True).print(
            " / ".join(t(issue.key, lang, **issue.params) for issue in exc.issues for lang in ("ja", "en")),
            markup=False,
        )
        raise typer.Exit(EXIT_INPUT) from None


def _pieces(name: str, report: ReportT, lang: Lang) -> Iterable[str]:
    # Imported on use: a terminal-only run (the usual cold start) never loads the five formatters.
    from safeguard_check.report.formats import pieces

    return pieces(name, report, lang)


def _register_commands() -> None:
    from safeguard_check.commands.diff import register as register_diff
    from safeguard_check.commands.law import register as register_law

    register_law(app)
    register_diff(app)


_register_commands()


def main(prog_name: str | None = None) -> None:
    """Entry point: runs the app and turns unexpected exceptions into exit code 3.

    ``prog_name``: the name usage lines and shell completion (its ``_SAFEGUARD_CHECK_COMPLETE``
    variable) use; ``python -m safeguard_check`` passes the installed command's name, which the
    console script gets from its own file name.
    """
    from safeguard_check.closed_output import GuardedStdout, OutputClosed, end_closed, flushed

    _Context.owns_process = True
    sys.stdout = GuardedStdout(sys.stdout)
    try:
        if prog_name is None:
            app()
        else:
            app(prog_name=prog_name)
    except SystemExit:
        if not flushed():  # the reader left while the last of the output was still buffered
            end_closed()
        raise
    except OutputClosed:
        end_closed()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # a bug, not the user's fault: say so briefly
        if _Context.debug:
            raise
        sys.stderr.write(
            f"内部エラー / internal error: {type(exc).__name__}: {exc}\n{t('error.hint_debug', 'ja')} "
            f"{t('error.hint_debug', 'en')}\n"
        )
        sys.exit(EXIT_INTERNAL)
