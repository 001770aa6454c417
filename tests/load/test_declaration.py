"""Tests for safeguard_check.load.declaration: the real case, every encoding, and located errors."""

from __future__ import annotations

import codecs
import datetime
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from safeguard_check.errors import InputError, InputIssue, render
from safeguard_check.load.declaration import LoadedPlan, load_declaration, parse_declaration
from safeguard_check.messages import Msg
from safeguard_check.model.declaration import Declaration

D = datetime.date
DATA = Path(__file__).resolve().parent.parent / "data"
SHINJUKU = Path("cases") / "shinjuku-2020-mynumber-card" / "declaration.yaml"

# Line numbers below refer to this text; mutations replace one line by one line so they stay valid.
MIN = """\
schema_version: 1
plan:
  title: テスト計画
  municipality: 新宿区
  department: 戸籍住民課
  report_type: report
  effective_date: 2020-05-25
  subjects:
    scope: 新宿区の住民
    count: 1000
parties:
  - id: ward
    name: 新宿区
    role: principal
  - id: jlis
    name: 機構
    role: delegate
    received_from: ward
    tasks: [card_issuance]
  - id: printer
    name: 印刷会社
    role: contractor
    received_from: jlis
transfers:
  - id: t1
    from: ward
    to: jlis
    method: jukinet
    encrypted: true
measures:
  - id: m1
    codes: [transfer.encryption, network.firewall]
    implemented_by: [ward, jlis]
    category: technical
    text: 暗号化する。
"""


def _edit(old: str, new: str, text: str = MIN) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _add_parties(*lines: str, text: str = MIN) -> str:
    """MIN with flow-style party lines added at the end of ``parties`` (they start at line 24)."""
    end = text.index("transfers:")
    return text[:end] + "".join(f"  - {{{line}}}\n" for line in lines) + text[end:]


def _col(text: str, line: int, needle: str) -> int:
    return text.splitlines()[line - 1].index(needle) + 1


def _issues(text: str, name: str = "plan.yaml", fmt: str = "yaml") -> list[InputIssue]:
    with pytest.raises(InputError) as info:
        parse_declaration(text, name, fmt)  # type: ignore[arg-type]
    return info.value.issues


def _issue(text: str, key: str, name: str = "plan.yaml", fmt: str = "yaml") -> InputIssue:
    """The one issue with message ``key`` among those raised for ``text``."""
    found = [i for i in _issues(text, name, fmt) if i.key == key]
    assert len(found) == 1, _issues(text, name, fmt)
    return found[0]


def _rendered(issue: InputIssue) -> tuple[str, str]:
    """Both renderings, checked for file and position and for being translations of each other."""
    ja, en = render(issue, "ja"), render(issue, "en")
    where = issue.file
    if issue.line is not None:
        where += f":{issue.line}"
        if issue.column is not None:
            where += f":{issue.column}"
    for text in (ja, en):
        assert text.startswith(f"{where}: "), text
    assert "エラー" in ja and ": error: " in en
    assert ja != en
    return ja, en


def _load(text: str) -> Declaration:
    return parse_declaration(text, "plan.yaml").declaration


def test_minimal_text_is_valid() -> None:
    decl = _load(MIN)
    assert [p.id for p in decl.parties] == ["ward", "jlis", "printer"]
    assert decl.transfers[0].from_party == "ward" and decl.transfers[0].to_party == "jlis"


# --- the real case ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shinjuku_path(repo_root: Path) -> Path:
    return repo_root / SHINJUKU


@pytest.fixture(scope="module")
def shinjuku(shinjuku_path: Path) -> LoadedPlan:
    return load_declaration(shinjuku_path)


def test_shinjuku_loads(shinjuku: LoadedPlan) -> None:
    decl = shinjuku.declaration
    assert len(decl.parties) == 8
    assert len(decl.transfers) == 9
    assert len(decl.terminals) == 9
    assert len(decl.measures) == 45
    assert len(decl.contracts) == 1
    assert shinjuku.encoding == "utf-8"
    assert decl.plan.effective_date == D(2020, 5, 25)
    assert decl.plan.subjects is not None and decl.plan.subjects.count == 347542
    assert decl.plan.subjects.as_of == D(2020, 5, 1)
    parties = {p.id: p for p in decl.parties}
    assert parties["jlis"].since == D(2015, 1, 30)  # H27.1.30
    assert [p.id for p in decl.parties if p.role == "contractor"] == [
        "npb",
        "nttdata",
        "dnp-data-techno",
        "toppan",
        "ntt-marketing-act",
        "ntt-com",
    ]
    # NFKC: the document's ユーザＩＤ is stored as ユーザID
    assert "ユーザID" in (decl.terminals[0].note or "")
    assert "Ｉ" not in json.dumps(decl.model_dump(mode="json"), ensure_ascii=False)


