"""The declared delegation plan, mirroring the council's 別紙 (attachment sheets).

The model is deliberately lossless: every sentence of a council document has a place (measures keep
their original text and where they came from), so a declaration can be compared with its source.
Codes (measure, task, system, auth factor, transfer method) are checked against the vocabulary here;
references between parts (party ids …) are checked in :mod:`safeguard_check.validate.references`,
which needs the whole plan.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from safeguard_check.data.vocabulary import suggest, vocabulary
from safeguard_check.load.normalize import normalize_text
from safeguard_check.load.wareki import DateParseError, parse_date


def _coerce_text(value: Any) -> Any:
    # YAML resolves unquoted 2020 or 1.5 to numbers; in a text field the author meant the text.
    if isinstance(value, bool):
        return value  # leave it to fail: `yes` in a text field is almost always a mistake
    if isinstance(value, (int, float)):
        # The loader keeps the written form of YAML numbers (`0120` stays "0120", not 80).
        raw = getattr(value, "raw", None)
        return raw if isinstance(raw, str) else str(value)
    return value


def _normalize(value: str) -> str:
    return normalize_text(value)


Text = Annotated[str, BeforeValidator(_coerce_text), AfterValidator(_normalize), Field(min_length=1)]
"""Free text; NFKC-normalised so that ＩＤ and ID, ２ and 2 compare equal."""

Ident = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$", max_length=80)]
"""An identifier the author chooses (party, transfer …); ASCII so it is easy to type in waivers."""


def _parse_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_form", "expected a date without time", {"value": str(value)})
    if isinstance(value, (str, dt.date)):
        try:
            return parse_date(value)
        except DateParseError as exc:
            raise PydanticCustomError(
                "date_form", "invalid date {value}", {"value": str(value), "reason": exc.reason_key}
            ) from None
    return value


PlanDate = Annotated[
    dt.date,
    BeforeValidator(_parse_date),
    PlainSerializer(lambda d: d.isoformat(), return_type=str),
    # Not "format: date": editors would then reject the 和暦 forms the loader accepts.
    WithJsonSchema(
        {
            "type": "string",
            "description": "ISO (2020-05-25) または和暦 (令和2年5月25日, R2.5.25, H27.1.30) / ISO or Japanese era date",
            "examples": ["2020-05-25", "令和2年5月25日", "R2.5.25", "H27.1.30"],
        }
    ),
]
"""A date written as ISO or 和暦 (令和2年5月25日, R2.5.25, H27.1.30 …), stored as a date."""


@cache
def _declarable(kind: str) -> dict[str, None]:
    # Built once: every code of every measure of every plan is checked against it. A dict keeps the
    # vocabulary's order, which "did you mean" suggestions follow.
    table = getattr(vocabulary(), kind)
    if kind == "measures":
        # Derived codes are computed from the plan's structure; claiming one in a sentence
        # would let a declaration vouch for, e.g., a permission it does not record.
        return {code: None for code, e in table.items() if not e.derived}
    return dict.fromkeys(table)


def _code_checker(kind: str) -> Any:
    def check(value: str) -> str:
        if value not in _declarable(kind):
            table = _declarable(kind)
            raise PydanticCustomError(
                "unknown_code",
                "unknown code {value}",
                {"value": value, "kind": kind, "suggestions": suggest(value, tuple(table))},
            )
        return value

    return AfterValidator(check)


def _enum_schema(values: tuple[str, ...], mapping: dict[str, str]) -> Any:
    # Editors should offer the Japanese spellings the loader accepts, not only the codes.
    return WithJsonSchema({"type": "string", "enum": [*values, *mapping]})


def _ja_enum(mapping: dict[str, str]) -> Any:
    def convert(value: Any) -> Any:
        if isinstance(value, str):
            normalized = normalize_text(value)
            return mapping.get(normalized, normalized)
        return value

    return BeforeValidator(convert)


MeasureCode = Annotated[str, _code_checker("measures")]
TaskCode = Annotated[str, _code_checker("tasks")]
SystemCode = Annotated[str, _code_checker("systems")]
AuthFactor = Annotated[str, _code_checker("auth_factors")]
MethodCode = Annotated[str, _code_checker("transfer_methods")]

_ROLE_JA = {"委任元": "principal", "委任先": "delegate", "委託先": "contractor", "再委託先": "subcontractor"}
Role = Annotated[
    Literal["principal", "delegate", "contractor", "subcontractor"],
    _ja_enum(_ROLE_JA),
    _enum_schema(("principal", "delegate", "contractor", "subcontractor"), _ROLE_JA),
]
_CATEGORY_JA = {
    "運用上": "operational",
    "運用上の対策": "operational",
    "システム上": "technical",
    "システム上の対策": "technical",
}
Category = Annotated[
    Literal["operational", "technical"],
    _ja_enum(_CATEGORY_JA),
    _enum_schema(("operational", "technical"), _CATEGORY_JA),
]
_REPORT_JA = {"報告": "report", "諮問": "consultation"}
ReportType = Annotated[
    Literal["report", "consultation"], _ja_enum(_REPORT_JA), _enum_schema(("report", "consultation"), _REPORT_JA)
]
_SHEET_JA = {"委任": "delegation", "委託": "outsourcing", "再委託": "subcontracting"}
SheetKind = Annotated[
    Literal["delegation", "outsourcing", "subcontracting"],
    _ja_enum(_SHEET_JA),
    _enum_schema(("delegation", "outsourcing", "subcontracting"), _SHEET_JA),
]
_SECTION_JA = {"区が行う": "principal", "委任先に行わせる": "delegate", "受託事業者に行わせる": "contractor"}
Section = Annotated[
    Literal["principal", "delegate", "contractor", "other"],
    _ja_enum(_SECTION_JA),
    _enum_schema(("principal", "delegate", "contractor", "other"), _SECTION_JA),
]
Channel = Literal["network", "media", "postal", "other"]


_STATUS_JA = {
    "行政機関等": "administrative_organ",
    "機構": "jlis",
    "個人情報取扱事業者": "business",
    "事業者": "business",
}
LegalStatus = Annotated[
    Literal["administrative_organ", "jlis", "business"],
    _ja_enum(_STATUS_JA),
    _enum_schema(("administrative_organ", "jlis", "business"), _STATUS_JA),
]
"""Which privacy regime binds a party, and so which instrument judges it: 行政機関等 (個人情報保護法 第5章,
PPC ガイドライン行政機関等編), 地方公共団体情報システム機構 (not in 別表第一: judged as a 個人情報取扱事業者
under 事業者編, REVIEW §A4, with the 番号法 provisions that name it), or a 個人情報取扱事業者."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Period(_Model):
    """開始時期及び期限."""

    start: PlanDate | None = None
    end: PlanDate | None = None
    renewal: Text | None = Field(None, description="e.g. 次年度以降も、同様の委任を行う。")
    note: Text | None = Field(None, description="e.g. ※H27.1.30委任開始")


