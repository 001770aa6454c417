"""The My Number leak guard: detection, masking in the text, the finding, and no real digits in any output."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from safeguard_check import __version__
from safeguard_check.check import check_plan
from safeguard_check.engine import durable
from safeguard_check.errors import InputError, render
from safeguard_check.findings.model import CheckResult, Report
from safeguard_check.leakguard import (
    LeakHit,
    check_digit,
    contains_individual_number,
    guard_text,
    is_individual_number,
    redact,
    redact_issue,
)
from safeguard_check.load.catalog import load_catalog
from safeguard_check.load.declaration import LoadedPlan, load_declaration, parse_declaration
from safeguard_check.report.formats import FORMATS
from safeguard_check.report.summary import print_summary
from safeguard_check.report.terminal import render_result

REPO = Path(__file__).resolve().parent.parent
MINIMAL = (REPO / "tests" / "data" / "minimal.yaml").read_text(encoding="utf-8")
CATALOG = load_catalog()
RULE = "SGC-LEAK-MYNUMBER"

FW = str.maketrans("0123456789", "０１２３４５６７８９")


def reference_check_digit(first11: str) -> int:
    """The ordinance's formula written out independently: weights by position from the right."""
    weights = [2, 3, 4, 5, 6, 7, 2, 3, 4, 5, 6]  # Q1 … Q11
    total = sum(int(d) * q for d, q in zip(reversed(first11), weights, strict=True))
    r = total % 11
    return 0 if r <= 1 else 11 - r


def valid(prefix: str) -> str:
    return prefix + str(reference_check_digit(prefix))


def wrong(prefix: str) -> str:
    return prefix + str((reference_check_digit(prefix) + 1) % 10)


KNOWN_VALID = ["123456789018", valid("98765432109"), valid("31415926535"), valid("20200525000"), valid("11111111112")]
KNOWN_INVALID = ["123456789012", "123456789010", wrong("98765432109"), wrong("31415926535")]


def grouped(number: str, sep: str = " ") -> str:
    return sep.join((number[:4], number[4:8], number[8:]))


# --- the check digit -------------------------------------------------------------------------------


def test_ordinance_example() -> None:
    assert check_digit("12345678901") == 8
    assert is_individual_number("123456789018")
    assert not is_individual_number("123456789012")


@given(st.from_regex(r"\A[0-9]{11}\Z"))
def test_check_digit_matches_the_formula(prefix: str) -> None:
    assert check_digit(prefix) == reference_check_digit(prefix)
    if len(set(prefix)) > 1:
        assert is_individual_number(valid(prefix))
    assert not is_individual_number(wrong(prefix))


@pytest.mark.parametrize("bad", ["", "1234567890", "１２３４５６７８９０１", "1234567890a"])
def test_check_digit_wants_eleven_ascii_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        check_digit(bad)


def test_placeholders_are_left_alone() -> None:
    assert reference_check_digit("00000000000") == 0
    assert not is_individual_number("000000000000")


# --- finding numbers in text -----------------------------------------------------------------------


@pytest.mark.parametrize("number", KNOWN_VALID)
@pytest.mark.parametrize(
    "form",
    [
        lambda n: n,
        lambda n: n.translate(FW),
        lambda n: grouped(n),
        lambda n: grouped(n, "-"),
        lambda n: grouped(n, "\u3000"),
        lambda n: grouped(n.translate(FW), "－"),
        lambda n: grouped(n.translate(FW), "ー"),
        lambda n: n[:8] + "-" + n[8:],
        lambda n: "2020-05-25 " + grouped(n),
    ],
    ids=["plain", "fullwidth", "spaces", "hyphens", "ideographic-space", "fw-hyphens", "choonpu", "8-4", "after-date"],
)
def test_forms_are_found_and_masked(number: str, form: Any) -> None:
    written = form(number)
    text = f"note: 番号 {written} です\n"
    masked, hits = guard_text(text)
    assert len(hits) == 1
    assert hits[0].redacted == "********" + number[-4:]
    offset = len("2020-05-25 ") if written.startswith("2020-05-25 ") else 0
    assert (hits[0].line, hits[0].column) == (1, text.index(written) + offset + 1)
    assert len(masked) == len(text)
    assert number not in masked and written not in masked
    assert masked.count("＊") == 8
    assert not contains_individual_number(masked)


def test_column_of_a_hit() -> None:
    _, hits = guard_text("a: x\nnote: 番号 1234 5678 9018\n")
    assert hits == (LeakHit(2, 10, "********9018"),)


