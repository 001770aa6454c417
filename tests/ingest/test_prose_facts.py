"""Contracts, clauses and transfers written as prose (not as bullet lists)."""

from __future__ import annotations

import pytest

from safeguard_check.ingest import ingest_text
from safeguard_check.ingest.facts import prose_contract
from safeguard_check.ingest.patterns import patterns
from safeguard_check.ingest.text import compact

from .layouts import PRINCIPAL_MEASURES, form_document


def _decl(principal: str):  # type: ignore[no-untyped-def]
    return ingest_text(form_document(principal_measures=principal)).declaration


def test_contract_clauses_listed_in_a_sentence() -> None:
    decl = _decl(
        "１ 市は、委託契約書に秘密の保持、個人情報の目的外利用の禁止並びに契約終了後の個人情報の返還を定める。"
    )
    [contract] = decl.contracts
    assert [c.code for c in contract.clauses] == [
        "contract.confidentiality",
        "contract.no_secondary_use",
        "contract.return_or_erase",
    ]
    assert contract.clauses_open is False and contract.contractors == ["contractor-1"]


def test_contract_left_to_a_special_provision_is_open_and_refers() -> None:
    decl = _decl("１ なお、個人情報の取扱いに関する特記事項を契約書に定め、委託先に遵守させる。")
    [contract] = decl.contracts
    assert contract.clauses == [] and contract.clauses_open is True
    assert contract.refers_to == "個人情報の取扱いに関する特記事項"


def test_following_items_etc_is_open() -> None:
    decl = _decl("１ このほか、以下の内容等を契約書に定める。\n・再委託の禁止\n・事業所外への個人情報の持出しの禁止")
    [contract] = decl.contracts
    assert contract.clauses_open is True
    assert [c.code for c in contract.clauses] == ["contract.subcontract_conditions", "contract.no_removal"]


def test_email_transfer_in_prose_is_unencrypted_internet() -> None:
    decl = _decl("１ 申請データは、委託先の担当者から市民課の担当者あてに電子メールにより送受信させる。")
    [transfer] = decl.transfers
    assert (transfer.method, transfer.encrypted) == ("internet", False)
    assert {transfer.from_party, transfer.to_party} == {"principal", "contractor-1"}


def test_email_transfer_stated_encrypted() -> None:
    decl = _decl("１ 申請データは、暗号化したうえで電子メールにより委託先に送付する。")
    [transfer] = decl.transfers
    assert (transfer.method, transfer.encrypted) == ("internet", True)


def test_permission_for_the_subcontract_is_recorded_but_not_one_given_by_the_contractor() -> None:
    doc = form_document(
        "委託先 株式会社Ａ\n再委託先 株式会社Ｂ\n再々委託先 株式会社Ｃ",
        principal_measures=(
            "１ 再委託については、令和5年3月10日付けで市が書面により承諾した。\n"
            "２ 再々委託については、再委託先が委託先の承諾を得て行う。"
        ),
    )
    parties = {p.name: p for p in ingest_text(doc).declaration.parties}
    b, c = parties["株式会社B"], parties["株式会社C"]
    assert b.permission is not None and b.permission.granted_by == "principal"
    assert str(b.permission.granted_on) == "2023-03-10"
    assert c.permission is None


def test_contract_clauses_as_sub_items_under_the_sentence() -> None:
    decl = _decl(
        "１ 委託契約書の個人情報取扱特記事項において、次のとおり定める。\n"
        "(1) 受託者は、業務上知り得た個人情報を第三者に漏らしてはならない。\n"
        "(2) 受託者は、個人情報を業務の目的以外に利用してはならない。"
    )
    [contract] = decl.contracts
    assert [c.code for c in contract.clauses] == ["contract.confidentiality", "contract.no_secondary_use"]


def test_two_sentences_about_one_contract_make_one_contract() -> None:
    decl = _decl(
        "１ 市は、委託契約書に秘密の保持、個人情報の目的外利用の禁止を定める。\n"
        "２ このほか、以下の内容等を契約書に定める。\n・再委託の禁止"
    )
    [contract] = decl.contracts
    assert [c.code for c in contract.clauses] == [
        "contract.confidentiality",
        "contract.no_secondary_use",
        "contract.subcontract_conditions",
    ]
    assert contract.clauses_open is True


def test_contract_deferring_to_a_separate_document() -> None:
    for sentence in (
        "委託先との契約については、別紙特記事項のとおりとする。",
        "契約書に個人情報取扱特記事項を添付し、これを遵守させる。",
    ):
        [contract] = _decl(f"１ {sentence}").contracts
        assert contract.clauses == [] and contract.clauses_open is True
        assert contract.refers_to is not None and "特記事項" in contract.refers_to


