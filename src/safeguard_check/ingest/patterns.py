"""The ingest-only data (``patterns.yaml``): names and wordings that become facts, not measure codes.

Loaded once, validated, and compacted (NFKC, whitespace removed) so every lookup compares like with
like. Codes it mentions (transfer methods, systems, auth factors) are checked against the vocabulary.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

from safeguard_check.data.vocabulary import vocabulary
from safeguard_check.ingest.text import compact


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OrgEntry(_Model):
    match: str
    id: str


class DataItemEntry(_Model):
    id: str
    specific: bool = False


class MethodEntry(_Model):
    phrases: tuple[str, ...]
    slug: str
    encrypted: bool | None


class SystemEntry(_Model):
    phrases: tuple[str, ...]
    slug: str


class ContractProse(_Model):
    documents: tuple[str, ...]
    verbs: tuple[str, ...]
    references: tuple[str, ...]
    list_intros: tuple[str, ...]
    includes: tuple[str, ...] = ()
    """「秘密保持に関する事項を契約内容に含める」: a clause named before one of these is in the contract."""
    includes_into: tuple[str, ...] = ()
    """What the clause is put into (契約内容, 契約 …)."""


class PermissionWords(_Model):
    subjects: dict[str, int]
    granted: tuple[str, ...]
    granted_in_advance: tuple[str, ...] = ()
    """Count only with 「あらかじめ」 in the sentence: the principal's prior approval as a standing rule."""
    by_other: tuple[str, ...]


class ChainContract(_Model):
    """「再委託先には、受託者と同等の義務を契約により負わせる」 (see ``patterns.yaml`` ``chain_contract``)."""

    subjects: tuple[str, ...] = ()
    obligations: tuple[str, ...] = ()


class Patterns(_Model):
    """The contents of ``patterns.yaml``; see the comments there."""

    schema_version: Literal[1]
    municipalities: dict[str, str]
    organisations: tuple[OrgEntry, ...]
    media: dict[str, str]
    data_items: dict[str, DataItemEntry]
    transfer_methods: dict[str, MethodEntry]
    transfer_context: tuple[str, ...]
    transfer_verbs: tuple[str, ...]
    transfer_both_ways: tuple[str, ...] = ()
    line_context: tuple[str, ...]
    encryption_statement: tuple[str, ...]
    jukinet_names: tuple[str, ...]
    systems: dict[str, SystemEntry]
    auth_factors: dict[str, tuple[str, ...]]
    contractor_group_names: tuple[str, ...]
    principal_short_names: tuple[str, ...]
    client_side_phrases: tuple[str, ...]
    contract_phrases: tuple[str, ...]
    contract_prose: ContractProse
    supersedes: dict[str, tuple[str, ...]]
    task_phrases: dict[str, tuple[str, ...]] = {}
    chain_contract: ChainContract = ChainContract()
    """How a document binds the subcontractors by contract without listing clauses."""
    """How documents name each task of the vocabulary besides its label (「個人番号カードの作成」)."""
    permission: PermissionWords

    @model_validator(mode="after")
    def _codes_known(self) -> Patterns:
        vocab = vocabulary()
        for kind, codes in (
            ("transfer_methods", self.transfer_methods),
            ("systems", self.systems),
            ("auth_factors", self.auth_factors),
            ("measures", {**self.supersedes, **{c: () for cs in self.supersedes.values() for c in cs}}),
        ):
            unknown = set(codes) - set(getattr(vocab, kind))
            if unknown:
                raise ValueError(f"patterns.yaml {kind}: codes not in the vocabulary: {sorted(unknown)}")
        return self


def _compact_tree(value: object) -> object:
    # Keys and values alike: lookups are made on compacted text.
    if isinstance(value, str):
        return compact(value)
    if isinstance(value, dict):
        return {_compact_tree(k): _compact_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_compact_tree(v) for v in value]
    return value


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    """The bundled ingest patterns, parsed once per process."""
    text = Path(__file__).with_name("patterns.yaml").read_text(encoding="utf-8")
    return Patterns.model_validate(_compact_tree(yaml.safe_load(text)))
