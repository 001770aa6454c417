"""The fast JSON writer must write exactly what the standard library writes."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard_check.report.json_text import dumps_indented

# What reports hold: strings (Japanese, controls, surrogate-free), integers, booleans, null, lists and
# string-keyed objects — plus floats and huge integers, which must take the standard library's path.
leaves = (
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12)
    | st.integers(-(2**70), 2**70)
    | st.booleans()
    | st.none()
    | st.floats(allow_nan=True)
)
documents = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(documents, st.booleans())
def test_same_text_as_the_standard_library(data: object, sort_keys: bool) -> None:
    expected = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=sort_keys) + "\n"
    assert dumps_indented(data, sort_keys=sort_keys) == expected


def test_japanese_and_controls_are_written_as_the_standard_library_does() -> None:
    data = {"件名": "個人番号カード\u3000「委任」\n\t\u2028", "z": [], "a": {}, "n": -1}
    assert dumps_indented(data, sort_keys=True) == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