class Subjects(_Model):
    """個人の範囲 / 対象者: whose data, how many, as of when."""

    scope: Text
    count: Annotated[int, Field(ge=0)] | None = None
    as_of: PlanDate | None = None


_BASIS_JA = {"条例": "ordinance", "法律": "act", "その他": "other"}


class LegalBasis(_Model):
    """The rule under which the plan is reported to the council (e.g. 条例第14条第1項)."""

    kind: Annotated[
        Literal["ordinance", "act", "other"],
        _ja_enum(_BASIS_JA),
        _enum_schema(("ordinance", "act", "other"), _BASIS_JA),
    ]
    citation: Text


class Plan(_Model):
    """The cover sheet of the council item (諮問・報告事項)."""

    id: Ident | None = Field(
        None,
        description="計画の識別子（任意）。指摘の fingerprint の基礎。省略時はリポジトリ内のファイルのパス / "
        "optional plan identifier: findings' fingerprints are built from it (default: the file's path "
        "in its repository); keep it when the file moves, unique across plans",
    )
    title: Text = Field(description="件名")
    municipality: Text = Field(description="団体 (e.g. 新宿区)")
    department: Text = Field(description="保有課 (担当課)")
    report_type: ReportType = Field(description="報告 / 諮問")
    legal_basis: LegalBasis | None = None
    effective_date: PlanDate = Field(description="変更日 / 実施日: the date the law is applied at by default")
    period: Period | None = None
    subjects: Subjects | None = None
    registered_processing: list[Text] = Field(default_factory=list, description="登録業務の名称")
    purpose: Text | None = Field(None, description="目的")
    summary: Text | None = Field(None, description="事業内容の概要")
    prior_approvals: list[Text] = Field(default_factory=list, description="これまでの審議会了承")
    document: Text | None = Field(None, description="資料番号 (e.g. 資料30)")
    notes: list[Text] = Field(default_factory=list)


