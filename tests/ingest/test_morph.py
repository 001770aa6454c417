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
        ("受託者は、市の書面による承諾を得ずに業務を再委託してはならない。", "contract.subcontract_conditions"),
    ],
)
def test_prohibitions_and_obligations_are_stated(sentence: str, code: str) -> None:
    reading = read_codes(sentence)
    assert code in reading.codes and code not in reading.not_done


def test_draft_measure_carries_not_done_and_counts_as_read() -> None:
    from safeguard_check.ingest import ingest_text

    from .layouts import form_document

    result = ingest_text(form_document(party_measures="１ 送付するデータの暗号化は行わない。"))
    measure = next(m for m in result.declaration.measures if m.source and m.source.section == "contractor")
    assert (measure.codes, measure.not_done) == ([], ["transfer.encryption"])
    assert not result.unmapped  # stated as not done is understood, not unrecognised
    assert "#   行わないと記載 / stated as NOT done: transfer.encryption" in result.to_yaml()


def test_reference_to_another_document() -> None:
    from safeguard_check.ingest import ingest_text

    from .layouts import form_document

    result = ingest_text(form_document(party_measures="１ 機構が作成した特定個人情報保護評価書のとおりに取扱わせる。"))
    measure = next(m for m in result.declaration.measures if m.source and m.source.section == "contractor")
    assert measure.refers_to == "特定個人情報保護評価書"
