"""Small council documents written for the tests: one 別紙 form whose fields the test chooses.

Each is a complete document (cover, form, measure sections) in the layout Tokyo-area councils use, so
a test changes only the part it is about (the 委託先 field, one measure sentence …).
"""

from __future__ import annotations

PARTY_FIELD = "委託先 株式会社Ａ"
PRINCIPAL_MEASURES = "１ 職員に研修を行う。"
PARTY_MEASURES = "１ 従事者に研修を行わせる。"


def form_document(
    party_field: str = PARTY_FIELD,
    principal_measures: str = PRINCIPAL_MEASURES,
    party_measures: str = PARTY_MEASURES,
    *,
    department: str | None = "保有課(担当課) 市民課",
    report: str = "報告事項",
    cover_basis: str = "条例の根拠 【報告】",
    municipality: str = "八王子市",
    form_heading: str | None = None,
) -> str:
    """A one-form document; ``department=None`` leaves out the 保有課 line."""
    lines = [
        f"情報公開・個人情報保護審議会 {report}",
        "件名 住民票コールセンター業務の委託について",
        cover_basis,
        "別紙",
        f"◇電子計算機による個人情報の処理委託・・・{report if form_heading is None else form_heading}",
        "件名 住民票コールセンター業務の委託について",
        *([department] if department else []),
        "登録業務の名称 住民基本台帳事務",
        party_field,
        "委託に伴い事業者に処理させる情報項目",
        "１ 個人の範囲",
        f"{municipality}の住民基本台帳に記録されている者",
        "２ 情報項目",
        "氏名、住所",
        "処理させる情報項目の記録媒体 紙媒体",
        "委託理由 専門的な知識を要するため。",
        "委託の内容",
        "１ コールセンター業務",
        "委託の開始時期及び期限",
        "令和3年4月1日から令和4年3月31日まで",
        "委託にあたり市が行う情報保護対策",
        "【運用上の対策】",
        principal_measures,
        "受託事業者に行わせる情報保護対策",
        "【運用上の対策】",
        party_measures,
    ]
    return "\n".join(lines) + "\n"
