"""Which sentences of a document without a form are measure sentences (``ingest/prose.py``)."""

from __future__ import annotations

import pytest

from safeguard_check.ingest.prose import prose_sheet


@pytest.mark.parametrize(
    "sentence",
    [
        # A description of what happens to the card, not a step someone takes (三鷹市・江東区の仕様書).
        "平成27年10月より全市民に個人番号が付番され、「通知カード」が送付される。",
        # 送付 inside a noun (送付用封筒, 送付対象者ファイル): the work to be done, not a safeguard.
        "送付用封筒及び同封物の作成・印字・封入封緘を行う能力を有すること。",
    ],
)
def test_a_description_of_sending_is_not_a_measure_sentence(sentence: str) -> None:
    assert prose_sheet([sentence]).measures == []


@pytest.mark.parametrize(
    "sentence",
    [
        "申請データは電子メールにより送信する。",
        "作成した媒体は施錠できる容器に入れて送付し、受領を確認する。",
        "受託者には暗号化したファイルのみを送受信させる。",
    ],
)
def test_sending_as_an_act_is_still_a_measure_sentence(sentence: str) -> None:
    assert len(prose_sheet([sentence]).measures) == 1


STANDARD = [
    "(委託先の選定に当たっての留意事項)",
    "第3条 実施機関は、委託先の選定に当たっては次の事項に留意するものとする。",
    "(1) 委託先の選定に当たっては、次に掲げる観点から特記事項を遵守できる者を選ぶこと。",
    "    • イ 個人情報の保護に関する内部規程が整備されていること",
    "    • ロ プライバシーマークを取得していること",
    "(2) 入札前に、特記事項について対象事業者に周知すること。",
    "(趣旨)",
    "第4条 この基準は、告示の日から施行する。",
]


def test_items_of_a_list_in_a_standard_are_measure_sentences_and_its_lead_is_not() -> None:
    measures = prose_sheet(STANDARD).measures
    texts = [m.text for m in measures]
    # the lead that only says "heed the following" is not a measure; the items are, up to the next article
    assert not any("留意するものとする" in t for t in texts)
    assert [t[:6] for t in texts] == ["委託先の選定", "イ 個人情報", "ロ プライバ", "入札前に、特"]
    assert not any("施行する" in t for t in texts)


def test_an_indented_bullet_opens_its_own_sentence() -> None:
    measures = prose_sheet(STANDARD).measures
    assert any(m.text.startswith("イ 個人情報の保護に関する内部規程") for m in measures)


def test_a_sentence_saying_the_contractor_cannot_access_the_data_is_a_measure_sentence() -> None:
    (m,) = prose_sheet(["委託する業務は、直接本人確認情報にアクセスできず、閲覧・更新を行わない。"]).measures
    assert m.text.startswith("委託する業務は")
