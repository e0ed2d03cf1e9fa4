"""`make demo` inside the test command: scripts/demo.py runs the taxi trace through both
designs, checks its figures (desired within [min, max], cost equal to the billed
member-hours) and writes the plot."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_demo():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("demo", ROOT / "scripts" / "demo.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_demo_runs_and_its_figures_hold(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    demo = load_demo()
    demo.PLOT.unlink(missing_ok=True)
    assert demo.main() == 0
    out = capsys.readouterr().out
    for row in ("member-hours", "cost (on-demand)", "SLO breached, minutes", "scaling activities"):
        assert row in out
    assert demo.PLOT.stat().st_size > 10_000


def test_the_demo_check_catches_a_ledger_that_does_not_add_up() -> None:
    demo = load_demo()

    class Fake:
        desired = [2, 3]
        totals = {"member_seconds": 7200.0, "cost": 5.0}

        def __len__(self) -> int:
            return 2

    config = {"group": {"min_size": 1, "max_size": 4}, "simulation": {"price_per_hour": 1.0}}
    with pytest.raises(SystemExit, match="ledger"):
        demo.check("fake", Fake(), config)
    Fake.totals = {"member_seconds": 7200.0, "cost": 2.0}
    demo.check("fake", Fake(), config)
    Fake.desired = [2, 5]
    with pytest.raises(SystemExit, match="left"):
        demo.check("fake", Fake(), config)
