"""What every format promises: registry, determinism, catalogue text in the chosen language."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from safeguard_check.findings.model import Report
from safeguard_check.messages import LANGS, catalog
from safeguard_check.report import formats
from safeguard_check.report.formats import FORMATS, SUFFIXES

from .helpers import REPO, japanese_leftovers

TEXT_FORMATS = ["sarif", "junit", "markdown", "html"]
FORMATS_DIR = Path(formats.__file__).parent


def test_registry_names_every_format() -> None:
    assert list(FORMATS) == [
        "json", "sarif", "junit", "markdown", "html", "github", "gitlab", "concise", "step-summary"
    ]  # fmt: skip
    assert set(SUFFIXES) == set(FORMATS) | {"sarif-dir"}  # a directory of SARIF files (report/sarif_dir.py)


@pytest.mark.parametrize("name", list(FORMATS))
@pytest.mark.parametrize("lang", LANGS)
def test_output_is_text_ending_with_one_newline(shinjuku: Report, name: str, lang: str) -> None:
    out = FORMATS[name](shinjuku, lang)  # type: ignore[arg-type]
    assert out.endswith("\n") and not out.endswith("\n\n")
    assert "\r" not in out


@pytest.mark.parametrize("name", list(FORMATS))
@pytest.mark.parametrize("lang", LANGS)
def test_rendering_twice_gives_identical_output(all_reports: dict[str, Report], name: str, lang: str) -> None:
    for report in all_reports.values():
        assert FORMATS[name](report, lang) == FORMATS[name](report, lang)  # type: ignore[arg-type]


_DIGEST_SCRIPT = """
import hashlib, os, sys
sys.path.insert(0, os.getcwd())
from tests.report.helpers import SHINJUKU, checked, report_of, with_waived
from safeguard_check.report.formats import FORMATS
report = report_of(with_waived(checked(SHINJUKU)), waivers_file="waivers.yaml")
for name, render in FORMATS.items():
    for lang in ("ja", "en"):
        print(name, lang, hashlib.sha256(render(report, lang).encode()).hexdigest())
"""


def test_output_does_not_depend_on_the_process(waived: Report) -> None:
    """Byte-identical across interpreter runs with different string hashing (set/dict order)."""
    digests = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", _DIGEST_SCRIPT], cwd=REPO, env=env, capture_output=True, text=True, check=True
        )
        digests.append(run.stdout)
    here = "".join(
        f"{name} {lang} {hashlib.sha256(render(waived, lang).encode()).hexdigest()}\n"
        for name, render in FORMATS.items()
        for lang in LANGS
    )
    assert digests[0] == digests[1] == here


def _json_strings(node: object) -> list[str]:
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in (k, *_json_strings(v))]
    if isinstance(node, list):
        return [s for item in node for s in _json_strings(item)]
    return [node] if isinstance(node, str) else []


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts += [v for _, v in attrs if v]

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _texts(name: str, out: str) -> str:
    """The text a reader sees in ``out``: markup removed, escapes resolved, one piece a line."""
    if name == "sarif":
        return "\n".join(_json_strings(json.loads(out)))
    if name == "junit":
        root = ET.fromstring(out)
        return "\n".join(s for el in root.iter() for s in (el.text or "", *el.attrib.values()) if s.strip())
    if name == "html":
        parser = _Text()
        parser.feed(out)
        return "\n".join(parser.parts)
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", out).replace("<br>", "\n")


@pytest.mark.parametrize("name", TEXT_FORMATS)
def test_english_output_has_no_japanese_but_the_plans_own(all_reports: dict[str, Report], name: str) -> None:
    for key in ("shinjuku", "waived", "two_plans"):
        report = all_reports[key]
        assert japanese_leftovers(_texts(name, FORMATS[name](report, "en")), report) == [], key
    # and the check does find catalogue Japanese when there is some
    ja = _texts(name, FORMATS[name](all_reports["waived"], "ja"))
    assert japanese_leftovers(ja, all_reports["waived"])


def _used_keys() -> set[str]:
    keys: set[str] = set()
    for path in FORMATS_DIR.glob("*.py"):
        keys |= set(re.findall(r"""["'](fmt\.[a-z_.]+[a-z_])["']""", path.read_text(encoding="utf-8")))
    keys |= {f"fmt.coverage.status.{s}" for s in ("satisfied", "gap", "waived", "not_applicable")}
    keys |= {f"fmt.reading.kind.{k}" for k in ("measure", "clause", "other")}
    return keys


def test_every_catalogue_key_used_exists_in_both_languages() -> None:
    entries = catalog()
    used = _used_keys()
    assert used, "no fmt.* keys found: the scan is broken"
    for key in sorted(used):
        assert key in entries, key
        assert entries[key].get("ja") and entries[key].get("en"), key
    unused = {k for k in entries if k.startswith("fmt.")} - used
    assert not unused, f"fmt.* keys no format uses: {sorted(unused)}"


@pytest.mark.parametrize(
    ("name", "ja", "en"),
    [
        ("markdown", "重大度別の件数", "Findings by severity"),
        ("markdown", "要件 × 当事者の対応表", "Requirements × parties"),
        ("html", "適用法令の基準日", "Law applied as of"),
        ("html", "修正案", "Suggested wording"),
        ("junit", "不足している対策", "Missing"),
        ("sarif", "根拠", "Legal basis"),
    ],
)
def test_headings_follow_the_language(waived: Report, name: str, ja: str, en: str) -> None:
    ja_out, en_out = FORMATS[name](waived, "ja"), FORMATS[name](waived, "en")
    assert ja in ja_out and en not in ja_out
    assert en in en_out and ja not in en_out


def test_json_does_not_depend_on_the_language(waived: Report) -> None:
    assert FORMATS["json"](waived, "ja") == FORMATS["json"](waived, "en")


@pytest.mark.parametrize("name", list(FORMATS))
def test_a_report_without_plans_still_renders(name: str) -> None:
    from safeguard_check import __version__

    empty = Report(tool_version=__version__, fail_on="high", results=())
    out = FORMATS[name](empty, "ja")
    # A line format (one line per finding) has nothing to say; the others are whole documents.
    assert out == "" if name in ("github", "concise") else out.endswith("\n")


@pytest.mark.parametrize("name", list(FORMATS))
@pytest.mark.parametrize("lang", LANGS)
def test_every_format_is_written_a_plan_at_a_time(two_plans: Report, name: str, lang: str) -> None:
    """A batch's document is never held whole: the CLI writes it in pieces, at least one per plan
    (SARIF: one per finding), which joined are exactly the formatter's text."""
    from safeguard_check.report.formats import pieces

    written = list(pieces(name, two_plans, lang))  # type: ignore[arg-type]
    assert "".join(written) == FORMATS[name](two_plans, lang)  # type: ignore[arg-type]
    assert len(written) > len(two_plans.results) + 1
    assert max(len(p) for p in written) < len("".join(written))
