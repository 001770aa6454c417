"""Forms printed without the 別紙 heading, numbered 1 / (1) / ① / 一 / ア, labels in 【】, cells in one line."""

from __future__ import annotations

from safeguard_check.ingest import ingest_text

NUMBERED = """緑川町個人情報保護審議会 資料１

個人番号カード交付事務に係る住民データ抽出業務の委託について（報告）

１．保有課
　町民課

２．委託先
　有限会社みどり電算

３．委託の内容
　宛名データを作成する。

４．委託期間
　令和4年7月1日から令和4年9月30日まで

５．情報保護対策
（１）町が行う対策
　①町の端末はユーザＩＤ及びパスワードで認証する。
　②委託先への住民データの受渡しはＵＳＢメモリにより行う。
（２）委託先に行わせる対策
　一　作業端末にはウイルス対策ソフトを導入させる。
　二　委託先の作業端末では、操作履歴の記録は行っていない。
"""


def test_numbered_form_without_betsushi() -> None:
    result = ingest_text(NUMBERED)
    decl = result.declaration
    assert [(p.name, p.role) for p in decl.parties] == [("緑川町", "principal"), ("有限会社みどり電算", "contractor")]
    assert decl.plan.department == "町民課" and decl.plan.report_type == "report"
    by_section = [(m.source.section if m.source else None, m.codes, m.not_done) for m in decl.measures]
    assert by_section == [
        ("principal", ["terminal.auth.id_password"], []),
        ("principal", [], []),
        ("contractor", ["endpoint.antivirus"], []),
        ("contractor", [], ["logging.operation_history"]),
    ]


def test_bracketed_labels_and_cells_run_together() -> None:
    text = (
        "西浜市個人情報保護審議会 諮問第5号\n件名 予約システムの運用業務の委託について\n"
        "【保有課】 市民課\n【委託先】 株式会社ウエストベイ 再委託 無 委託先所在地 西浜市港町1-2-3\n"
        "【委託内容】 予約データの管理\n【委託期間】 令和5年4月1日から令和8年3月31日まで\n"
        "【市が講ずる措置】\n1 庁内ネットワークにはファイアウォールを設置する。\n"
    )
    decl = ingest_text(text).declaration
    assert [(p.name, p.role) for p in decl.parties] == [("西浜市", "principal"), ("株式会社ウエストベイ", "contractor")]
    assert [m.codes for m in decl.measures] == [["network.firewall"]]
