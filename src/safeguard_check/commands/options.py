"""Command-line options shared by several commands, declared once so their spelling and help agree."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

LangOption = Annotated[
    str,
    typer.Option("--lang", envvar="SAFEGUARD_CHECK_LANG", help="表示言語 / output language: ja | en"),
]
DebugOption = Annotated[bool, typer.Option("--debug", help="内部エラー時にトレースバックを表示 / show tracebacks")]
EngineOption = Annotated[str, typer.Option("--engine", help="durable（既定）| reference（検証用の素朴な評価器）")]
BaselinesOption = Annotated[
    Path | None, typer.Option("--baselines", help="基準（baselines）のディレクトリ / baselines directory")
]
RulesOption = Annotated[Path | None, typer.Option("--rules", help="規則のディレクトリ / rules directory")]
ProfileOption = Annotated[
    str,
    typer.Option(
        "--profile",
        help="プロファイル: standard（既定。ガイドライン・運用慣行を含む）| law（法令のみ）| PATH.yaml / "
        "profile: standard (default; adds guidelines and practice) | law (binding instruments only) | PATH.yaml",
    ),
]