class DataItem(_Model):
    """情報項目: one item of personal data processed."""

    id: Ident
    name: Text
    specific_personal_info: bool = Field(False, description="特定個人情報 (contains a 個人番号)")
    note: Text | None = None


class Medium(_Model):
    """記録媒体."""

    id: Ident
    name: Text
    kind: Literal["electronic", "paper"] = "electronic"
    note: Text | None = None


class Sheet(_Model):
    """One 別紙 of the council document: a delegation (委任) or outsourcing (委託) with its reasons."""

    id: Ident
    title: Text
    kind: SheetKind
    heading: Text | None = Field(None, description="e.g. ◇電子計算機による個人情報の処理委託（第14条第1項）")
    changes_note: Text | None = Field(None, description="※太字ゴシック（下線）は…変更箇所")
    reason: Text | None = Field(None, description="委任理由 / 委託理由")
    content_intro: Text | None = Field(None, description="委任の内容 lead sentence")
    tasks: list[TaskCode] = Field(default_factory=list)
    period: Period | None = None
    data_scope: Text | None = Field(None, description="個人の範囲")
    data_items: list[Ident] = Field(default_factory=list)
    data_items_note: Text | None = None
    media: list[Ident] = Field(default_factory=list)
    notes: list[Text] = Field(default_factory=list)


class Permission(_Model):
    """許諾: the original principal's permission for a 再委託 (番号法第10条)."""

    granted_by: Ident
    granted_on: PlanDate | None = None
    reference: Text | None = Field(None, description="where the permission is recorded")


class Party(_Model):
    """A link of the delegation chain: the ward, the delegate, contractors, subcontractors."""

    id: Ident
    name: Text
    short_name: Text | None = None
    role: Role
    received_from: Ident | None = Field(None, description="the party it received the work from")
    tasks: list[TaskCode] = Field(default_factory=list)
    tasks_note: Text | None = None
    legal_basis: Text | None = Field(None, description="legal basis of the delegation to this party")
    since: PlanDate | None = None
    sheet: Ident | None = None
    permission: Permission | None = None
    department: Text | None = None
    legal_status: LegalStatus | None = Field(
        None, description="行政機関等 / 機構 / 事業者; inferred from the name when not declared"
    )
    note: Text | None = None


class SourceRef(_Model):
    """Where a sentence came from in the council document."""

    sheet: Ident | None = None
    section: Section | None = None
    category: Category | None = None
    item: Text | None = Field(None, description="item number as printed, e.g. 3-(1)")


