"""benchmarks/stages.py times the pipeline by wrapping its functions in place: if one is renamed or
no longer looked up where the script wraps it, its stage would silently read 0 µs. This keeps the
profile honest (and checks that the script puts every function back)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]


def _stages_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sgc_bench_stages", REPO / "benchmarks" / "stages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_stage_of_the_profile_is_reached_and_the_pipeline_is_put_back(tmp_path: Path) -> None:
    import yaml

    from safeguard_check import batch, check
    from safeguard_check.engine import durable
    from safeguard_check.load import declaration
    from safeguard_check.load.catalog import load_catalog

    stages = _stages_script()
    before = (yaml.compose_all, check.build_facts, durable.evaluate, declaration.Declaration, batch.pack)
    worker = dict(vars(batch._Worker))
    paths = stages.corpus(tmp_path, 3)

    spent = stages.one_round(paths, load_catalog())

    assert set(spent) == {name for name, _ in stages.STAGES}
    unreached = [name for name, seconds in spent.items() if name != "other" and seconds <= 0]
    assert unreached == []
    assert (yaml.compose_all, check.build_facts, durable.evaluate, declaration.Declaration, batch.pack) == before
    assert dict(vars(batch._Worker)) == worker
