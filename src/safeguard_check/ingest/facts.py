"""Derive structured facts from the measure sentences: transfers, terminals, contracts, and ``covers``.

Rules (wordings in ``patterns.yaml``):

* **Transfers, by method.** A sentence about sending data to a party (「機構に個人情報を送付する際は」)
  yields one transfer per method it names (暗号化した磁気ディスク, 住民基本台帳ネットワークシステムで送信,
  簡易書留郵便 …), from each party of its section to the party named before 「に…送付する際」. The method's
  name is masked when the sentence is mapped to measure codes: 「暗号化した磁気ディスク」 names one of
  three permitted routes, it does not say the sentence encrypts anything.
* **Transfers, by line.** 「AとBとを接続する電気通信回線は…専用回線」 covers the network transfer already
  known between A and B (the Juki-net of 区と機構), or else creates one per pair, from the upstream
  party to the downstream one (「機構と再委託先」 → one line from the delegate to each contractor).
* **Encryption.** A network transfer is ``encrypted`` when the section that describes its line states
  「送受信する情報は暗号化」; methods that say it themselves (暗号化した磁気ディスク) or cannot be
  (簡易書留郵便) follow the method. The encryption sentence covers the same transfers as the line one.
* **Terminals.** A sentence naming a terminal system (住民情報システムの端末, 住基ネットの統合端末,
  作成に係る端末機) yields one terminal per party of its section and system, with the authentication
  factors named between that system and the next one in the sentence. The first sentence wins; later
  ones cover it. Any sentence of a section that mentions 端末 covers that section's terminals.
* **Contracts.** A sentence with bullets that says 「契約書にて」 is a contract: in the contractor
  section, between the contractors and the party that handed them the work; in the ward's section,
  between the ward and the parties the sheet hands work to. Each bullet is a clause with one
  ``contract.`` code.
* **Named parties.** A sentence of the ward's section that makes another party do something
  (「機構への委任にあたり…厳守させる。」) covers that party.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field

from safeguard_check.data.vocabulary import vocabulary
from safeguard_check.ingest import morph
from safeguard_check.ingest.context import PartyDraft, Sentence, SentenceKey, Warnings
from safeguard_check.ingest.forms import forms
from safeguard_check.ingest.mapping import best_code, read_codes
from safeguard_check.ingest.patterns import Patterns, patterns
from safeguard_check.ingest.text import compact
from safeguard_check.load.wareki import DateParseError, parse_date

_ANY_TERMINAL = "端末"
_DATE_IN = re.compile(r"(?:令和|平成)(?:元|\d{1,2})年\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月\d{1,2}日")
_NON_EXHAUSTIVE = "等を契約"


@dataclass
class Facts:
    """What the sentences state structurally, and what each sentence covers or must not count."""

    transfers: list[dict[str, object]] = field(default_factory=list)
    terminals: list[dict[str, object]] = field(default_factory=list)
    contracts: list[dict[str, object]] = field(default_factory=list)
    covers: dict[SentenceKey, list[str]] = field(default_factory=dict)
    masks: dict[SentenceKey, list[str]] = field(default_factory=dict)
    contract_sentences: set[SentenceKey] = field(default_factory=set)
    unmapped_clauses: list[tuple[SentenceKey, str]] = field(default_factory=list)
    permissions: dict[str, dict[str, object]] = field(default_factory=dict)
    """Party id → the ``Permission`` a sentence records for its 再委託 (「…書面により承諾した」)."""

    def cover(self, key: SentenceKey, ident: str) -> None:
        """Record that the sentence at ``key`` speaks about subject ``ident``."""
        items = self.covers.setdefault(key, [])
        if ident not in items:
            items.append(ident)


def _source(s: Sentence) -> dict[str, str]:
    return {"sheet": s.sheet, "section": s.section, "category": s.category, "item": s.item}


class _Extractor:
    def __init__(self, parties: list[PartyDraft], sentences: list[Sentence], warnings: Warnings) -> None:
        self.parties = {p.id: p for p in parties}
        self.principal = parties[0]
        self.sentences = sentences
        self.warnings = warnings
        self.facts = Facts()
        self.context: tuple[str, ...] = ()
        self.pat = patterns()
        self.network_methods = {code for code, e in vocabulary().transfer_methods.items() if e.channel == "network"}
        # (sheet, section) → whether it states that what is sent is encrypted.
        self.encrypts = {
            (s.sheet, s.section) for s in sentences if any(p in compact(s.text) for p in self.pat.encryption_statement)
        }
        self.line_transfers: dict[tuple[str, str], list[str]] = {}

    # -- helpers ------------------------------------------------------------------------------------
    def _mentions(self, text: str, s: Sentence) -> list[tuple[int, tuple[str, ...]]]:
        """Parties named in compact ``text``: (position, party ids), in order of position."""
        hits: list[tuple[int, int, tuple[str, ...]]] = []
        for party in self.parties.values():
            for alias in party.aliases():
                at = text.find(compact(alias))
                if at >= 0:
                    hits.append((at, -len(compact(alias)), (party.id,)))
        for short in self.pat.principal_short_names:
            for word in (f"{short}と", f"{short}に", f"{short}へ"):
                if text.startswith(word):
                    hits.append((0, -len(short), (self.principal.id,)))
        if s.section == "contractor":
            for name in self.pat.contractor_group_names:
                at = text.find(name)
                if at >= 0:
                    hits.append((at, -len(name), s.implementers))
        hits.sort()
        out: list[tuple[int, tuple[str, ...]]] = []
        covered_until = -1
        for at, neg_len, ids in hits:
            if at < covered_until:
                continue  # inside a longer name already taken (機構 inside 地方公共団体情報システム機構)
            out.append((at, ids))
            covered_until = at - neg_len
        return out

    def _upstream_first(self, a: str, b: str) -> tuple[str, str]:
        seen: set[str] = set()
        current = self.parties.get(b)
        while current is not None and current.received_from and current.id not in seen:
            seen.add(current.id)
            if current.received_from == a:
                return a, b
            current = self.parties.get(current.received_from)
        return b, a

    def _transfer_id(self, sender: str, recipient: str, method: str) -> str:
        slug = self.pat.transfer_methods[method].slug if method in self.pat.transfer_methods else method
        base = f"{sender}-{recipient}-{slug}".replace("_", "-")
        taken = {str(t["id"]) for t in self.facts.transfers}
        ident, k = base, 2
        while ident in taken:
            ident, k = f"{base}-{k}", k + 1
        return ident

    def _encrypted(self, method: str, s: Sentence) -> bool:
        entry = self.pat.transfer_methods.get(method)
        if entry is not None and entry.encrypted is not None:
            return entry.encrypted
        return (s.sheet, s.section) in self.encrypts

    # -- passes -------------------------------------------------------------------------------------
    def method_sentences(self) -> None:
        for s in self.sentences:
            text = compact(s.text)
            ctx = [text.find(c) for c in self.pat.transfer_context if c in text]
            # Prose: 「…電子メールにより送受信させる」 — a method named with a verb of sending.
            prose = not ctx and any(v in text for v in self.pat.transfer_verbs)
            if not ctx and not prose:
                continue
            before = text[: min(ctx)] if ctx else text
            named = [ids for _at, ids in self._mentions(before, s) if set(ids) - set(s.implementers)]
            toks = morph.tokens(text)
            methods = sorted(
                (
                    (at, code, phrase)
                    for code, entry in self.pat.transfer_methods.items()
                    for phrase in entry.phrases
                    if (at := text.find(phrase)) >= 0
                    # 「電子メールによる送付は行わない」: a method the sentence excludes is not a transfer.
                    and not (prose and morph.negated(toks, _clause_end(text, at + len(phrase))))
                ),
            )
            if prose and not methods:
                continue  # a sentence about data sent earlier (「送付した個人情報は…消去させる」)
            if prose and not named:
                # The other end is the party the sheet hands work to (or, in its section, the client).
                other = (s.client,) if s.section == "contractor" and s.client else s.counterparts
                named = [other] if other else []
            if not named or not methods:
                self.warnings.add(
                    f"{s.sheet} {s.section} {s.item}: 送付の文ですが送付先又は方法を特定できません",
                    f"{s.sheet} {s.section} {s.item}: a sentence about sending data whose recipient or "
                    "method could not be identified",
                )
                continue
            recipients = named[-1]  # the party named nearest before 「…に送付する際」
            inbound = prose and any(
                re.search(re.escape(g) + r".{0,12}?から", text) for g in self.pat.contractor_group_names
            )
            both_ways = prose and any(w in text for w in self.pat.transfer_both_ways)
            stated = read_codes(s.text, mask=[p for _at, _code, p in methods]) if prose else None
            seen_methods: list[str] = []
            for _at, code, phrase in methods:
                if not prose:
                    # A method listed by name (「暗号化した磁気ディスクを使用する方法」) is a fact, not a
                    # measure of the sentence; in prose the method's words are the measure as well
                    # (「専用回線により暗号化して送信」).
                    self.facts.masks.setdefault(s.key, []).append(phrase)
                if code in seen_methods:
                    continue
                seen_methods.append(code)
                clause = self._clause(s.text, phrase)
                encrypted = self._encrypted(code, s)
                if stated is not None and "transfer.encryption" in stated.codes:
                    encrypted = True  # 「暗号化したうえで電子メールにより送付」
                for implementer in s.implementers:
                    for other_end in recipients:
                        # 「委託先の担当者から…あてに」: the data goes from the contractor's side.
                        contractor_side = implementer if s.section == "contractor" else other_end
                        principal_side = other_end if s.section == "contractor" else implementer
                        sender, recipient = (contractor_side, principal_side) if inbound else (implementer, other_end)
                        if both_ways:
                            sender, recipient = principal_side, contractor_side
                        ident = self._transfer_id(sender, recipient, code)
                        self.facts.transfers.append(
                            {
                                "id": ident,
                                "from": sender,
                                "to": recipient,
                                "method": code,
                                "encrypted": encrypted,
                                "note": clause,
                                "source": _source(s),
                            }
                        )
                        self.facts.cover(s.key, ident)

    @staticmethod
    def _clause(text: str, phrase: str) -> str:
        # The enumerated clause that names the method: 「…、暗号化した磁気ディスクを使用する方法、…」.
        pieces = [p for chunk in text.replace("及び", "、").split("、") for p in [chunk.strip()] if p]
        for piece in pieces:
            if phrase in compact(piece):
                # str.find, not re.sub(r"の?いずれか.*$"): that retries 「.*$」 at every 「いずれか」.
                at = piece.find("いずれか")
                if at >= 0:
                    piece = piece[: at - 1 if piece[at - 1 : at] == "の" else at]
                return piece.rstrip("。")
        return phrase

    def line_sentences(self) -> None:
        for s in self.sentences:
            text = compact(s.text)
            ctx = [text.find(c) for c in self.pat.line_context if c in text]
            if not ctx:
                continue
            ends = [ids for _at, ids in self._mentions(text[: min(ctx)], s)]
            if len(ends) < 2:
                self.warnings.add(
                    f"{s.sheet} {s.section} {s.item}: 回線の両端の当事者を特定できません",
                    f"{s.sheet} {s.section} {s.item}: could not tell which parties the line connects",
                )
                continue
            jukinet = any(n in text for n in self.pat.jukinet_names)
            method = "jukinet" if jukinet else "dedicated_line"
            covered: list[str] = []
            for a in ends[0]:
                for b in ends[1]:
                    if a == b:
                        continue
                    existing = [
                        str(t["id"])
                        for t in self.facts.transfers
                        if {t["from"], t["to"]} == {a, b} and t["method"] in self.network_methods
                    ]
                    if not existing:
                        sender, recipient = self._upstream_first(a, b)
                        ident = self._transfer_id(sender, recipient, method)
                        self.facts.transfers.append(
                            {
                                "id": ident,
                                "from": sender,
                                "to": recipient,
                                "method": method,
                                "encrypted": self._encrypted(method, s),
                                "note": s.text,
                                "source": _source(s),
                            }
                        )
                        existing = [ident]
                    covered.extend(existing)
            for ident in covered:
                self.facts.cover(s.key, ident)
            self.line_transfers.setdefault((s.sheet, s.section), []).extend(covered)

    def encryption_sentences(self) -> None:
        for s in self.sentences:
            if any(p in compact(s.text) for p in self.pat.encryption_statement):
                for ident in self.line_transfers.get((s.sheet, s.section), []):
                    self.facts.cover(s.key, ident)

    def terminal_sentences(self) -> None:
        for s in self.sentences:
            text = compact(s.text)
            found = sorted(
                (at, system)
                for system, entry in self.pat.systems.items()
                for phrase in entry.phrases
                if (at := text.find(phrase)) >= 0
            )
            # One system per position (住基ネットの統合端末 would otherwise also be found at 端末 …).
            systems: list[tuple[int, str]] = []
            for at, system in found:
                if not systems or systems[-1][1] != system:
                    systems.append((at, system))
            for index, (at, system) in enumerate(systems):
                stop = systems[index + 1][0] if index + 1 < len(systems) else len(text)
                segment = text[at:stop]
                factors = sorted(
                    (pos, factor)
                    for factor, phrases in self.pat.auth_factors.items()
                    for phrase in phrases
                    if (pos := segment.find(phrase)) >= 0
                )
                auth: list[str] = []
                for _pos, factor in factors:
                    if factor not in auth:
                        auth.append(factor)
                for owner in s.implementers:
                    self._terminal(s, owner, system, auth, self._auth_clause(segment, factors))

    @staticmethod
    def _auth_clause(segment: str, factors: list[tuple[int, str]]) -> str:
        # 「住民情報システムの端末はユーザID及び暗証番号により」: up to the 「により」 after the last factor.
        if factors:
            at = segment.find("により", factors[-1][0])
            if at >= 0:
                return segment[: at + len("により")]
        cut = min((i for i in (segment.find("、"), segment.find("。")) if i >= 0), default=len(segment))
        return segment[:cut]

    def _terminal(self, s: Sentence, owner: str, system: str, auth: list[str], note: str) -> None:
        text = compact(s.text)
        described: dict[str, object] = {"auth_factors": auth, "note": note, "source": _source(s)}
        if "職員が" in text:
            described["users"] = "職員"
        elif "操作権限が与えられた者" in text:
            described["users"] = "操作権限が与えられた者" + ("(名簿等により明確化)" if "名簿" in text else "")
        for existing in self.facts.terminals:
            if existing["owner"] == owner and existing["system"] == system:
                if auth and not existing["auth_factors"]:
                    # A sentence that only mentions the terminal came first (lists can be in any
                    # order): the one that states how operators authenticate describes it.
                    existing.pop("users", None)
                    existing.update(described)
                elif auth and auth != existing["auth_factors"]:
                    self.warnings.add(
                        f"{s.sheet} {s.section} {s.item}: 端末 {existing['id']} の認証方法が別の記載と異なります",
                        f"{s.sheet} {s.section} {s.item}: terminal {existing['id']} is described with "
                        "other authentication factors elsewhere; the first description is kept",
                    )
                return
        entry: dict[str, object] = {
            "id": f"{owner}-{self.pat.systems[system].slug}-terminal",
            "owner": owner,
            "system": system,
        }
        entry.update(described)
        self.facts.terminals.append(entry)

    def warn_unauthenticated(self) -> None:
        for term in self.facts.terminals:
            if not term["auth_factors"]:
                self.warnings.add(
                    f"端末 {term['id']} の認証方法の記載がありません",
                    f"no authentication stated for terminal {term['id']}",
                )

    def terminal_covers(self) -> None:
        for s in self.sentences:
            if _ANY_TERMINAL in compact(s.text):
                for term in self.facts.terminals:
                    if term["owner"] in s.implementers:
                        self.facts.cover(s.key, str(term["id"]))

    def contract_sentences(self) -> None:
        for s in self.sentences:
            text = compact(s.text)
            listed = bool(s.bullets) and any(p in text for p in self.pat.contract_phrases)
            prose = None if listed else prose_contract(text, self.pat)
            if not listed and prose is None:
                continue
            self.facts.contract_sentences.add(s.key)
            if s.section == "contractor" and s.client is not None:
                client, bound = s.client, s.implementers
            else:
                # The ward's (or a delegate's) own contract with the parties the sheet hands work to.
                client, bound = s.implementers[0], s.counterparts
            contractors = [p for p in bound if p != client]
            if not contractors:
                self.warnings.add(
                    f"{s.sheet} {s.section} {s.item}: 契約の相手方を特定できません",
                    f"{s.sheet} {s.section} {s.item}: could not tell who the contract binds",
                )
                continue
            items = list(s.bullets) if listed or (prose is not None and prose.from_bullets) else []
            if prose is not None and prose.from_bullets and not items:
                # The clauses are the sub-items printed under the sentence (「1 …次のとおり定める。」 (1) …).
                items = [
                    o.text
                    for o in self.sentences
                    if o.key[:3] == s.key[:3] and o.item.startswith(f"{s.item}-") and o.text
                ]
            if prose is not None and not prose.from_bullets:
                items = list(prose.items)
            clauses: list[dict[str, object]] = []
            for item in items:
                code, candidates = best_code(item, "contract.")
                clause: dict[str, object] = {"text": item}
                if code is not None:
                    clause["code"] = code
                else:
                    self.facts.unmapped_clauses.append((s.key, item))
                if len(candidates) > 1 and any(j in compact(item) for j in _JOINS):
                    # 「秘密保持及び目的外利用の禁止」「従事者の明確化及び教育」: one printed item joining two
                    # clauses is two clauses, each with its code.
                    clauses.extend({"text": item, "code": c} for c in candidates)
                    continue
                if len(candidates) > 1:
                    self.warnings.add(
                        f"{s.sheet} {s.section} {s.item}: 条項「{item}」は複数のコードに該当します"
                        f"（{', '.join(candidates)}）。{code} を採用",
                        f"{s.sheet} {s.section} {s.item}: clause 「{item}」 matches several codes "
                        f"({', '.join(candidates)}); {code} kept",
                    )
                clauses.append(clause)
            taken = {str(c["id"]) for c in self.facts.contracts}
            base = f"{client}-contractors"
            ident, k = base, 2
            while ident in taken:
                ident, k = f"{base}-{k}", k + 1
            contract: dict[str, object] = {
                "id": ident,
                "client": client,
                "contractors": contractors,
                "clauses": clauses,
                "source": _source(s),
            }
            open_list = _NON_EXHAUSTIVE in text or (prose is not None and prose.open)
            if open_list:
                contract["clauses_open"] = True
                contract["note"] = (
                    "条項の列挙は「等」で導かれているか別の文書に委ねられており、網羅的ではない。"
                    " The clauses are introduced by 「等」 or left to another document: not an exhaustive list."
                )
            if prose is not None and prose.refers_to:
                contract["refers_to"] = prose.refers_to
            same = next(
                (
                    c
                    for c in self.facts.contracts
                    if c["client"] == client
                    and set(c["contractors"]) == set(contractors)  # type: ignore[call-overload]
                    and c["source"]["sheet"] == s.sheet  # type: ignore[index]
                ),
                None,
            )
            if same is not None:
                # Two sentences of one sheet about the contract with the same parties describe one
                # contract (「委託契約書に…を定める。」「このほか、以下の内容等を契約書に定める。」).
                same["clauses"].extend(clauses)  # type: ignore[attr-defined]
                if open_list:
                    same["clauses_open"] = True
                    same.setdefault("note", contract.get("note"))
                if "refers_to" in contract:
                    same.setdefault("refers_to", contract["refers_to"])
                for party in contractors:
                    self.facts.cover(s.key, party)
                continue
            self.facts.contracts.append(contract)
            for party in contractors:
                self.facts.cover(s.key, party)

    def chain_contract_sentences(self) -> None:
        # 「再委託先には、受託者と同等の義務を契約により負わせる」: the contract between each contractor and
        # its subcontractors, its clauses left to what binds the contractor (open, refers_to the wording).
        rules = self.pat.chain_contract
        for s in self.sentences:
            text = compact(s.text)
            if not any(w in text for w in rules.subjects) or "契約" not in text:
                continue
            if not any(w in text for w in rules.obligations):
                continue
            equal = next((w for w in rules.obligations if w in text), "")
            for sub in (p for p in self.parties.values() if p.role == "subcontractor" and self._depth(p) == 3):
                client = sub.received_from or self.principal.id
                if any(c["client"] == client and sub.id in c["contractors"] for c in self.facts.contracts):  # type: ignore[operator]
                    continue
                self.facts.contracts.append(
                    {
                        "id": f"{client}-{sub.id}",
                        "client": client,
                        "contractors": [sub.id],
                        "clauses": [],
                        "clauses_open": True,
                        "refers_to": equal,
                        "note": "再委託先には委託先と同等の義務を契約で課すと記載（条項は列挙されていない）。"
                        " The subcontractor is bound by contract to the contractor's obligations; no clause listed.",
                        "source": _source(s),
                    }
                )
                self.facts.cover(s.key, sub.id)

    def permission_sentences(self) -> None:
        # 「本件の再委託については令和5年3月10日付けで承諾している」: the principal's permission for the
        # subcontractors of the level the sentence speaks of (再委託 → the first, 再々委託 → the second),
        # or of the one it names. A permission given by someone else (「委託先の承諾を得て」) is not
        # the original principal's, and records nothing.
        rules = self.pat.permission
        principal = (self.principal.id,)
        extra = [
            Sentence("context", "principal", "operational", f"c{k}", t, (), principal, None)
            for k, t in enumerate(self.context)
        ]
        for s in [*self.sentences, *extra]:
            text = compact(s.text)
            levels = [depth for word, depth in rules.subjects.items() if word in text]
            granted = any(g in text for g in rules.granted) or (
                "あらかじめ" in text and any(g in text for g in rules.granted_in_advance)
            )
            if not levels or not granted or any(o in text for o in rules.by_other):
                continue
            depth = max(levels)
            subs = [p for p in self.parties.values() if p.role == "subcontractor" and self._depth(p) == depth]
            named = {i for _at, ids in self._mentions(text, s) for i in ids} & {p.id for p in subs}
            date = _DATE_IN.search(text)
            for party in subs:
                if named and party.id not in named:
                    continue
                permission: dict[str, object] = {"granted_by": self.principal.id, "reference": s.text}
                if date is not None:
                    with contextlib.suppress(DateParseError):  # an unreadable date stays in the reference
                        permission["granted_on"] = parse_date(date.group(0)).isoformat()
                self.facts.permissions.setdefault(party.id, permission)
                if s.sheet != "context":
                    self.facts.cover(s.key, party.id)

    def _depth(self, party: PartyDraft) -> int:
        # 3 for a 再委託先 (its upstream is not a subcontractor), 4 for a 再々委託先 …
        depth, seen = 3, {party.id}
        upstream = self.parties.get(party.received_from or "")
        while upstream is not None and upstream.role == "subcontractor" and upstream.id not in seen:
            depth, seen = depth + 1, seen | {upstream.id}
            upstream = self.parties.get(upstream.received_from or "")
        return depth

    def named_party_covers(self) -> None:
        contractors = [p.id for p in self.parties.values() if p.role == "contractor"]
        terms = [compact(t) for t in forms().prose.contractor_terms]
        for s in self.sentences:
            text = compact(s.text)
            # 「受託者が行う業務は、…事実行為に限定し、本人確認は区職員が行う」: a sentence whose subject is the
            # contractor's work limits what the contractors do; it covers them.
            if (
                s.section == "principal"
                and any(text.startswith(t) for t in terms)
                and any(c.startswith("handover.") for c in read_codes(s.text).codes)
            ):
                for ident in contractors:
                    self.facts.cover(s.key, ident)
            if s.section != "principal" or not text.endswith("させる。"):
                continue
            for _at, ids in self._mentions(text, s):
                for ident in ids:
                    if ident not in s.implementers:
                        self.facts.cover(s.key, ident)


@dataclass(frozen=True)
class ProseContract:
    """A contract stated in a sentence: 「委託契約書に、秘密の保持、…を定める」."""

    items: tuple[str, ...]
    open: bool
    """「等」 ends the list, or the clauses are left to another document (特記事項)."""
    refers_to: str | None
    from_bullets: bool
    """「以下の内容等を契約書に定める」: the clauses are the sentence's bullets."""