class Transfer(_Model):
    """One route by which personal data travels between two parties."""

    id: Ident
    from_party: Ident = Field(alias="from")
    to_party: Ident = Field(alias="to")
    method: MethodCode
    channel: Channel | None = Field(None, description="defaults to the method's channel")
    encrypted: bool
    specific_personal_info: bool = True
    data_items: list[Ident] = Field(default_factory=list)
    note: Text | None = None
    source: SourceRef | None = None


class Terminal(_Model):
    """A kind of terminal a party's staff use, with how operators authenticate."""

    id: Ident
    owner: Ident
    system: SystemCode
    auth_factors: list[AuthFactor] = Field(default_factory=list)
    users: Text | None = None
    note: Text | None = None
    source: SourceRef | None = None


class Measure(_Model):
    """A safeguard sentence of the plan, with the measure codes it expresses."""

    id: Ident | None = None
    codes: list[MeasureCode] = Field(default_factory=list, description="empty when no code fits")
    not_done: list[MeasureCode] = Field(
        default_factory=list, description="codes the sentence says are NOT done (「暗号化は行わない」)"
    )
    refers_to: Text | None = Field(
        None, description="another document the sentence defers to (「評価書のとおり」「資料30－２のとおり」)"
    )
    implemented_by: Annotated[list[Ident], Field(min_length=1)]
    imposed_by: Ident | None = None
    category: Category
    text: Text
    covers: list[Ident] = Field(default_factory=list, description="other subjects it applies to")
    source: SourceRef | None = None


class Clause(_Model):
    """One clause of a contract; ``code`` when it matches a known clause."""

    code: MeasureCode | None = None
    text: Text


class Contract(_Model):
    """A contract between a client and one or more contractors, with its clauses."""

    id: Ident
    client: Ident
    contractors: Annotated[list[Ident], Field(min_length=1)]
    clauses: list[Clause] = Field(default_factory=list)
    clauses_open: bool = Field(
        False, description="the clause list is not exhaustive (「以下の内容等」) or defers to another document"
    )
    refers_to: Text | None = Field(None, description="document holding the full clauses, when named")
    note: Text | None = None
    source: SourceRef | None = None


class Declaration(_Model):
    """A whole declared delegation plan."""

    schema_version: Literal[1] = 1
    plan: Plan
    sheets: list[Sheet] = Field(default_factory=list)
    data_items: list[DataItem] = Field(default_factory=list)
    media: list[Medium] = Field(default_factory=list)
    parties: Annotated[list[Party], Field(min_length=1)]
    transfers: list[Transfer] = Field(default_factory=list)
    terminals: list[Terminal] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)
    contracts: list[Contract] = Field(default_factory=list)


# Japanese keys accepted in declarations, mapped to the field names above. Keys are unambiguous across
# the model, so the loader can rename them wherever they appear.
JA_KEY_ALIASES: dict[str, str] = {
    "計画": "plan",
    "別紙": "sheets",
    "情報項目": "data_items",
    "記録媒体": "media",
    "当事者": "parties",
    "送付": "transfers",
    "端末": "terminals",
    "対策": "measures",
    "契約": "contracts",
    "件名": "title",
    "団体": "municipality",
    "自治体": "municipality",
    "保有課": "department",
    "担当課": "department",
    "報告区分": "report_type",
    "条例の根拠": "legal_basis",
    "変更日": "effective_date",
    "期間": "period",
    "開始時期": "start",
    "期限": "end",
    "対象者": "subjects",
    "個人の範囲": "scope",
    "対象者数": "count",
    "基準日": "as_of",
    "登録業務の名称": "registered_processing",
    "目的": "purpose",
    "名称": "name",
    "役割": "role",
    "受託元": "received_from",
    "業務": "tasks",
    "許諾": "permission",
    "委任理由": "reason",
    "委託理由": "reason",
    "本文": "text",
    "区分": "category",
    "根拠": "citation",
    "暗号化": "encrypted",
    "方法": "method",
    "認証": "auth_factors",
    "所有者": "owner",
    "条項": "clauses",
    "法的地位": "legal_status",
}
