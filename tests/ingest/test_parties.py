"""Parties and the delegation chain read from the 委任先 / 委託先 field (forms.yaml party_lines)."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard_check.ingest import ingest_text
from safeguard_check.ingest.forms import forms

from .layouts import form_document


def _chain(text: str) -> list[tuple[str, str, str | None]]:
    decl = ingest_text(text).declaration
    names = {p.id: p.name for p in decl.parties}
    return [(p.name, p.role, names.get(p.received_from or "")) for p in decl.parties]


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def test_subcontractor_line_under_the_contractor_is_its_own_party() -> None:
    doc = form_document("委託先 株式会社Ａ\n再委託先 株式会社Ｂ（コールセンター業務）")
    assert _chain(doc) == [
        ("八王子市", "principal", None),
        ("株式会社A", "contractor", "八王子市"),
        ("株式会社B", "subcontractor", "株式会社A"),
    ]


def test_comma_inside_parentheses_never_splits_a_party() -> None:
    doc = form_document("委託先 株式会社Ａ（入力業務、データ入力作業の一部）\n再委託先 株式会社Ｂ")
    chain = _chain(doc)
    assert [c[0] for c in chain] == ["八王子市", "株式会社A", "株式会社B"]
    assert not any("データ入力作業" in name for name, _, _ in chain)


def test_several_levels_and_the_subcontract_note() -> None:
    doc = form_document(
        "委託先 株式会社Ａ（再委託あり）\n"
        "再委託先 株式会社Ｂ（コールセンター業務）\n"
        "再々委託先 株式会社Ｃ（データ入力）"
    )
    assert _chain(doc)[1:] == [
        ("株式会社A", "contractor", "八王子市"),
        ("株式会社B", "subcontractor", "株式会社A"),
        ("株式会社C", "subcontractor", "株式会社B"),
    ]
    a = ingest_text(doc).declaration.parties[1]
    assert a.note is not None and "再委託あり" in a.note


def test_bracketed_party_lines_keep_the_delegate_chain() -> None:
    doc = form_document(
        "委託先\n【委任先】\n地方公共団体情報システム機構（以下「機構」という。）\n"
        "【委任先が委託する事業者】\n株式会社Ａ、株式会社Ｂ"
    )
    assert _chain(doc)[1:] == [
        ("地方公共団体情報システム機構", "delegate", "八王子市"),
        ("株式会社A", "contractor", "地方公共団体情報システム機構"),
        ("株式会社B", "contractor", "地方公共団体情報システム機構"),
    ]


def test_party_lines_are_data() -> None:
    labels = {label for label, _ in forms().party_line_labels()}
    assert {"再委託先", "再々委託先", "【委任先】"} <= labels


_NAME = st.text(alphabet="アイウエオカキクケコサシスセソ株式会社有限", min_size=1, max_size=6)
_NOTE = st.text(alphabet="入力業務データの一部、コールセンター", min_size=1, max_size=10)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(st.tuples(_NAME, st.one_of(st.none(), _NOTE)), min_size=1, max_size=4),
    sep=st.sampled_from(["、", "\n", "，"]),
    levels=st.booleans(),
)
def test_every_party_name_occurs_in_the_document(names: list[tuple[str, str | None]], sep: str, levels: bool) -> None:
    written = [f"{n}（{note}）" if note else n for n, note in names]
    if levels and len(written) > 1:
        field = f"委託先 {written[0]}\n再委託先 " + sep.join(written[1:])
    else:
        field = "委託先 " + sep.join(written)
    doc = form_document(field)
    squashed = _squash(doc)
    for party in ingest_text(doc).declaration.parties:
        assert _squash(party.name) in squashed
        assert party.name.count("(") == party.name.count(")")
        assert not party.name.startswith((")", "、"))


def test_subcontract_written_as_a_sentence_in_the_party_field() -> None:
    doc = form_document(
        "委託先 株式会社北山データ（以下「Ａ社」という。）\n"
        "再委託 Ａ社は、予約受付業務のうち電話受付の一部を株式会社コールワン（以下「Ｃ社」という。）に再委託する。"
    )
    assert _chain(doc)[1:] == [
        ("株式会社北山データ", "contractor", "八王子市"),
        ("株式会社コールワン", "subcontractor", "株式会社北山データ"),
    ]


def test_business_named_in_prose_without_a_form() -> None:
    text = (
        "山手市個人情報保護審議会 報告案件３\nマイナンバーカード出張申請受付業務の委託について\n"
        "１ 概要\n本市では、交付申請を受け付ける業務を、株式会社山手プロモーションに委託する。\n"
        "２ 個人情報の保護について\n委託先の従事者には、個人情報の取扱いに関する研修を受講させる。\n"
    )
    assert _chain(text) == [("山手市", "principal", None), ("株式会社山手プロモーション", "contractor", "山手市")]