def test_shinjuku_positions(shinjuku: LoadedPlan, shinjuku_path: Path) -> None:
    lines = shinjuku_path.read_text(encoding="utf-8").splitlines()
    line = shinjuku.line_of(("parties", 1, "since"))
    assert line is not None and lines[line - 1].strip() == "since: H27.1.30"
    line = shinjuku.line_of(("measures", 0, "codes", 0))
    assert line is not None and "standards.comply" in lines[line - 1]


def test_shinjuku_file_is_never_modified(shinjuku_path: Path) -> None:
    before = shinjuku_path.read_bytes()
    stat = shinjuku_path.stat()
    load_declaration(shinjuku_path)
    load_declaration(str(shinjuku_path))
    assert shinjuku_path.read_bytes() == before
    after = shinjuku_path.stat()
    assert (after.st_mtime_ns, after.st_size, after.st_mode) == (stat.st_mtime_ns, stat.st_size, stat.st_mode)


def _cp932(text: str) -> bytes:
    # Three characters of the case's comments (⑴, ⑵, the em dash) have no CP932 code; an author
    # saving as Shift_JIS would have replaced them. Values are untouched, so the model must be equal.
    return text.replace("⑴", "(1)").replace("⑵", "(2)").replace("—", "-").encode("cp932")


COPIES: dict[str, tuple[str, Callable[[str], bytes], str]] = {
    "cp932": (".yaml", _cp932, "cp932"),
    "utf-16-le-bom": (".yaml", lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "utf-16-le"),
    "utf-16-be-bom": (".yml", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16-be"),
    "utf-8-bom": (".yaml", lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
    "utf-8-crlf": (".YAML", lambda t: t.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    "utf-16-crlf": (".yaml", lambda t: codecs.BOM_UTF16_LE + t.replace("\n", "\r\n").encode("utf-16-le"), "utf-16-le"),
}


@pytest.mark.parametrize("name", sorted(COPIES))
def test_shinjuku_copies_load_to_an_equal_model(
    name: str, shinjuku: LoadedPlan, shinjuku_path: Path, tmp_path: Path
) -> None:
    suffix, encode, encoding = COPIES[name]
    copy = tmp_path / f"declaration{suffix}"
    copy.write_bytes(encode(shinjuku_path.read_text(encoding="utf-8")))
    loaded = load_declaration(copy)
    assert loaded.encoding == encoding
    assert loaded.declaration == shinjuku.declaration
    # Line numbers agree with what an editor shows for the copy as well.
    for path in [("parties", 1, "since"), ("measures", 44, "text"), ("contracts", 0, "clauses", 8)]:
        assert loaded.line_of(path) == shinjuku.line_of(path)


@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_shinjuku_json_copy_loads_to_an_equal_model(ensure_ascii: bool, shinjuku: LoadedPlan, tmp_path: Path) -> None:
    data = shinjuku.declaration.model_dump(mode="json", by_alias=True)
    copy = tmp_path / "declaration.json"
    copy.write_text(json.dumps(data, ensure_ascii=ensure_ascii, indent=2), encoding="utf-8")
    loaded = load_declaration(copy)
    assert loaded.declaration == shinjuku.declaration
    line = loaded.line_of(("parties", 1, "since"))
    assert line is not None and '"since": "2015-01-30"' in copy.read_text(encoding="utf-8").splitlines()[line - 1]


# --- the files in tests/data (real bytes in each encoding) -----------------------------------------


@pytest.mark.parametrize(
    ("file", "encoding"),
    [("minimal.yaml", "utf-8"), ("minimal-cp932.yaml", "cp932"), ("minimal-utf16.yaml", "utf-16-le")],
)
def test_data_files_in_every_encoding_agree(file: str, encoding: str) -> None:
    reference = load_declaration(DATA / "minimal.yaml").declaration
    loaded = load_declaration(DATA / file)
    assert loaded.encoding == encoding
    assert loaded.declaration == reference
    # CP932-only characters survive and are NFKC-normalised: ㈱ → (株), ① → 1; 髙 and 﨑 are kept.
    assert loaded.declaration.parties[2].name == "(株)サンプル印刷1"
    assert loaded.declaration.plan.municipality == "髙﨑区"
    assert loaded.line_of(("parties", 2, "name")) == 19


# --- located, translated errors --------------------------------------------------------------------


def test_yaml_syntax_error() -> None:
    text = _edit("  department: 戸籍住民課\n", "  department: [戸籍住民課\n")
    issue = _issue(text, "syntax.yaml")
    assert (issue.line, issue.column) == (6, 14)
    ja, en = _rendered(issue)
    assert "YAML の構文エラー" in ja and "YAML syntax error" in en


def test_wrong_type() -> None:
    text = _edit("    count: 1000\n", "    count: many\n")
    issue = _issue(text, "schema.type")
    assert (issue.line, issue.column) == (10, 5)
    assert issue.path == ("plan", "subjects", "count")
    assert issue.params == {"expected": Msg("type.int")}
    assert issue.found == "many"
    ja, en = _rendered(issue)
    assert "整数" in ja and "an integer" in en and "many" in en


def test_unknown_key_suggests_the_field() -> None:
    text = _edit("    name: 機構\n", "    nmae: 機構\n")
    issue = _issue(text, "schema.unknown_key")
    assert (issue.line, issue.column) == (16, 5)
    assert issue.path == ("parties", 1, "nmae")
    assert issue.params == {"key": "nmae"}
    assert issue.suggestions[0] == "name"
    # the field it replaced is reported missing too, at the party
    missing = _issue(text, "schema.missing")
    assert missing.params == {"field": "name"}
    assert missing.line == 15


def test_unknown_japanese_key_suggests_the_japanese_alias() -> None:
    text = _edit("  department: 戸籍住民課\n", "  保有者: 戸籍住民課\n")
    issue = _issue(text, "schema.unknown_key")
    assert (issue.line, issue.column) == (5, 3)
    assert issue.params == {"key": "保有者"}
    assert issue.suggestions == ("保有課",)


# messages.t once took the message key as a keyword named "key", which these parameters collided with.
def test_unknown_key_renders() -> None:
    issue = _issue(_edit("    name: 機構\n", "    nmae: 機構\n"), "schema.unknown_key")
    ja, en = _rendered(issue)
    assert "nmae" in ja and "unknown key 'nmae'" in en
    assert "did you mean: name" in en


def test_duplicate_key_renders() -> None:
    text = _edit("    role: delegate\n", "    role: delegate\n    name: 機構2\n")
    issue = _issue(text, "syntax.duplicate_key")
    assert (issue.line, issue.column) == (18, 5)
    assert issue.params == {"key": "name", "first_line": 16}
    ja, en = _rendered(issue)
    assert "16" in ja and "(first at line 16)" in en


def test_unknown_measure_code_suggests_closest() -> None:
    text = _edit("[transfer.encryption, network.firewall]", "[transfer.encrypton, network.firewall]")
    issue = _issue(text, "schema.unknown_code")
    assert (issue.line, issue.column) == (32, 13)
    assert issue.path == ("measures", 0, "codes", 0)
    assert issue.params["value"] == "transfer.encrypton"
    assert issue.suggestions[0] == "transfer.encryption"
    ja, en = _rendered(issue)
    assert "対策コード「transfer.encrypton」" in ja
    assert "unknown measure code 'transfer.encrypton'" in en
    assert "did you mean: transfer.encryption" in en


def test_derived_codes_cannot_be_claimed() -> None:
    # delegation.permission_recorded is computed from the plan's structure, not declared.
    text = _edit("[transfer.encryption, network.firewall]", "[transfer.encryption, delegation.permission_recorded]")
    issue = _issue(text, "schema.unknown_code")
    assert issue.path == ("measures", 0, "codes", 1)
    assert issue.line == 32


def test_unknown_task_code() -> None:
    text = _edit("    tasks: [card_issuance]\n", "    tasks: [card_isuance]\n")
    issue = _issue(text, "schema.unknown_code")
    assert (issue.line, issue.column) == (19, 13)
    assert issue.params["kind_label"] == Msg("kind.tasks")
    assert issue.suggestions[0] == "card_issuance"
    ja, en = _rendered(issue)
    assert "業務コード" in ja and "unknown task code 'card_isuance'" in en


def test_missing_required_field() -> None:
    issue = _issue(_edit("  municipality: 新宿区\n", ""), "schema.missing")
    assert issue.path == ("plan", "municipality")
    assert (issue.line, issue.column) == (2, 1)  # located at the mapping that lacks it
    ja, en = _rendered(issue)
    assert "municipality" in ja and "required field 'municipality' is missing" in en


def test_invalid_role() -> None:
    issue = _issue(_edit("role: contractor", "role: vendor"), "schema.literal")
    assert (issue.line, issue.column) == (22, 5)
    assert issue.found == "vendor"
    ja, en = _rendered(issue)
    assert "'principal', 'delegate', 'contractor' or 'subcontractor'" in en
    assert "使用できる値" in ja


@pytest.mark.parametrize(
    ("value", "reason", "ja_text", "en_text"),
    [
        ("令和元年4月30日", "date.era_range", "元号の期間外", "date outside the era"),
        ('"2020-02-30"', "date.invalid", "存在しない日付", "no such date"),
        ("平成0年1月1日", "date.era_year_zero", "元年", "era years start at 1"),
        ("5月25日", "date.format", "日付の形式", "unrecognised date form"),
        ("2020-05-25 10:00:00", "date.format", "日付の形式", "unrecognised date form"),
    ],
)
def test_bad_dates(value: str, reason: str, ja_text: str, en_text: str) -> None:
    issue = _issue(_edit("  effective_date: 2020-05-25\n", f"  effective_date: {value}\n"), "schema.date")
    assert (issue.line, issue.column) == (7, 3)
    assert issue.params["reason"] == Msg(reason)
    ja, en = _rendered(issue)
    assert ja_text in ja and en_text in en


def test_unquoted_impossible_date_is_a_located_issue() -> None:
    issues = _issues(_edit("  effective_date: 2020-05-25\n", "  effective_date: 2020-02-30\n"))
    assert [i.line for i in issues] == [7]
    ja, en = _rendered(issues[0])
    assert "2020-02-30" in ja and "2020-02-30" in en


def test_dangling_received_from() -> None:
    text = _edit("    received_from: jlis\n", "    received_from: jlsi\n")
    issue = _issue(text, "ref.unknown_party")
    assert issue.path == ("parties", 2, "received_from")
    assert (issue.line, issue.column) == (23, 5)
    assert issue.suggestions == ("jlis",)
    ja, en = _rendered(issue)
    assert "「jlsi」" in ja and "party 'jlsi' is not defined" in en and "did you mean: jlis" in en


def test_dangling_transfer_to() -> None:
    issue = _issue(_edit("    to: jlis\n", "    to: jils\n"), "ref.unknown_party")
    assert issue.path == ("transfers", 0, "to")
    assert (issue.line, issue.column) == (27, 5)
    _rendered(issue)


def test_dangling_measure_implemented_by() -> None:
    text = _edit("implemented_by: [ward, jlis]", "implemented_by: [ward, wrad]")
    issue = _issue(text, "ref.unknown_party")
    assert issue.path == ("measures", 0, "implemented_by", 1)
    assert (issue.line, issue.column) == (33, _col(text, 33, "wrad"))
    assert issue.suggestions[0] == "ward"
    _rendered(issue)


def test_dangling_permission_granted_by() -> None:
    text = _add_parties("id: sub, name: s, role: subcontractor, received_from: printer, permission: {granted_by: jlsi}")
    issue = _issue(text, "ref.unknown_party")
    assert issue.path == ("parties", 3, "permission", "granted_by")
    assert (issue.line, issue.column) == (24, _col(text, 24, "granted_by"))


def test_cycle_between_two_subcontractors() -> None:
    text = _add_parties(
        "id: sub1, name: a, role: subcontractor, received_from: sub2",
        "id: sub2, name: b, role: subcontractor, received_from: sub1",
    )
    issues = _issues(text)
    assert [i.key for i in issues] == ["ref.cycle"]  # reported once, not once per member
    issue = issues[0]
    assert issue.params == {"chain": "sub1 → sub2 → sub1"}
    assert (issue.line, issue.column) == (24, _col(text, 24, "received_from"))
    ja, en = _rendered(issue)
    assert "sub1 → sub2 → sub1" in ja and "cycle" in en


def test_subcontractor_without_upstream() -> None:
    text = _add_parties("id: sub, name: s, role: subcontractor")
    issue = _issue(text, "ref.missing_upstream")
    assert issue.path == ("parties", 3, "role")
    assert (issue.line, issue.column) == (24, _col(text, 24, "role"))
    ja, en = _rendered(issue)
    assert "再委託先" in ja and "subcontractor needs received_from" in en


def test_subcontractor_whose_upstream_does_not_exist() -> None:
    text = _add_parties("id: sub, name: s, role: subcontractor, received_from: pritner")
    issue = _issue(text, "ref.unknown_party")
    assert issue.suggestions == ("printer",)
    assert issue.line == 24


def test_contractor_whose_upstream_is_a_subcontractor() -> None:
    text = _add_parties(
        "id: sub, name: s, role: subcontractor, received_from: printer",
        "id: c2, name: c, role: contractor, received_from: sub",
    )
    issue = _issue(text, "ref.bad_upstream_role")
    assert issue.path == ("parties", 4, "received_from")
    assert (issue.line, issue.column) == (25, _col(text, 25, "received_from"))
    assert issue.params["found"] == "sub (subcontractor)"
    ja, en = _rendered(issue)
    assert "委託先" in ja and "a contractor must receive the work from a principal / delegate" in en


def test_subcontractor_directly_under_the_principal() -> None:
    issue = _issue(_add_parties("id: sub, name: s, role: subcontractor, received_from: ward"), "ref.bad_upstream_role")
    assert issue.params["found"] == "ward (principal)"


def test_duplicate_party_id() -> None:
    text = _edit("  - id: printer\n", "  - id: jlis\n")
    issue = _issue(text, "ref.duplicate_id")
    assert issue.path == ("parties", 2, "id")
    assert (issue.line, issue.column) == (20, 5)
    assert issue.params == {"ref": "jlis", "first": "parties[1].id"}
    ja, en = _rendered(issue)
    assert "parties[1].id" in ja and "id 'jlis' is used twice" in en


def test_ids_share_one_namespace_across_subjects() -> None:
    issue = _issue(_edit("  - id: t1\n", "  - id: printer\n"), "ref.duplicate_id")
    assert issue.path == ("transfers", 0, "id")
    assert issue.params["first"] == "parties[2].id"


def test_no_principal() -> None:
    text = _edit("    role: principal\n", "    role: delegate\n")
    issue = _issue(text, "ref.no_principal")
    assert (issue.line, issue.column) == (11, 1)
    ja, en = _rendered(issue)
    assert "principal" in ja and "no principal party" in en


def test_self_transfer() -> None:
    issue = _issue(_edit("    to: jlis\n", "    to: ward\n"), "ref.self_transfer")
    assert issue.line == 27
    _rendered(issue)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("- a\n- b\n", "syntax.root_not_mapping"),
        ("just text\n", "syntax.root_not_mapping"),
        ("---\n", "syntax.empty"),
        ("", "syntax.empty"),
        ("a: 1\n---\nb: 2\n", "syntax.multiple_documents"),
    ],
)
def test_not_a_single_mapping(text: str, key: str) -> None:
    issue = _issue(text, key)
    assert issue.line is not None
    _rendered(issue)


def test_identifier_must_be_ascii() -> None:
    issue = _issue(_edit("  - id: printer\n", "  - id: 印刷会社\n"), "schema.pattern")
    assert issue.line == 20
    _rendered(issue)


def test_boolean_in_text_field_is_rejected() -> None:
    issue = _issue(_edit("    name: 印刷会社\n", "    name: yes\n"), "schema.type")
    assert issue.params == {"expected": Msg("type.string")}
    assert issue.line == 21


def test_parties_must_not_be_empty() -> None:
    issue = _issue(MIN[: MIN.index("parties:")] + "parties: []\n", "schema.too_short")
    assert issue.line == 11
    _rendered(issue)


def test_unknown_schema_version() -> None:
    issue = _issue(_edit("schema_version: 1\n", "schema_version: 2\n"), "schema.literal")
    assert (issue.line, issue.column) == (1, 1)


def test_several_problems_are_all_reported_in_file_order() -> None:
    text = _edit("    count: 1000\n", "    count: many\n")
    text = _edit("role: contractor", "role: vendor", text)
    text = _edit("[transfer.encryption, network.firewall]", "[transfer.encryption, network.firewal]", text)
    issues = _issues(text)
    assert [(i.key, i.line) for i in issues] == [
        ("schema.type", 10),
        ("schema.literal", 22),
        ("schema.unknown_code", 32),
    ]


def test_json_errors_are_located_in_the_json_file() -> None:
    data = _load(MIN).model_dump(mode="json", by_alias=True, exclude_none=True)
    data["parties"][2]["role"] = "vendor"
    text = json.dumps(data, ensure_ascii=False, indent=2)
    issue = _issue(text, "schema.literal", name="plan.json", fmt="json")
    assert issue.line is not None and '"role": "vendor"' in text.splitlines()[issue.line - 1]
    _rendered(issue)


# --- files -----------------------------------------------------------------------------------------


def _load_issue(path: Path | str) -> InputIssue:
    with pytest.raises(InputError) as info:
        load_declaration(path)
    assert len(info.value.issues) == 1
    return info.value.issues[0]


@pytest.mark.parametrize("suffix", [".txt", ".xlsx", ""])
def test_unsupported_extension(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"plan{suffix}"
    path.write_text(MIN, encoding="utf-8")
    issue = _load_issue(path)
    assert issue.key == "io.unsupported_extension"
    assert issue.params == {"ext": suffix or "-"}
    ja, en = _rendered(issue)
    assert str(path) in ja and "unsupported file extension" in en


def test_file_not_found(tmp_path: Path) -> None:
    path = tmp_path / "missing.yaml"
    issue = _load_issue(path)
    assert issue.key == "io.not_found"
    assert issue.line is None
    ja, en = _rendered(issue)
    assert "ファイルが見つかりません" in ja and "file not found" in en


def test_directory(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.mkdir()
    assert _load_issue(path).key == "io.is_directory"


def test_too_large(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(MIN, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_declaration(path, max_bytes=100)
    assert [i.key for i in info.value.issues] == ["io.too_large"]


def test_binary_file() -> None:
    issue = _load_issue(DATA / "binary.yaml")
    assert issue.key == "decode.binary"
    assert (issue.line, issue.column) == (1, 6)  # the first NUL byte
    ja, en = _rendered(issue)
    assert "バイナリ" in ja and "binary file" in en


def test_undecodable_file(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(MIN.encode("utf-8") + b"  # \xff\xfe\xfd\n")
    issue = _load_issue(path)
    assert issue.key in ("decode.undecodable", "decode.mixed")
    assert issue.line == MIN.count("\n") + 1
    _rendered(issue)


def test_issue_file_is_the_name_given(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(_edit("role: contractor", "role: vendor"), encoding="utf-8")
    assert _load_issue(path).file == str(path)


# --- normalisation ---------------------------------------------------------------------------------


def test_nfkc_in_text_fields() -> None:
    text = _edit("    name: 印刷会社\n", "    name: ＩＤ管理　ｶﾞｲﾄﾞ㈱\n")
    assert _load(text).parties[2].name == "ID管理 ガイド(株)"


def test_nfkc_in_keys() -> None:
    text = _edit("  title: テスト計画\n", "  ｔｉｔｌｅ: テスト計画\n")
    assert _load(text).plan.title == "テスト計画"


def test_full_width_digits_in_a_quoted_count_are_not_coerced() -> None:
    # Text fields are NFKC-normalised, but count is an int: pydantic reads ASCII digit strings in lax
    # mode, not full-width ones, and nothing normalises the string first. So "３４" is a type error.
    issue = _issue(_edit("    count: 1000\n", '    count: "３４"\n'), "schema.type")
    assert issue.params == {"expected": Msg("type.int")}
    assert issue.found == "３４"
    assert issue.line == 10
    assert _load(_edit("    count: 1000\n", '    count: "34"\n')).plan.subjects.count == 34  # type: ignore[union-attr]


def test_unquoted_numbers_in_text_fields_become_text() -> None:
    text = _edit("    name: 印刷会社\n", "    name: 2020\n")
    text = _edit("    text: 暗号化する。\n", "    text: 1.5\n", text)
    decl = _load(text)
    assert decl.parties[2].name == "2020"
    assert decl.measures[0].text == "1.5"


def test_unquoted_numbers_in_text_fields_keep_their_spelling() -> None:
    text = _edit("    name: 印刷会社\n", "    name: 印刷会社\n    note: 0120\n")
    text = _edit("    text: 暗号化する。\n", "    text: 暗号化する。\n    source: {item: 1.10}\n", text)
    decl = _load(text)
    assert decl.parties[2].note == "0120"
    assert decl.measures[0].source is not None and decl.measures[0].source.item == "1.10"


def test_full_width_role_is_accepted() -> None:
    text = _edit("role: contractor", "role: ｃｏｎｔｒａｃｔｏｒ")
    assert _load(text).parties[2].role == "contractor"


# --- Japanese keys and values ----------------------------------------------------------------------

JAPANESE = """\
計画:
  件名: テスト計画
  団体: 新宿区
  保有課: 戸籍住民課
  報告区分: 報告
  変更日: 令和2年5月25日
  対象者:
    個人の範囲: 新宿区の住民
    対象者数: 1000
当事者:
  - {id: ward, 名称: 新宿区, 役割: 委任元}
  - {id: jlis, 名称: 機構, 役割: 委任先, 受託元: ward, 業務: [card_issuance]}
  - {id: printer, 名称: 印刷会社, 役割: 委託先, 受託元: jlis}
送付:
  - {id: t1, from: ward, to: jlis, 方法: jukinet, 暗号化: true}
対策:
  - id: m1
    codes: [transfer.encryption, network.firewall]
    implemented_by: [ward, jlis]
    区分: システム上の対策
    本文: 暗号化する。
"""


def test_japanese_keys_and_values_give_the_same_model() -> None:
    assert _load(JAPANESE) == _load(MIN)


@pytest.mark.parametrize(("alias", "field"), [("件名", "title"), ("保有課", "department"), ("担当課", "department")])
def test_single_japanese_key(alias: str, field: str) -> None:
    text = _edit(f"  {field}: ", f"  {alias}: ")
    assert _load(text) == _load(MIN)


def test_japanese_key_for_effective_date() -> None:
    text = _edit("  effective_date: 2020-05-25\n", "  変更日: 2020-05-25\n")
    assert _load(text).plan.effective_date == D(2020, 5, 25)


def test_japanese_and_english_spelling_of_one_key_is_a_duplicate() -> None:
    issue = _issue(_edit("  title: テスト計画\n", "  title: テスト計画\n  件名: 別の件名\n"), "syntax.duplicate_key")
    assert issue.params == {"key": "title", "first_line": 3}
    assert issue.line == 4


def test_errors_under_japanese_keys_are_located() -> None:
    issue = _issue(_edit("  団体: 新宿区\n", "", JAPANESE), "schema.missing")
    assert issue.path == ("plan", "municipality")
    assert issue.line == 1


# --- 和暦 ------------------------------------------------------------------------------------------


def test_wareki_dates_in_every_form() -> None:
    text = _edit("  effective_date: 2020-05-25\n", "  effective_date: 令和2年5月25日\n")
    text = _edit(
        "  subjects:\n",
        "  period: {start: R2.5.25, end: 令和３年３月３１日, note: 開始}\n  subjects:\n",
        text,
    )
    text = _edit("    count: 1000\n", "    count: 1000\n    as_of: 令和元年5月1日\n", text)
    text = _edit("    tasks: [card_issuance]\n", "    tasks: [card_issuance]\n    since: H27.1.30\n", text)
    text = _add_parties(
        "id: sub, name: s, role: subcontractor, received_from: printer, "
        "permission: {granted_by: ward, granted_on: 平成31年4月30日}",
        text=text,
    )
    decl = _load(text)
    assert decl.plan.effective_date == D(2020, 5, 25)
    assert decl.plan.period is not None
    assert (decl.plan.period.start, decl.plan.period.end) == (D(2020, 5, 25), D(2021, 3, 31))
    assert decl.plan.subjects is not None and decl.plan.subjects.as_of == D(2019, 5, 1)
    assert decl.parties[1].since == D(2015, 1, 30)
    assert decl.parties[3].permission is not None
    assert decl.parties[3].permission.granted_on == D(2019, 4, 30)


def test_dates_serialise_as_iso() -> None:
    text = _edit("  effective_date: 2020-05-25\n", "  effective_date: R2.5.25\n")
    assert _load(text).model_dump(mode="json")["plan"]["effective_date"] == "2020-05-25"