@pytest.mark.parametrize("number", KNOWN_INVALID)
def test_wrong_check_digit_is_left_alone(number: str) -> None:
    for written in (number, grouped(number), number.translate(FW)):
        text = f"note: {written}\n"
        assert guard_text(text) == (text, ())


@pytest.mark.parametrize(
    "text",
    [
        "1234567890180",  # 13 digits: a 法人番号 shape
        "0123456789018",
        "11234567890189",
        "4111 1234 5678 9018",  # four 4-digit groups: a card number, not a My Number
        "1234 5678 9018 4111",
        "1234_5678_9018",  # `_` is not a separator in text (identifiers); ints with _ are caught after parsing
        "1234  5678  9018",  # double separators break the run
    ],
)
def test_longer_runs_are_left_alone(text: str) -> None:
    assert guard_text(text) == (text, ())


def test_card_format_inside_a_longer_grouped_run_is_found() -> None:
    # Three 4-digit groups are the printed form of a My Number: found even when other digit groups
    # follow or precede (but not a fourth 4-digit group: that is a card number).
    for text in ("1234 5678 9018 7", "no. 1 1234-5678-9018", "03-1234 5678 9018"):
        masked, hits = guard_text(text)
        assert [h.redacted for h in hits] == ["********9018"], text
        assert "1234" not in masked.replace("03-1234", "")


def test_several_numbers_each_found() -> None:
    a, b = KNOWN_VALID[0], KNOWN_VALID[1]
    text = f"# {a}\nx: [{grouped(b)}, 1]\ny: {a.translate(FW)}\n"
    masked, hits = guard_text(text)
    assert [(h.line, h.column) for h in hits] == [(1, 3), (2, 5), (3, 4)]
    assert a not in masked and grouped(b) not in masked


def test_json_bare_number_becomes_a_string_of_the_same_length() -> None:
    text = '{"a": 123456789018, "b": [-123456789018], "c": "x 123456789018 y"}'
    masked, hits = guard_text(text, "json")
    assert len(hits) == 3 and len(masked) == len(text)
    data = json.loads(masked)
    assert data["a"] == "＊＊＊＊＊＊9018"
    assert data["b"] == ["＊＊＊＊＊＊＊9018"]
    assert data["c"] == "x ＊＊＊＊＊＊＊＊9018 y"


def test_redact_keeps_separators_and_last_four() -> None:
    assert redact("no 1234-5678-9018.") == "no ****-****-9018."
    assert redact("①②③④⑤⑥⑦⑧⑨⓪①⑧") == "********9018"  # only visible after NFKC
    assert redact("123456789012") == "123456789012"


# --- through the loader ----------------------------------------------------------------------------


def _load(text: str, fmt: str = "yaml") -> LoadedPlan:
    return parse_declaration(text, f"plan.{fmt}", fmt)  # type: ignore[arg-type]


def _issues(text: str, fmt: str = "yaml") -> list[str]:
    with pytest.raises(InputError) as info:
        _load(text, fmt)
    return [render(i, lang) for i in info.value.issues for lang in ("ja", "en")]


def _plan_with(line: str, where: str = "  - ") -> str:
    """MINIMAL with a `notes:` list holding ``line`` under plan (or ``line`` verbatim at the end)."""
    head, tail = MINIMAL.split("parties:\n", 1)
    if where == "end":
        return MINIMAL + line + "\n"
    return head + "  notes:\n" + where + line + "\nparties:\n" + tail


@pytest.mark.parametrize(
    "case",
    [
        ("comment", lambda n: MINIMAL + f"# 誤記 {n}\n"),
        ("value", lambda n: _plan_with(f"住民 {grouped(n)}")),
        ("fullwidth-value", lambda n: _plan_with(f"住民 {n.translate(FW)}")),
        ("quoted-value", lambda n: _plan_with(f'"番号: {n}"')),
        ("single-quoted", lambda n: _plan_with(f"'{n}'")),
        ("bare-int", lambda n: _plan_with(n)),
        ("folded", lambda n: _plan_with(f">-\n    住民 {n[:4]}\n    {n[4:8]} {n[8:]}")),
        ("yaml-escapes", lambda n: _plan_with('"' + "".join(f"\\x3{d}" for d in n) + '"')),
        ("circled", lambda n: _plan_with("".join("⓪①②③④⑤⑥⑦⑧⑨"[int(d)] for d in n))),
    ],
    ids=lambda c: c[0],
)
def test_loaded_plan_carries_the_hit_and_never_the_digits(case: Any) -> None:
    number = KNOWN_VALID[1]
    text = case[1](number)
    plan = _load(text)
    assert len(plan.leaks) == 1, plan.leaks
    hit = plan.leaks[0]
    assert hit.redacted == "********" + number[-4:]
    expected_line = text[: text.index("  notes:")].count("\n") + 2 if "  notes:" in text else text.count("\n")
    assert hit.line == expected_line
    dumped = plan.declaration.model_dump_json()
    assert number not in dumped
    if case[0] != "comment":
        assert "****" in dumped and number[-4:] in dumped


