"""Items, sub-items, bullets and notes from lines that may break anywhere."""

from __future__ import annotations

from safeguard_check.ingest.lists import parse_list


def test_numbered_items_with_continuation_lines() -> None:
    block = parse_list(
        [
            "1 ファイアウォール及びウイルス対策ソフトにより、外部からの侵入やウ",
            "イルス感染を防止する。",
            "2 送受信する情報は暗号化する。",
        ]
    )
    assert [(i.number, i.text) for i in block.items] == [
        (1, "ファイアウォール及びウイルス対策ソフトにより、外部からの侵入やウイルス感染を防止する。"),
        (2, "送受信する情報は暗号化する。"),
    ]


def test_a_line_starting_with_a_number_mid_sentence_is_a_continuation() -> None:
    # 「第 706 号」 broken after 「第」: 706 is not the next item and no sentence ended before it.
    block = parse_list(["1 技術的基準(平成15年総務省告示第", "706 号)を遵守する。", "2 次の項目。"])
    assert [i.number for i in block.items] == [1, 2]
    assert block.items[0].text == "技術的基準(平成15年総務省告示第706号)を遵守する。"


def test_reordered_items_and_a_gap_after_a_deletion_are_still_items() -> None:
    block = parse_list(["3 三つ目。", "1 一つ目。", "5 五つ目。"])
    assert [i.number for i in block.items] == [3, 1, 5]


def test_task_lists_without_sentence_ends_are_read_by_sequence() -> None:
    block = parse_list(["以下の事務処理を委任して行わせる。", "1 個人番号通知書等印刷業務", "2 申請受付処理業務"])
    assert block.intro.text == "以下の事務処理を委任して行わせる。"
    assert [i.text for i in block.items] == ["個人番号通知書等印刷業務", "申請受付処理業務"]


def test_sub_items_and_bullets_nest_under_their_item() -> None:
    block = parse_list(
        [
            "3 以下の措置を厳守させる。",
            "(1) 委託先であることを確認する。",
            "(2) 以下の内容等を契約書にて遵守させる。",
            "・目的外利用の禁止",
            "・個人情報の閲覧者・更新者の制限",
            "・委託先の視察、監査及び安全管理措置を講じるための必要かつ適切な",
            "監督の実施",
            "4 次の項目。",
        ]
    )
    item = block.items[0]
    assert [s.number for s in item.subs] == [1, 2]
    assert [b.text for b in item.subs[1].bullets] == [
        "目的外利用の禁止",
        "個人情報の閲覧者・更新者の制限",
        "委託先の視察、監査及び安全管理措置を講じるための必要かつ適切な監督の実施",
    ]
    assert [i.number for i in block.items] == [3, 4]


def test_middle_dot_at_a_line_start_inside_a_sentence_continues_it() -> None:
    block = parse_list(["1 個人情報保護委員会による指導、助言、勧告", "・命令等を受ける対象となっている。"])
    assert block.items[0].text == "個人情報保護委員会による指導、助言、勧告・命令等を受ける対象となっている。"
    assert not block.items[0].bullets


def test_notes_and_items_starting_mid_line() -> None:
    block = parse_list(["1 一つ目の文。2 二つ目の文。", "※注記"])
    assert [i.text for i in block.items] == ["一つ目の文。", "二つ目の文。"]
    assert [n.text for n in block.notes] == ["※注記"]
