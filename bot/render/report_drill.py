"""A report figure's deals: a numbered page with a button per deal (it opens the card), paging,
the export row and the way back to the report. Pure: deals in, text + keyboard out."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import DealAction, DealCb
from bot.callbacks.report import DrillCb, DrillExportCb, ReportCb, ReportView
from bot.i18n import Html, Tr
from bot.render.format import clip, esc, fmt_amount
from bot.render.report import ReportContext, period_text, who_text
from models.deals import Deal
from models.services.export import ExportFormat
from models.services.report_figures import PERSON_FIGURES, Figure

PAGE_SIZE = 8
TEXT_LIMIT = 4096
TITLE_CLIP = 80
CLIP = 40

_BACK = {
    Figure.cohort: ReportView.funnel,
    Figure.reached: ReportView.funnel,
    Figure.cohort_lost: ReportView.funnel,
    Figure.src_new: ReportView.sources,
    Figure.src_won: ReportView.sources,
    Figure.src_lost: ReportView.sources,
}


def _item(n: int, deal: Deal, tr: Tr) -> str:
    parts = []
    who = ", ".join(x for x in (deal.client_name, deal.company) if x)
    if who:
        parts.append("👤 " + esc(clip(who, CLIP)))
    parts.append(esc(clip(deal.stage.label(tr.locale), CLIP)))
    if deal.amount is not None:
        parts.append("💰 " + esc(fmt_amount(deal.amount, deal.currency)))
    if deal.reason:
        parts.append("💬 " + esc(clip(deal.reason, CLIP)))
    parts.append("👔 " + esc(clip(deal.owner.display_name, CLIP)))
    return f"<b>{n}.</b> {esc(clip(deal.title, TITLE_CLIP))}\n" + " · ".join(parts)


def render_drill(
    ctx: ReportContext,
    figure: Figure,
    key: int,
    title: str,
    deals: list[Deal],
    total: int,
    page: int,
    tr: Tr,
) -> tuple[str, InlineKeyboardMarkup]:
    pages = max(1, -(-total // PAGE_SIZE))
    params = {
        "figure": title,
        "who": who_text(ctx.scope, tr),
        "period": Html(esc(period_text(ctx.period, tr))),
    }
    start, end = ctx.period.codes
    team = ctx.scope.team_id
    rows: list[list[InlineKeyboardButton]] = []
    if not total:
        text = tr("report.drill_empty", **params)
    else:
        head = tr("report.drill_title", total=total, **params)
        if pages > 1:
            head += "\n" + tr("report.drill_page", page=page, pages=pages)
        first = (page - 1) * PAGE_SIZE + 1
        items = [_item(n, d, tr) for n, d in enumerate(deals, start=first)]
        while items and len(head) + sum(len(i) + 2 for i in items) > TEXT_LIMIT:
            items.pop()
        text = "\n\n".join([head, *items])
        for n, deal in enumerate(deals, start=first):
            label = deal.client_name or deal.company or deal.title
            data = DealCb(action=DealAction.open, deal_id=deal.id).pack()
            rows.append(
                [InlineKeyboardButton(text=f"{n}. {clip(label, CLIP)}", callback_data=data)]
            )

        def to(number: int, label: str) -> InlineKeyboardButton:
            data = DrillCb(fig=figure, key=key, team=team, start=start, end=end, page=number)
            return InlineKeyboardButton(text=label, callback_data=data.pack())

        if pages > 1:
            nav = []
            if page > 1:
                nav.append(to(page - 1, tr("common.prev")))
            nav.append(to(page, tr("common.page", page=page, pages=pages)))
            if page < pages:
                nav.append(to(page + 1, tr("common.next")))
            rows.append(nav)
        export = []
        for fmt, label in (
            (ExportFormat.xlsx, "export.btn_xlsx"),
            (ExportFormat.csv, "export.btn_csv"),
        ):
            packed = DrillExportCb(fig=figure, fmt=fmt, key=key, team=team, start=start, end=end)
            export.append(InlineKeyboardButton(text=tr(label), callback_data=packed.pack()))
        rows.append(export)
    if figure in PERSON_FIGURES:
        back = ReportCb(view=ReportView.person, team=team, start=start, end=end, key=key)
    else:
        back = ReportCb(view=_BACK[figure], team=team, start=start, end=end)
    rows.append([InlineKeyboardButton(text=tr("report.btn_back"), callback_data=back.pack())])
    return text, InlineKeyboardMarkup(inline_keyboard=rows)