def test_integers_in_hex_or_with_underscores_are_caught_after_parsing() -> None:
    number = int(KNOWN_VALID[0])
    for literal in (hex(number), f"{number:_}"):
        with pytest.raises(InputError) as info:
            _load(MINIMAL.replace("count: 1000", f"count: {literal}"))
        keys = [i.key for i in info.value.issues]
        assert "leak.individual_number" in keys, keys
        assert all(str(number) not in render(i, "en") for i in info.value.issues)


def test_json_escapes_are_caught_after_parsing() -> None:
    import yaml

    data = yaml.safe_load(MINIMAL)
    data["plan"]["notes"] = ["PLACEHOLDER"]
    escaped = "".join(f"\\u003{d}" for d in KNOWN_VALID[0])
    text = json.dumps(data, ensure_ascii=False, default=str).replace("PLACEHOLDER", escaped)
    plan = _load(text, "json")
    assert [h.redacted for h in plan.leaks] == ["********9018"]
    assert plan.leaks[0].origin == "value"
    assert KNOWN_VALID[0] not in plan.declaration.model_dump_json()


def test_number_in_a_key_is_masked_in_the_unknown_key_message() -> None:
    messages = _issues(_plan_with(f"{KNOWN_VALID[0]}: x", where="end"))
    joined = "\n".join(messages)
    assert KNOWN_VALID[0] not in joined
    assert "＊＊＊＊＊＊＊＊9018" in joined or "********9018" in joined
    assert any("plan.yaml:" in m and "9018" in m for m in messages)


def test_yaml_syntax_error_echo_is_masked() -> None:
    text = MINIMAL + f"broken: [{KNOWN_VALID[0]}\n"
    messages = _issues(text)
    assert messages
    assert all(KNOWN_VALID[0] not in m for m in messages)
    assert any("leak" in m or "個人番号" in m for m in messages)


def test_wrong_type_message_is_masked() -> None:
    messages = _issues(MINIMAL.replace("count: 1000", f"count: {KNOWN_VALID[0]}"))
    joined = "\n".join(messages)
    assert KNOWN_VALID[0] not in joined
    assert f"{int(KNOWN_VALID[0]):,}" not in joined
    assert "個人番号と思われる番号" in joined and "appears to be an individual number" in joined


def test_redact_issue_masks_every_text() -> None:
    from safeguard_check.errors import InputIssue
    from safeguard_check.messages import Msg

    issue = InputIssue(
        "f.yaml",
        1,
        1,
        "schema.other",
        {"detail": "x 123456789018", "m": Msg("k", {"v": "123456789018"})},
        ("a", "123456789018"),
        "123456789018",
        "123456789018",
        ("123456789018",),
    )
    masked = redact_issue(issue)
    assert "123456789018" not in repr(masked)
    clean = InputIssue("f.yaml", 1, 1, "schema.other", {"detail": "123456789012"})
    assert redact_issue(clean) is clean


# --- the finding -----------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["durable", "reference"])
def test_finding_is_critical_located_and_cited(engine: str) -> None:
    text = _plan_with(f"住民 {grouped(KNOWN_VALID[0])}")
    plan = _load(text)
    result = check_plan(plan, CATALOG, engine=engine)  # type: ignore[arg-type]
    leaks = [f for f in result.findings if f.rule_id == RULE]
    assert len(leaks) == 1
    f = leaks[0]
    assert f.severity == "critical" and f.subject_kind == "document"
    assert f.line == plan.leaks[0].line
    assert "1234 5678 9018" in text.splitlines()[f.line - 1]
    cited = {r.id for r in f.requirements}
    assert {"SHOREI85-5", "BANGO-12"} <= cited
    assert f.subject_name == "********9018"
    assert result.findings[0].severity == "critical"


def test_both_engines_agree_on_several_leaks() -> None:
    text = MINIMAL + "".join(f"# {n}\n" for n in KNOWN_VALID)
    plan = _load(text)
    assert len(plan.leaks) == len([n for n in KNOWN_VALID if is_individual_number(n)])
    by_engine = [
        {(f.rule_id, f.subject_id, f.line) for f in check_plan(plan, CATALOG, engine=e).findings}  # type: ignore[arg-type]
        for e in ("durable", "reference")
    ]
    assert by_engine[0] == by_engine[1]
    assert len([k for k in by_engine[0] if k[0] == RULE]) == len(plan.leaks)