def test_undivided_list_gives_each_sentence_to_whoever_it_makes_act() -> None:
    text = (
        "山手市個人情報保護審議会 報告案件３\nマイナンバーカード出張申請受付業務の委託について\n"
        "１ 概要\n本市では、交付申請を受け付ける業務を、株式会社山手プロモーションに委託する。\n"
        "２ 個人情報の保護について\n委託先の従事者には、個人情報の取扱いに関する研修を受講させる。\n"
        "市の端末はユーザＩＤ及びパスワードで認証する。\n"
    )
    decl = ingest_text(text).declaration
    owners = {m.text[:6]: m.implemented_by for m in decl.measures}
    assert owners == {"委託先の従事": ["contractor-1"], "市の端末はユ": ["principal"]}


# --- contracts in a PIA's or a 仕様書's wording -------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "items", "open_", "refers_to"),
    [
        # 茨木市's PIA: one clause, the list closed.
        (
            "業者選定の際に業者の情報保護管理体制を確認するとともに、契約の際に秘密保持に関する事項を契約内容に含める",
            ("秘密保持",),
            False,
            None,
        ),
        # 和光市's PIA: 「も」 — one clause among others.
        (
            "業者の情報保護管理体制を確認し、併せて秘密保持に関しても契約に含めることで万全を期している。",
            ("秘密保持",),
            True,
            None,
        ),
        # 新潟市's 仕様書: a clause of a named contract document, which holds the rest.
        (
            "「新潟市カード業務委託契約書」(以下、「契約書」という。)で定める再委託申請手続を経て、承諾を得ること。",
            ("再委託申請手続",),
            True,
            "新潟市カード業務委託契約書",
        ),
    ],
)
def test_contract_named_in_pia_or_specification_wording(
    sentence: str, items: tuple[str, ...], open_: bool, refers_to: str | None
) -> None:
    found = prose_contract(compact(sentence), patterns())
    assert found is not None
    assert (found.items, found.open, found.refers_to) == (items, open_, refers_to)


def test_a_contract_form_or_payment_is_not_a_contract_clause() -> None:
    # 「契約書で定める期間毎に分割で支払う」: the contract is named, but no clause about the data.
    assert (
        prose_contract(
            compact("契約形態は、総額で契約するものとし、契約書で定める期間毎に分割で支払うものとする。"), patterns()
        )
        is None
    )


def test_pia_contract_gives_the_clause_to_the_contractor() -> None:
    text = (
        "和光市は、住民基本台帳事務を行う。\n"
        "住民基本台帳事務では、事務の一部を外部業者に委託しているため、業者選定の際に業者の情報保護管理体制を確認し、"
        "併せて秘密保持に関しても契約に含めることで万全を期している。\n"
    )
    decl = ingest_text(text, "wako.txt").declaration
    (contract,) = decl.contracts
    assert [c.code for c in contract.clauses] == ["contract.confidentiality"] and contract.clauses_open
    names = {p.id: p.name for p in decl.parties}
    assert [names[x] for x in contract.contractors] == ["外部業者"]


# --- the ward's choice of its 委託先, and a work terminal named by no system --------------------------


def _draft(principal: str, party: str, party_field: str = "委託先 株式会社Ａ\n再委託先 株式会社Ｂ"):  # type: ignore[no-untyped-def]
    decl = ingest_text(form_document(party_field, principal, party), "form.txt").declaration
    return decl, {p.id: p.name for p in decl.parties}


@pytest.mark.parametrize(
    ("sentence", "state"),
    [
        ("１ 委託先の選定にあたっては、プライバシーマークの認証を取得していることを確認する。", "codes"),
        ("１ 委託先の選定にあたり、プライバシーマーク等の認証取得の有無は確認しない。", "not_done"),
    ],
)
def test_the_wards_selection_check_covers_its_direct_contractor_only(sentence: str, state: str) -> None:
    decl, names = _draft(sentence, "１ 従事者に研修を行わせる。")
    (m,) = [m for m in decl.measures if "vendor.certification" in getattr(m, state)]
    assert names[m.implemented_by[0]] == "八王子市"
    # the 再委託先 is chosen by the contractor, not by the ward
    assert [names[x] for x in m.covers] == ["株式会社A"]


def test_a_work_terminal_stated_without_logging_is_the_contractors_terminal() -> None:
    decl, names = _draft(
        PRINCIPAL_MEASURES, "１ 委託先の作業端末では、操作履歴の記録は行っていない。", "委託先 株式会社Ａ"
    )
    (terminal,) = decl.terminals
    assert names[terminal.owner] == "株式会社A" and terminal.system == "other"
    (m,) = [m for m in decl.measures if m.not_done]
    assert m.not_done == ["logging.operation_history"]


def test_a_vpn_between_the_city_and_its_contractor_is_an_encrypted_internet_transfer_from_the_city() -> None:
    decl, names = _draft(PRINCIPAL_MEASURES, "１ 市と委託先の間の通信はＶＰＮにより暗号化させる。", "委託先 株式会社Ａ")
    (transfer,) = decl.transfers
    assert (names[transfer.from_party], names[transfer.to_party]) == ("八王子市", "株式会社A")
    assert transfer.method == "internet" and transfer.encrypted is True
