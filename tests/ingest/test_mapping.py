"""Sentences → measure codes through the vocabulary's phrases."""

from __future__ import annotations

from safeguard_check.data.vocabulary import vocabulary
from safeguard_check.ingest.mapping import best_code, map_codes


def test_one_sentence_several_codes_in_order_of_appearance() -> None:
    assert map_codes("ファイアウォール及びウイルス対策ソフトにより、外部からの侵入やウイルス感染を防止する。") == (
        "network.firewall",
        "endpoint.antivirus",
    )


def test_matching_ignores_width_and_line_breaks() -> None:
    assert map_codes("住民情報システムの端末はユ\nーザＩＤ及び暗証番号により") == ("terminal.auth.id_password",)


def test_no_phrase_no_code() -> None:
    assert map_codes("この文はどの対策にも当たらない。") == ()


def test_masked_fact_names_do_not_count() -> None:
    text = "機構に送付する際は、暗号化した磁気ディスクを使用する方法のいずれかに限定する。"
    assert "transfer.encryption" in map_codes(text)
    assert map_codes(text, mask=["暗号化した磁気ディスク"]) == ("transfer.method_restricted",)


def test_derived_codes_are_never_produced() -> None:
    derived = {c for c, e in vocabulary().measures.items() if e.derived}
    everything = "".join(p for e in vocabulary().measures.values() for p in e.phrases)
    assert not derived & set(map_codes(everything))


def test_contract_clause_gets_one_contract_code() -> None:
    assert best_code("目的外利用の禁止", "contract.") == ("contract.no_secondary_use", ("contract.no_secondary_use",))
    assert best_code("委託先の視察、監査及び安全管理措置を講じるための必要かつ適切な監督の実施", "contract.")[0] == (
        "contract.audit_rights"
    )
    assert best_code("不明な条項", "contract.") == (None, ())
