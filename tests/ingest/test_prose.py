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
