"""Rich rendering of a loaded plan: the chain, transfers, terminals and measures per party."""

from __future__ import annotations

from collections import Counter

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from safeguard_check.data.vocabulary import vocabulary
from safeguard_check.facts.legal_status import legal_status
from safeguard_check.load.declaration import LoadedPlan
from safeguard_check.load.wareki import to_wareki
from safeguard_check.messages import Lang, t
from safeguard_check.model.declaration import Party


def legal_status_text(status: str | None, source: str, lang: Lang) -> str:
    """``事業者（名称から推定）``, ``機構``, or ``法的地位不明`` when neither declared nor inferable."""
    if status is None:
        return t("cli.legal_status.unknown", lang)
    text = t(f"cli.legal_status.{status}", lang)
    return text + t("cli.legal_status.inferred", lang) if source == "inferred" else text


def _party_label(party: Party, lang: Lang) -> str:
    role = t(f"cli.role.{party.role}", lang)
    status = legal_status(party)
    return f"{party.name} [{role}・{legal_status_text(status.status, status.source, lang)}]"


def chain_tree(loaded: LoadedPlan, lang: Lang) -> Tree:
    """The delegation chain as a tree rooted at the principal(s)."""
    decl = loaded.declaration
    vocab = vocabulary()
    children: dict[str | None, list[Party]] = {}
    for party in decl.parties:
        children.setdefault(party.received_from, []).append(party)
    root = Tree(Text(t("cli.summary.chain", lang), style="bold"))

    def add(node: Tree, party: Party, depth: int) -> None:
        label = Text(_party_label(party, lang))
        if party.tasks:
            label.append("  " + "・".join(vocab.label("tasks", c, lang) for c in party.tasks), style="dim")
        branch = node.add(label)
        if depth > len(decl.parties):  # defensive: the loader rejects cycles before we get here
            return
        for child in children.get(party.id, []):
            add(branch, child, depth + 1)

    for party in children.get(None, []):
        add(root, party, 0)
    return root


def plan_summary(loaded: LoadedPlan, lang: Lang) -> Group:
    """Everything `check` prints about the plan before any finding."""
    decl = loaded.declaration
    plan = decl.plan
    vocab = vocabulary()
    names = {p.id: p.short_name or p.name for p in decl.parties}

    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    head.add_row(t("cli.summary.title", lang), plan.title)
    head.add_row(t("cli.summary.municipality", lang), plan.municipality)
    head.add_row(t("cli.summary.department", lang), plan.department)
    head.add_row(t("cli.summary.report_type", lang), t(f"cli.report_type.{plan.report_type}", lang))
    head.add_row(t("cli.summary.effective", lang), _date(plan.effective_date, lang))
    if plan.period is not None:
        span = " – ".join(_date(d, lang) if d else "…" for d in (plan.period.start, plan.period.end))
        head.add_row(t("cli.summary.period", lang), span)
    if plan.subjects is not None:
        subjects = plan.subjects.scope
        if plan.subjects.count is not None:
            subjects += f"  {plan.subjects.count:,}"
            if plan.subjects.as_of is not None:
                subjects += f" ({_date(plan.subjects.as_of, lang)})"
        head.add_row(t("cli.summary.subjects", lang), subjects)

    transfers = Table(title=t("cli.summary.transfers", lang), title_justify="left", expand=False)
    for key in ("cli.col.from", "cli.col.to", "cli.col.method", "cli.col.encrypted"):
        transfers.add_column(t(key, lang))
    for tr in decl.transfers:
        transfers.add_row(
            names[tr.from_party],
            names[tr.to_party],
            vocab.label("transfer_methods", tr.method, lang),
            t("cli.yes" if tr.encrypted else "cli.no", lang),
        )

    terminals = Table(title=t("cli.summary.terminals", lang), title_justify="left")
    for key in ("cli.col.owner", "cli.col.system", "cli.col.auth"):
        terminals.add_column(t(key, lang))
    for term in decl.terminals:
        terminals.add_row(
            names[term.owner],
            vocab.label("systems", term.system, lang),
            "・".join(vocab.label("auth_factors", f, lang) for f in term.auth_factors) or "—",
        )

    measures = Table(title=t("cli.summary.measures", lang), title_justify="left")
    for key in ("cli.col.party", "cli.col.operational", "cli.col.technical", "cli.col.codes"):
        measures.add_column(t(key, lang))
    per_party: dict[str, Counter[str]] = {p.id: Counter() for p in decl.parties}
    codes: dict[str, set[str]] = {p.id: set() for p in decl.parties}
    for m in decl.measures:
        for pid in m.implemented_by:
            per_party[pid][m.category] += 1
            codes[pid].update(m.codes)
    for party in decl.parties:
        counts = per_party[party.id]
        measures.add_row(
            names[party.id], str(counts["operational"]), str(counts["technical"]), str(len(codes[party.id]))
        )

    parts: list[object] = [head, chain_tree(loaded, lang)]
    if decl.transfers:
        parts.append(transfers)
    if decl.terminals:
        parts.append(terminals)
    parts.append(measures)
    if decl.contracts:
        contracts = Table(title=t("cli.summary.contracts", lang), title_justify="left")
        for key in ("cli.col.party", "cli.col.to", "cli.col.clauses"):
            contracts.add_column(t(key, lang))
        for c in decl.contracts:
            contracts.add_row(names[c.client], "、".join(names[x] for x in c.contractors), str(len(c.clauses)))
        parts.append(contracts)
    return Group(*parts)  # type: ignore[arg-type]


def _date(d: object, lang: Lang) -> str:
    import datetime as dt

    if not isinstance(d, dt.date):
        return str(d)
    return f"{to_wareki(d)} ({d.isoformat()})" if lang == "ja" else d.isoformat()


def print_summary(loaded: LoadedPlan, console: Console, lang: Lang) -> None:
    """Print the plan summary to ``console``."""
    console.print(plan_summary(loaded, lang))
