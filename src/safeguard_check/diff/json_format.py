"""``diff --format json``: the :class:`PlanDiff` as deterministic JSON (keys sorted, UTF-8 kept).

The same whatever ``--lang`` (texts that exist in both languages carry both). Shape, format version 1::

    {
      "format_version": 1, "tool": "safeguard-check", "tool_version": "…",
      "engine": "durable", "catalog_digest": "…", "fail_on": "high",
      "old": {"file", "title", "municipality", "department", "effective_date", "as_of", "as_of_source",
              "findings"},                      # findings: open findings of that plan
      "new": {…same…},
      "changes": [                              # sorted: part kind, key, field, op, values
        {"entity": "plan|sheet|data_item|medium|party|transfer|terminal|measure|contract",
         "key": "npb",                          # the part's id (new one), or sheet/section/category/item
         "op": "added|removed|changed|renamed",
         "field": "tasks",                      # "" = the whole part; dotted for nested ("period.start")
         "old": …, "new": …,                    # text, number, boolean or null (dates as ISO text)
         "code": null,                          # a clause's code; method/system of a whole transfer/terminal
         "label": "国立行政法人国立印刷局",       # the part's name for people, when it has one
         "old_line": 170, "new_line": 156}      # where in each file (null when not there)
      ],
      "findings": [                             # sorted: introduced, resolved, changed; severity; rule
        {"status": "introduced|resolved|changed", "fingerprint", "rule_id", "title": {"ja", "en"},
         "severity", "old_severity", "subject_kind", "subject_id", "subject_name", "party_id",
         "missing": [{"code", "label": {"ja", "en"}}], "missing_mode",
         "missing_added": [codes], "missing_removed": [codes],
         "requirements": [{"id", "instrument", "label", "title", "verification", "in_force"}],
         "file", "line"}
      ],
      "findings_unchanged": 14,
      "summary": {"changes": 7, "introduced": {"critical": 1, …}, "resolved": 1, "changed": 0,
                  "fails": true}                # fails: a gap at or above fail_on was introduced
    }

For a list field a change names one member: ``op`` ``added`` with the member in ``new`` or
``removed`` with it in ``old``.
"""

from __future__ import annotations

import json
from typing import Any

from safeguard_check.diff.model import PlanDiff


def diff_data(diff: PlanDiff) -> dict[str, Any]:
    """The diff as JSON-ready data, with a summary."""
    data = diff.model_dump(mode="json")
    data["summary"] = {
        "changes": len(diff.changes),
        "introduced": diff.introduced_counts(),
        "resolved": len(diff.by_status("resolved")),
        "changed": len(diff.by_status("changed")),
        "fails": diff.fails(),
    }
    return data


def render_json(diff: PlanDiff) -> str:
    """Deterministic JSON text (ends with a newline)."""
    return json.dumps(diff_data(diff), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
