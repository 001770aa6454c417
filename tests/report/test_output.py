"""Writing report files: whole or in pieces, atomically, never leaving a temporary file behind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from safeguard_check.errors import InputError
from safeguard_check.report.output import write_atomic


def test_pieces_are_written_in_order(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    write_atomic(target, iter(["{", '"a": 1', "}\n"]))
    assert target.read_text(encoding="utf-8") == '{"a": 1}\n'
    write_atomic(target, "個人番号\n")
    assert target.read_text(encoding="utf-8") == "個人番号\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_a_failure_while_producing_pieces_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.sarif"
    target.write_text("previous\n", encoding="utf-8")

    def broken() -> Iterator[str]:
        yield "{\n"
        raise RuntimeError("formatter bug")

    with pytest.raises(RuntimeError):
        write_atomic(target, broken())
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.sarif"]


def test_an_unwritable_place_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        write_atomic(tmp_path / "missing-dir" / "report.json", iter(["{}\n"]))
    assert caught.value.issues[0].key == "output.unwritable"
