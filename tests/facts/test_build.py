"""What the facts step derives from a declaration."""

from __future__ import annotations

from typing import Any

from safeguard_check.facts.build import build_facts, original_principal
from safeguard_check.model.declaration import Declaration


def _decl(**extra: Any) -> Declaration:
    base: dict[str, Any] = {
        "plan": {
            "title": "t",
            "municipality": "m",
            "department": "d",
            "report_type": "report",
            "effective_date": "2020-05-25",
        },
        "parties": [
            {"id": "ward", "name": "区", "role": "principal"},
            {"id": "jlis", "name": "機構", "role": "delegate", "received_from": "ward"},
            {"id": "c1", "name": "委託先", "role": "contractor", "received_from": "jlis"},
            {
                "id": "s1",
                "name": "再委託先",
                "role": "subcontractor",
                "received_from": "c1",
                "permission": {"granted_by": "jlis"},
            },
            {
                "id": "s2",
                "name": "再々委託先",
                "role": "subcontractor",
                "received_from": "s1",
                "permission": {"granted_by": "s1"},
            },
        ],
    }
    base.update(extra)
    return Declaration.model_validate(base)


def _codes(decl: Declaration, subject: str) -> frozenset[str]:
    return next(f.codes for f in build_facts(decl) if f.subject.id == subject)


def test_original_principal_is_the_first_outsourcer_at_every_depth() -> None:
    decl = _decl()
    parties = {p.id: p for p in decl.parties}
    assert original_principal(parties["s1"], parties) == "jlis"
    assert original_principal(parties["s2"], parties) == "jlis"
    assert "delegation.permission_recorded" in _codes(decl, "s1")
    assert "delegation.permission_recorded" not in _codes(decl, "s2")  # granted by an intermediate only


def test_terminal_auth_codes_come_only_from_declared_factors() -> None:
    decl = _decl(
        terminals=[
            {
                "id": "k",
                "owner": "ward",
                "system": "jukinet_integrated_terminal",
                "auth_factors": ["user_id", "password"],
            }
        ],
        measures=[
            {
                "codes": ["terminal.auth.vein", "session.logoff"],
                "implemented_by": ["ward"],
                "category": "technical",
                "text": "静脈認証",
                "covers": ["k"],
            }
        ],
    )
    codes = _codes(decl, "k")
    assert "terminal.auth.vein" not in codes  # a sentence cannot vouch for a factor the terminal lacks
    assert "terminal.auth.id_password" in codes and "session.logoff" in codes
    assert "terminal.auth.multi_factor" not in codes


def test_multi_factor_needs_two_kinds_of_factor() -> None:
    decl = _decl(
        terminals=[
            {
                "id": "k1",
                "owner": "ward",
                "system": "resident_info_system",
                "auth_factors": ["password", "vein"],
            },
            {
                "id": "k2",
                "owner": "ward",
                "system": "resident_info_system",
                "auth_factors": ["user_id", "vein"],
            },
        ]
    )
    assert "terminal.auth.multi_factor" in _codes(decl, "k1")
    assert "terminal.auth.multi_factor" not in _codes(decl, "k2")


def test_transfer_encryption_comes_only_from_the_flag() -> None:
    decl = _decl(
        transfers=[{"id": "t", "from": "ward", "to": "jlis", "method": "jukinet", "encrypted": False}],
        measures=[
            {
                "codes": ["transfer.encryption"],
                "implemented_by": ["ward"],
                "category": "technical",
                "text": "暗号化",
                "covers": ["t"],
            }
        ],
    )
    codes = _codes(decl, "t")
    assert "transfer.encryption" not in codes
    assert "network.dedicated_line" in codes  # the Juki-net is a dedicated line


def test_contract_declared_only_with_the_party_that_handed_over_the_work() -> None:
    decl = _decl(
        contracts=[
            {"id": "k", "client": "ward", "contractors": ["c1"]},
            {"id": "k2", "client": "c1", "contractors": ["s1"]},
        ]
    )
    assert "contract.declared" not in _codes(decl, "c1")  # c1 received the work from jlis, not the ward
    assert "contract.declared" in _codes(decl, "s1")


def test_network_endpoint_flag() -> None:
    decl = _decl(transfers=[{"id": "t", "from": "ward", "to": "jlis", "method": "registered_mail", "encrypted": False}])
    flags = {f.subject.id: f.flags.get("network_endpoint") for f in build_facts(decl) if f.subject.kind == "party"}
    assert flags["ward"] is False  # mail is not a network
