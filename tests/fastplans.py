"""A fast plain-Python generator of valid plans, driven by a hypothesis-controlled ``random.Random``.

The hypothesis strategy in ``strategies.py`` explores hostile text and structure but costs ~0.1 s a
plan; the engine-agreement property needs a thousand plans per run, where what matters is the
variety of chains, roles, tasks, systems, methods and present codes, not the text. Hypothesis still
chooses (and replays) the seed.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from safeguard_check.data.vocabulary import vocabulary
from safeguard_check.model.declaration import Declaration

_V = vocabulary()
CODES = sorted(c for c, e in _V.measures.items() if not e.derived)
TASKS = sorted(_V.tasks)
SYSTEMS = sorted(_V.systems)
FACTORS = sorted(_V.auth_factors)
METHODS = sorted(_V.transfer_methods)
DAY0 = dt.date(2014, 1, 1)


def random_plan(rnd: random.Random, max_parties: int = 8) -> Declaration:
    """A valid declaration with a random chain, subjects and measure codes."""
    parties: list[dict[str, Any]] = [{"id": "p0", "name": "区", "role": "principal"}]
    n = rnd.randint(1, max_parties)
    for i in range(1, n):
        options = [("delegate", "p0")] if not any(p["role"] == "delegate" for p in parties) else []
        options += [("contractor", p["id"]) for p in parties if p["role"] in ("principal", "delegate")]
        options += [("subcontractor", p["id"]) for p in parties if p["role"] in ("contractor", "subcontractor")]
        role, upstream = rnd.choice(options)
        party: dict[str, Any] = {
            "id": f"p{i}",
            # Names that state a legal status (inferred), and one that does not (unknown, left out).
            "name": rnd.choice([f"当事者{i}", f"株式会社{i}", "地方公共団体情報システム機構", f"第{i}市"]),
            "role": role,
            "received_from": upstream,
            "tasks": rnd.sample(TASKS, rnd.randint(0, 3)),
        }
        if rnd.random() < 0.2:
            party["legal_status"] = rnd.choice(["administrative_organ", "jlis", "business"])
        if role == "subcontractor" and rnd.random() < 0.6:
            party["permission"] = {"granted_by": rnd.choice([p["id"] for p in parties])}
        parties.append(party)
    ids = [p["id"] for p in parties]
    transfers = [
        {
            "id": f"t{i}",
            "from": a,
            "to": b,
            "method": rnd.choice(METHODS),
            "encrypted": rnd.random() < 0.7,
            "specific_personal_info": rnd.random() < 0.8,
        }
        for i in range(rnd.randint(0, 5) if len(ids) > 1 else 0)
        for a, b in [rnd.sample(ids, 2)]
    ]
    terminals = [
        {
            "id": f"k{i}",
            "owner": rnd.choice(ids),
            "system": rnd.choice(SYSTEMS),
            "auth_factors": rnd.sample(FACTORS, rnd.randint(0, 3)),
        }
        for i in range(rnd.randint(0, 4))
    ]
    contracts = []
    contractors = [p["id"] for p in parties if p["role"] in ("contractor", "subcontractor")]
    for i in range(rnd.randint(0, 3)):
        if not contractors:
            break
        contracts.append(
            {
                "id": f"c{i}",
                "client": rnd.choice(ids),
                "contractors": rnd.sample(contractors, 1),
                "clauses": [
                    {"code": c, "text": c}
                    for c in rnd.sample([c for c in CODES if c.startswith("contract.")], rnd.randint(0, 10))
                ],
            }
        )
    subjects = ids + [t["id"] for t in transfers] + [k["id"] for k in terminals]
    measures = [
        {
            "codes": rnd.sample(CODES, rnd.randint(0, 8)),
            "implemented_by": rnd.sample(ids, rnd.randint(1, min(2, len(ids)))),
            "category": rnd.choice(["operational", "technical"]),
            "text": f"対策{i}",
            "covers": rnd.sample(subjects, rnd.randint(0, min(2, len(subjects)))),
        }
        for i in range(rnd.randint(0, 25))
    ]
    return Declaration.model_validate(
        {
            "plan": {
                "title": "計画",
                "municipality": "区",
                "department": "課",
                "report_type": rnd.choice(["report", "consultation"]),
                "legal_basis": rnd.choice(
                    [None, {"kind": "ordinance", "citation": "条例"}, {"kind": "act", "citation": "法"}]
                ),
                "effective_date": DAY0 + dt.timedelta(days=rnd.randint(0, 12 * 365)),
            },
            "parties": parties,
            "transfers": transfers,
            "terminals": terminals,
            "measures": measures,
            "contracts": contracts,
        }
    )