def test_clean_plan_has_no_leak_finding() -> None:
    result = check_plan(_load(MINIMAL), CATALOG)
    assert RULE in result.rules_run
    assert not [f for f in result.findings if f.rule_id == RULE]


def test_shorei85_5_is_machine_checkable_now() -> None:
    req = CATALOG.requirements["SHOREI85-5"]
    assert req.machine_checkable and req.not_checkable_reason is None
    assert any("SHOREI85-5" in r.implements for r in CATALOG.rules)


def test_engine_unavailable_is_reported_with_the_reference_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from safeguard_check.messages import t

    real_import = builtins.__import__

    def no_durable(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "durable" or name.startswith("durable."):
            raise ImportError("No module named 'durable' (simulated)")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_durable)
    monkeypatch.setattr(durable.CompiledRuleset, "_cache", {})
    monkeypatch.setattr(durable.CompiledRuleset, "_by_identity", {})
    plan = _load(MINIMAL)
    with pytest.raises(durable.EngineUnavailable) as info:
        check_plan(plan, CATALOG, engine="durable")
    assert "simulated" in str(info.value)
    # the reference engine still works without durable-rules
    assert check_plan(plan, CATALOG, engine="reference").findings
    for lang in ("ja", "en"):
        text = t("cli.engine_unavailable", lang, detail=str(info.value))
        assert "--engine reference" in text


# --- no output ever shows the digits ---------------------------------------------------------------


def _outputs(loaded: LoadedPlan, result: CheckResult, terminal_langs: tuple[str, ...] = ("ja", "en")) -> dict[str, str]:
    """Every report format in both languages, and the terminal report (summary + findings)."""
    report = Report(tool_version=__version__, fail_on="high", results=(result,))
    out: dict[str, str] = {}
    for lang in ("ja", "en"):
        for name, formatter in FORMATS.items():
            out[f"{name}-{lang}"] = formatter(report, lang)  # type: ignore[arg-type]
    for lang in terminal_langs:
        buffer = io.StringIO()
        console = Console(file=buffer, width=100, color_system=None, highlight=False, markup=False, emoji=False)
        print_summary(loaded, console, lang)  # type: ignore[arg-type]
        render_result(result, console, lang)  # type: ignore[arg-type]
        out[f"terminal-{lang}"] = buffer.getvalue()
    return out


@pytest.mark.parametrize("number", KNOWN_VALID[:2])
def test_known_numbers_are_masked_in_every_output_in_both_languages(number: str) -> None:
    loaded = _load(_plan_with(f"住民 {number} / {grouped(number.translate(FW))}"))
    assert len(loaded.leaks) == 2
    result = check_plan(loaded, CATALOG)
    outputs = _outputs(loaded, result)
    assert set(outputs) == {f"{n}-{lang}" for n in (*FORMATS, "terminal") for lang in ("ja", "en")}
    for name, text in outputs.items():
        assert number not in text and number.translate(FW) not in text, name
        assert "9018" in text or number[-4:] in text, name


_PLACES = st.sampled_from(["comment", "note", "note-grouped", "note-fullwidth", "title", "measure"])


def _place(number: str, place: str) -> str:
    if place == "comment":
        return MINIMAL + f"# {number}\n"
    if place == "note":
        return _plan_with(f"住民票 {number} 参照")
    if place == "note-grouped":
        return _plan_with(grouped(number, "-"))
    if place == "note-fullwidth":
        return _plan_with(grouped(number.translate(FW), "\u3000"))
    if place == "title":
        return MINIMAL.replace("title: 個人番号カード関連事務の委託について", f"title: {number}の委託について")
    return MINIMAL.replace("text: 送受信する情報は暗号化する。", f"text: 送受信する情報は暗号化する。{number}")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.from_regex(r"\A[0-9]{11}\Z").filter(lambda p: len(set(p)) > 1), _PLACES, st.sampled_from(["ja", "en"]))
def test_valid_numbers_are_found_and_masked_in_every_output(prefix: str, place: str, lang: str) -> None:
    number = valid(prefix)
    loaded = _load(_place(number, place))
    assert [h.redacted for h in loaded.leaks] == ["********" + number[-4:]]
    result = check_plan(loaded, CATALOG)
    assert [f.rule_id for f in result.findings].count(RULE) == 1
    for name, text in _outputs(loaded, result, (lang,)).items():
        assert number not in text, name
        assert grouped(number) not in text and grouped(number, "-") not in text, name
        assert number.translate(FW) not in text, name
        assert number[-4:] in text, name  # the masked form is shown


