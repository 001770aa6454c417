"""Command-line options shared by several commands, declared once so their spelling and help agree.

Options with a fixed set of values are choices: help shows them (``[ja|en]``), shell completion
offers them, and a wrong value is a usage error (exit 2) in Japanese and English from the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from safeguard_check.messages import t


def choice_parser(option: str, choices: Sequence[str]) -> Callable[[Any], str]:
    """A typer ``parser`` accepting only ``choices`` (a wrong value: both languages, exit 2)."""

    def parse(value: Any) -> str:
        text = str(value)
        if text not in choices:
            listed = " | ".join(choices)
            message = " / ".join(
                t("cli.bad_choice", lang, option=option, choices=listed, value=text) for lang in ("ja", "en")
            )
            raise typer.BadParameter(message)
        return text

    return parse


def choice(option: str, choices: Sequence[str], help_text: str, *decls: str, **extra: Any) -> Any:
    """A ``typer.Option`` for ``option`` whose value is one of ``choices``: listed in help and completion."""
    return typer.Option(
        option,
        *decls,
        parser=choice_parser(option, choices),
        metavar="[" + "|".join(choices) + "]",
        autocompletion=lambda: list(choices),
        help=help_text,
        **extra,
    )


def _profile_names() -> list[str]:
    from safeguard_check.load.profile import named_profiles

    return list(named_profiles())


LANGS = ("ja", "en")
ENGINES = ("auto", "durable", "reference")
FAIL_ON = ("critical", "high", "medium", "low", "info", "never")

LangOption = Annotated[
    str,
    choice("--lang", LANGS, "表示言語 / output language", envvar="SAFEGUARD_CHECK_LANG"),
]
DebugOption = Annotated[bool, typer.Option("--debug", help="内部エラー時にトレースバックを表示 / show tracebacks")]
EngineOption = Annotated[
    str,
    choice(
        "--engine",
        ENGINES,
        "評価器: auto（既定。durable-rules があればそれ、なければ reference）| durable | reference（検証用の素朴な"
        "評価器。指摘は同じ）/ auto (default: durable-rules when installed, else reference) | durable | reference",
    ),
]
FailOnOption = Annotated[
    str | None,
    choice(
        "--fail-on",
        FAIL_ON,
        "この重大度以上の指摘で終了コード 1（既定 high）/ exit 1 at or above this severity (default high)",
    ),
]
BaselinesOption = Annotated[
    Path | None, typer.Option("--baselines", help="基準（baselines）のディレクトリ / baselines directory")
]
RulesOption = Annotated[Path | None, typer.Option("--rules", help="規則のディレクトリ / rules directory")]
ProfileOption = Annotated[
    str | None,
    typer.Option(
        "--profile",
        metavar="[standard|law|PATH.yaml]",
        autocompletion=_profile_names,
        help="プロファイル: standard（既定。ガイドライン・運用慣行を含む）| law（法令のみ）| PATH.yaml / "
        "profile: standard (default; adds guidelines and practice) | law (binding instruments only) | PATH.yaml",
    ),
]
NoColorOption = Annotated[
    bool,
    typer.Option("--no-color", help="色・装飾なし（環境変数 NO_COLOR と同じ）/ plain text, as NO_COLOR does"),
]


def plain(no_color: bool) -> bool:
    """Whether output must be plain: ``--no-color`` or a non-empty ``NO_COLOR`` (no-color.org)."""
    import os

    return no_color or bool(os.environ.get("NO_COLOR"))
