"""Run the law-browsing commands in process, registered the way cli.py does it."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from safeguard_check.commands.law import register

ENV = {"NO_COLOR": "1", "COLUMNS": "200", "SAFEGUARD_CHECK_LANG": ""}


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """test root"""

    register(app)
    return app


APP = _app()
_runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``args``; a crash is raised, not turned into an exit code."""
    result = _runner.invoke(APP, list(args), env={**ENV, **(env or {})})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr
