"""Three states per measure and phrase matching across inflection (SudachiPy; ingest/morph.py)."""

from __future__ import annotations

import pytest

from safeguard_check.ingest.mapping import read_codes


@pytest.mark.parametrize(
    "sentence",
    ["端末の操作履歴を記録する。", "操作履歴を記録し、定期的に確認する。", "操作履歴の記録を行う。"],
)
def test_operation_history_in_any_inflection(sentence: str) -> None:
    assert "logging.operation_history" in read_codes(sentence).codes


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("送付する媒体の暗号化は行わない。", "transfer.encryption"),
        ("操作履歴の記録は行っていない。", "logging.operation_history"),
        ("従事者への研修は実施しない。", "staff.training"),
        ("ファイアウォールを設置せず、", "network.firewall"),
    ],
)
def test_negated_measure_is_not_done(sentence: str, code: str) -> None:
    reading = read_codes(sentence)
    assert code in reading.not_done and code not in reading.codes


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("特定相手以外との通信は不可とする。", "network.peer_restricted"),
        ("USBメモリ等の外部記録媒体を接続できないように設定する。", "endpoint.removable_media_blocked"),
        ("無線LANは利用しない。", "network.no_wireless"),
        ("操作履歴を記録しなければならない。", "logging.operation_history"),
    ],
)
def test_prohibitions_and_obligations_are_stated(sentence: str, code: str) -> None:
    reading = read_codes(sentence)
    assert code in reading.codes and code not in reading.not_done