@settings(max_examples=100, deadline=None)
@given(st.from_regex(r"\A[0-9]{11}\Z"), _PLACES)
def test_wrong_check_digits_are_not_flagged(prefix: str, place: str) -> None:
    number = wrong(prefix)
    text = _place(number, place)
    assert guard_text(text) == (text, ())
    assert _load(text).leaks == ()


def test_load_declaration_reads_the_file(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(MINIMAL + "# 1234-5678-9018\n", encoding="cp932")
    plan = load_declaration(path)
    assert plan.encoding == "cp932"
    assert [(h.line, h.redacted) for h in plan.leaks] == [(MINIMAL.count("\n") + 1, "********9018")]


# --- a pasted resident list ------------------------------------------------------------------------


def test_many_numbers_are_all_masked_but_listed_up_to_the_cap() -> None:
    from safeguard_check.leakguard import MAX_HITS

    numbers = [valid(f"{i:011d}") for i in range(1, MAX_HITS + 51)]
    numbers = [n for n in numbers if is_individual_number(n)]
    text = MINIMAL + "".join(f"# {n}\n" for n in numbers)
    plan = _load(text)
    assert len(plan.leaks) == MAX_HITS
    assert plan.leaks[-1].more == len(numbers) - MAX_HITS
    result = check_plan(plan, CATALOG)
    leaks = [f for f in result.findings if f.rule_id == RULE]
    assert len(leaks) == MAX_HITS
    assert any(f.subject_name.endswith(f"(+{len(numbers) - MAX_HITS})") for f in leaks)
    out = _outputs(plan, result, ())
    for n in numbers:
        assert all(n not in text for text in out.values())
    # the same list in a plan that does not load: listed as issues, the rest counted
    with pytest.raises(InputError) as info:
        _load(text.replace("count: 1000", "count: many"))
    keys = [i.key for i in info.value.issues]
    assert keys.count("leak.individual_number") == MAX_HITS - 1
    assert keys.count("leak.individual_number_more") == 1
    more = next(i for i in info.value.issues if i.key == "leak.individual_number_more")
    assert str(len(numbers) - MAX_HITS) in render(more, "en")


def test_a_large_pasted_list_is_masked_in_bounded_time() -> None:
    import time

    text = MINIMAL + "".join(f"# {valid(f'{i:011d}')}\n" for i in range(1, 100_001))
    start = time.perf_counter()
    plan = _load(text)
    check_plan(plan, CATALOG)
    assert time.perf_counter() - start < 20  # about 1–2 s for 100 000 numbers (1.5 MB)
    assert len(plan.leaks) == 100 and plan.leaks[-1].more > 80_000


def test_a_value_with_both_plain_and_nfkc_only_numbers() -> None:
    from safeguard_check.leakguard import redact_string

    masked, forms = redact_string("a 123456789018 b ①②③④⑤⑥⑦⑧⑨⓪①⑧")
    assert forms == ["********9018", "********9018"]
    assert "12345678" not in masked
    assert redact_string("①② no number") == ("①② no number", [])  # untouched when nothing is found


_DIGITISH = "0123456789０１２３４５６７８９①⑫⒈٣ -‐ー－ab字\n"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_DIGITISH), max_size=60) | st.text(max_size=40))
def test_shortcut_for_strings_without_twelve_digits_changes_nothing(text: str) -> None:
    # The fast path skips strings that cannot hold a number; the full search must agree on every string.
    from safeguard_check import leakguard

    fast = (leakguard.redact_string(text), leakguard.contains_individual_number(text))
    original = leakguard._cannot_hold_a_number
    try:
        leakguard._cannot_hold_a_number = lambda _text: False  # type: ignore[assignment]
        slow = (leakguard.redact_string(text), leakguard.contains_individual_number(text))
    finally:
        leakguard._cannot_hold_a_number = original  # type: ignore[assignment]
    assert fast == slow


def test_shortcut_still_sees_numbers_made_by_nfkc() -> None:
    from safeguard_check.leakguard import _cannot_hold_a_number

    assert not _cannot_hold_a_number("⑫" * 6)  # NFKC turns each into two digits
    assert not _cannot_hold_a_number("1234 5678 9012")
    assert _cannot_hold_a_number("委託先は受託事業者（第3条）")
