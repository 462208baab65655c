"""The lead's summary, the daily rhythm's part: the team's stale deals (count, the worst ones)
and who is away until when (and who covers)."""

from __future__ import annotations

from bot.i18n import Tr
from bot.render.away import away_summary_lines
from bot.render.staleness import summary_stale_lines
from models.users import User

from .context import SchedulerContext


async def rhythm_blocks(ctx: SchedulerContext, lead: User, tr: Tr) -> str:
    """Blocks to append to the summary text ("" when there is nothing to add)."""
    now = ctx.clock()
    async with ctx.reader() as session:
        crm = ctx.crm(session)
        stale, names = await crm.staleness.team(lead, now)
        away = []
        if lead.team_id is not None:
            away = await crm.absences.in_force(now, team_ids=[lead.team_id])
    blocks = []
    if stale.total:
        blocks.append("\n".join(summary_stale_lines(stale, names, tr)))
    if away:
        blocks.append("\n".join(away_summary_lines(away, tr)))
    return "".join("\n\n" + block for block in blocks)
