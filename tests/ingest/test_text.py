"""Repair of extracted text: NFKC, page furniture, broken lines, spaces."""

from __future__ import annotations

from safeguard_check.ingest.text import clean_spaces, compact, join_lines, repair


def test_words_split_across_lines_and_blank_lines_are_rejoined() -> None:
    lines = repair("ファイアウォール及びウイルス対策ソフトにより、外部からの侵入やウ\n イルス感染を防止する。 \n").lines
    assert join_lines(lines) == "ファイアウォール及びウイルス対策ソフトにより、外部からの侵入やウイルス感染を防止する。"
    assert join_lines(repair("ユ\n\n\nーザＩＤ及び暗証番号").lines) == "ユーザID及び暗証番号"


def test_nfkc_folds_full_width_digits_letters_and_parenthesised_numbers() -> None:
    assert repair("１２３ ＵＳＢ ⑴ （２）").lines == ("123 USB (1) (2)",)


def test_document_number_at_the_top_is_furniture_and_remembered() -> None:
    r = repair(" 資料３０ \n\n本文")
    assert r.lines == ("本文",)
    assert r.document_number == "資料30"
    assert r.furniture == ("資料30",)


def test_document_number_inside_the_text_is_content() -> None:
    r = repair("一行目\n二行目\n資料30-2のとおり\n三行目\n四行目\n五行目")
    assert "資料30-2のとおり" in r.lines


def test_page_numbers_are_removed_only_where_there_are_pages() -> None:
    multi = repair("資料30\n本文一\n- 1 -\f資料30\n本文二\n2")
    assert multi.lines == ("本文一", "本文二")
    # Without pages, a lone number is the tail of a broken line (「平成15」 | 「年」) and must stay.
    single = repair("技術的基準(平成\n15\n年総務省告示第706号)")
    assert join_lines(single.lines) == "技術的基準(平成15年総務省告示第706号)"


def test_header_placed_inside_the_body_by_layout_analysis_is_removed() -> None:
    r = repair("資料30\n本文一\n- 1 -\f本文二\n資料30\n本文三\n本文四\n- 2 -")
    assert r.lines == ("本文一", "本文二", "本文三", "本文四")


def test_minus_sign_from_cid_fonts_is_a_hyphen() -> None:
    assert repair("資料30−2のとおり").lines == ("資料30-2のとおり",)


def test_spaces_between_kanji_and_digits_go_spaces_between_words_stay() -> None:
    assert clean_spaces("(平成 25 年法律第 27 号)") == "(平成25年法律第27号)"
    assert clean_spaces("株式会社 DNP データテクノ") == "株式会社DNPデータテクノ"
    assert (
        clean_spaces("株式会社エヌ・ティ・ティ マーケティング アクト")
        == "株式会社エヌ・ティ・ティ マーケティング アクト"
    )
    assert clean_spaces("ISMS、 プライバシーマーク") == "ISMS、プライバシーマーク"


def test_compact_removes_all_whitespace_after_nfkc() -> None:
    assert compact("ユーザ ＩＤ\n及び") == "ユーザID及び"
