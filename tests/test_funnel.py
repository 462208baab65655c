"""The funnel computed from deals and their stage moves (models/services/funnel.py): the
furthest stage, "reached" counting the skipped stages, won at the top, the median days of
finished stays, an imported deal (no stage moves: its current stage), a pipeline's own stage."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from models.catalog import Stage, StageKind
from models.services.funnel import WON_STEP, build_funnel


def _stage(id_: int, code: str, position: int, kind: StageKind = StageKind.open,
           pipeline_id: int | None = None) -> Stage:  # fmt: skip
    return Stage(id=id_, code=code, name=code.title(), position=position, kind=kind,
                 pipeline_id=pipeline_id, is_archived=False)  # fmt: skip


STAGES = [
    _stage(1, "contacts", 1),
    _stage(2, "requirements", 2),
    _stage(3, "proposal", 3),
    _stage(4, "won", 8, StageKind.won),
    _stage(5, "lost", 10, StageKind.lost),
    _stage(6, "audit", 2, pipeline_id=9),  # a pipeline's own stage: shown only when used
]
T0 = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


def _deal(id_: int, stage_id: int, status: StageKind) -> SimpleNamespace:
    return SimpleNamespace(id=id_, stage_id=stage_id, status=status.value, created_at=T0)


def _move(deal_id: int, days: float, old: str, new: str) -> SimpleNamespace:
    return SimpleNamespace(deal_id=deal_id, at=T0 + dt.timedelta(days=days), old=old, new=new)


def test_reached_counts_the_furthest_stage_and_everything_before() -> None:
    deals = [
        _deal(1, 4, StageKind.won),  # contacts -> proposal (skips requirements) -> won
        _deal(2, 5, StageKind.lost),  # contacts -> requirements -> lost
        _deal(3, 3, StageKind.open),  # imported at proposal: no stage moves at all
        _deal(4, 1, StageKind.open),  # still at contacts
    ]
    events = [
        _move(1, 2, "contacts", "proposal"),
        _move(1, 6, "proposal", "won"),
        _move(2, 1, "contacts", "requirements"),
        _move(2, 4, "requirements", "lost"),
    ]
    funnel = build_funnel(STAGES, deals, events)
    steps = {s.step_id: s for s in funnel.steps}
    assert [s.step_id for s in funnel.steps] == [1, 2, 3, WON_STEP]  # "audit" unused: hidden
    assert [steps[i].reached for i in (1, 2, 3, WON_STEP)] == [4, 3, 2, 1]
    assert [steps[i].furthest for i in (1, 2, 3, WON_STEP)] == [1, 1, 1, 1]
    assert funnel.reached_ids[2] == {1, 2, 3}  # 1 skipped requirements, 3 was imported past it
    assert steps[1].conversion == 3 / 4 and steps[3].conversion == 1 / 2
    assert steps[WON_STEP].conversion is None
    # Finished stays: contacts 2 d (deal 1) and 1 d (deal 2); requirements 3 d; proposal 4 d.
    assert (steps[1].median_days, steps[2].median_days, steps[3].median_days) == (1.5, 3.0, 4.0)
    assert (funnel.total, funnel.won, funnel.lost, funnel.open, funnel.to_won) == (4, 1, 1, 2, 0.25)


def test_a_pipeline_stage_in_use_is_a_step() -> None:
    deals = [_deal(1, 6, StageKind.open)]
    funnel = build_funnel(STAGES, deals, [_move(1, 1, "contacts", "audit")])
    # Ordered by position with the shared stages (a tie: by id); past it counts as past
    # the stages before it.
    assert [s.step_id for s in funnel.steps] == [1, 2, 6, 3, WON_STEP]
    assert funnel.reached_ids[6] == {1} and funnel.reached_ids[2] == {1}
    assert funnel.reached_ids[3] == set()


def test_empty_cohort() -> None:
    funnel = build_funnel(STAGES, [], [])
    assert funnel.is_empty and funnel.to_won is None
    assert all(s.reached == 0 and s.conversion is None for s in funnel.steps)