# Every variable-length part of a pattern run on document text is bounded (#15 item 8): an unbounded
# lazy 「[^、。]+?を契約書に」 is retried from every start of a long clause, quadratic in its length. The
# bounds are far above what a council sentence writes (a clause, a contract's clause list).
_PHRASE_MAX = 80
_CLAUSE_MAX = 300
_LIST_MAX = 1000


_JOINS = ("及び", "並びに", "と", "・")


def _clause_end(text: str, end: int) -> int:
    # 「電子メールによる送付は行わない」: the method's phrase names the means; its clause's verb (送付,
    # 送信) follows and the negation after it. Skip the particle and the verb noun to reach the predicate.
    for verb in ("による送付", "による送信", "による送受信", "で送付", "で送信", "での送付", "での送信"):
        if text.startswith(verb, end):
            return end + len(verb)
    return end


def prose_contract(text: str, pat: Patterns) -> ProseContract | None:
    """The contract a (compact) sentence states in prose, or None (see ``patterns.yaml`` ``contract_prose``)."""
    rules = pat.contract_prose
    documents = "|".join(re.escape(d) for d in sorted(rules.documents, key=len, reverse=True))
    verbs = "|".join(re.escape(v) for v in rules.verbs)
    intros = "|".join(re.escape(i) for i in rules.list_intros)
    references = tuple(rules.references)
    # 「委託契約書の個人情報取扱特記事項において、次のとおり定める。」 over (1) (2) …, 「委託先との契約において、
    # 以下の事項を定める。」 over its bullets: the clauses are printed under the sentence.
    if re.search(
        rf"(?:{documents}).{{0,30}}?(?:{intros})(?:のとおり|の事項|の内容|の条項)(?P<etc>等?)を?(?:{verbs})", text
    ):
        return ProseContract((), "等を" in text, None, True)
    # 「委託契約書に、A、B並びにCを定める」; 「契約書に個人情報取扱特記事項を添付し」 (one document named)
    m = re.search(
        rf"(?:{documents})(?:において|には|に|で)、?(?P<list>.{{1,{_LIST_MAX}}}?)(?:について)?を?(?:{verbs})", text
    )
    if m is not None:
        raw = m.group("list")
        for tail in ("の事項", "の内容", "の条項", "に関する事項"):
            # 「…事故発生時の報告等の事項を定める」: 「等」 before the closing noun still opens the list.
            if raw.endswith("等" + tail):
                raw = raw.removesuffix(tail)
        if "、" in raw or raw.endswith("禁止"):
            items = [i.strip() for i in re.split(r"、|並びに", raw.removesuffix("等")) if i.strip()]
            return ProseContract(tuple(items), raw.endswith("等"), None, False)
        if any(r in raw for r in references):
            return ProseContract((), True, raw, False)
    # 「秘密保持に関する事項を契約内容に含める」「秘密保持に関しても契約に含める」: one named clause; 「も」
    # says it is one among others (open).
    if rules.includes:
        about = "|".join(re.escape(w) for w in rules.includes)
        into = "|".join(re.escape(w) for w in sorted(rules.includes_into, key=len, reverse=True))
        m = re.search(
            rf"(?P<item>[^、。にはをて]{{1,{_PHRASE_MAX}}}?)(?:{about})(?P<also>も)?を?(?:{into})に(?:含め|盛り込)",
            text,
        )
        if m is not None:
            return ProseContract((m.group("item"),), bool(m.group("also")), None, False)
    # 「「…業務委託契約書」(以下、「契約書」という。)で定める再委託申請手続を経て」 (a 仕様書): the named contract
    # holds that clause, and others the sentence does not list (open; refers_to the contract).
    m = re.search(
        rf"「(?P<ref>[^」]{{0,{_PHRASE_MAX}}}(?:{documents}))」(?:\(以下[^)]{{0,{_PHRASE_MAX}}}\))?"
        rf"(?:で|に|において)定める(?P<item>[^、。をにはて]{{1,{_PHRASE_MAX}}})",
        text,
    )
    if m is not None:
        return ProseContract((m.group("item"),), True, m.group("ref"), False)
    # 「以下の内容等を契約書に定める」「個人情報の取扱いに関する特記事項を契約書に定め」
    m = re.search(rf"(?P<what>[^、。]{{1,{_CLAUSE_MAX}}}?)を(?:{documents})(?:に|において|で)(?:{verbs})", text)
    if m is not None:
        what = m.group("what")
        if what.startswith(tuple(rules.list_intros)):
            return ProseContract((), what.endswith("等") or "等" in what, None, True)
        if not any(r in what for r in references):
            # 「業務上知り得た個人情報を第三者に漏らしてはならないことを契約書に定める」: the sentence names
            # the one clause it puts in the contract.
            return ProseContract((what,), what.endswith("等"), None, False)
        return ProseContract((), True, what, False)
    # 「委託先との契約については、別紙特記事項のとおりとする」: the contract defers to another document.
    m = re.search(
        rf"契約(?:について|については|は)、?(?P<what>[^、。]{{1,{_CLAUSE_MAX}}}?)(?:のとおり|による|に定めるとおり)",
        text,
    )
    if m is not None and any(r in m.group("what") for r in references):
        return ProseContract((), True, m.group("what"), False)
    return None


def extract_facts(
    parties: list[PartyDraft], sentences: list[Sentence], warnings: Warnings, context: tuple[str, ...] = ()
) -> Facts:
    """Run the passes in dependency order (see the module docstring); ``parties[0]`` is the ward.

    ``context``: the document's other sentences (its party field, a prose outline), read only for the
    principal's permission of a subcontract (「再委託については…付けで市が承諾した」 printed beside the
    再委託先, not among the measures)."""
    ex = _Extractor(parties, sentences, warnings)
    ex.context = context
    ex.method_sentences()
    ex.line_sentences()
    ex.encryption_sentences()
    ex.terminal_sentences()
    ex.warn_unauthenticated()
    ex.terminal_covers()
    ex.contract_sentences()
    ex.named_party_covers()
    ex.chain_contract_sentences()
    ex.permission_sentences()
    return ex.facts
