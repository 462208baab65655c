"""Horizontal bar charts drawn with Pillow: panels side by side, a bar per row, an optional
target behind each bar, the figure after it. Returns PNG bytes.

Why Pillow and not matplotlib: a chart here is a few rectangles and labels. matplotlib took
~1 s per summary chart on this machine (and ~0.5 s and ~100 MB to import), so 500 leads'
summaries cost minutes of CPU at 19:00 while managers use the bot; this draws one in a few
milliseconds. The font (DejaVu Sans, Cyrillic included) ships in bot/render/fonts, so the
chart looks the same on every machine. Fonts are loaded once per thread (a FreeType face is
not safe to share between threads drawing at the same time)."""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONTS = Path(__file__).parent / "fonts"
LABEL_LIMIT = 28

# Geometry (pixels) and colours.
PANEL_WIDTH = 560
LABEL_WIDTH = 210
ROW = 30
BAR = 20
TOP = 44
BOTTOM = 34
PAD = 16
BACKGROUND = "#FFFFFF"
INK = "#222222"
MUTED = "#777777"
TARGET = "#D9D9D9"
BLUE = "#4C78A8"
GREEN = "#54A24B"
MARKER = "#C44E52"  # where the bar should be by today (the days of the month elapsed)

_local = threading.local()


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    cache: dict[tuple[int, bool], ImageFont.FreeTypeFont] = _local.__dict__.setdefault("fonts", {})
    key = (size, bold)
    if key not in cache:
        name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
        cache[key] = ImageFont.truetype(str(FONTS / name), size)
    return cache[key]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    target: float | None = None  # drawn behind the bar, in grey
    tag: str | None = None  # the figure after the bar (default: the value)
    marker: float | None = None  # a tick across the bar at this value (the pace by today)


@dataclass(frozen=True)
class Panel:
    title: str
    bars: Sequence[Bar]
    color: str = BLUE
    empty: str = ""  # said when there are no bars
    legend: tuple[str, str] | None = None  # (the bar, the target) when targets are drawn
    thin: bool = field(default=False)  # a thinner bar over its target
    marker_legend: str | None = None  # what the markers mean, when bars carry one
    tag_room: int = 70  # pixels kept after the longest bar for its figure


def short(text: str, limit: int = LABEL_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fit(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """``text`` cut with "…" to fit ``width`` pixels."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def _panel(draw: ImageDraw.ImageDraw, panel: Panel, left: int, rows: int, top: int = 0) -> None:
    title_font, font, small = _font(17, bold=True), _font(13), _font(11)
    width = PANEL_WIDTH - 2 * PAD
    title = _fit(draw, panel.title, title_font, width)
    draw.text((left + PAD, top + 12), title, font=title_font, fill=INK)
    if not panel.bars:
        middle = top + TOP + rows * ROW // 2
        draw.text(
            (left + PANEL_WIDTH // 2, middle), panel.empty, font=font, fill=MUTED, anchor="mm"
        )
        return
    scale_max = max(
        [
            *(b.value for b in panel.bars),
            *(b.target or 0 for b in panel.bars),
            *(b.marker or 0 for b in panel.bars),
            1,
        ]
    )
    span = PANEL_WIDTH - PAD - LABEL_WIDTH - panel.tag_room
    x0 = left + LABEL_WIDTH
    for i, bar in enumerate(panel.bars):
        y = top + TOP + i * ROW
        middle = y + ROW // 2
        label = _fit(draw, short(bar.label), font, LABEL_WIDTH - PAD - 8)
        draw.text((x0 - 8, middle), label, font=font, fill=INK, anchor="rm")
        end = x0
        if bar.target:
            end = x0 + round(span * bar.target / scale_max)
            draw.rectangle((x0, middle - BAR // 2, end, middle + BAR // 2), fill=TARGET)
        height = BAR // 2 if panel.thin else BAR
        if bar.value > 0:
            value_end = x0 + max(2, round(span * bar.value / scale_max))
            draw.rectangle(
                (x0, middle - height // 2, value_end, middle + height // 2), fill=panel.color
            )
            end = max(end, value_end)
        if bar.marker is not None:
            x = x0 + round(span * bar.marker / scale_max)
            reach = BAR // 2 + 3
            draw.rectangle((x - 1, middle - reach, x + 1, middle + reach), fill=MARKER)
            end = max(end, x + 2)
        tag = bar.tag if bar.tag is not None else f"{bar.value:g}"
        draw.text((end + 6, middle), tag, font=small, fill=INK, anchor="lm")
    draw.line((x0, top + TOP - 4, x0, top + TOP + len(panel.bars) * ROW + 4), fill=MUTED, width=1)
    if panel.legend is not None:
        y = top + TOP + rows * ROW + 10
        x = left + PANEL_WIDTH - PAD
        keys = [(panel.legend[0], panel.color), (panel.legend[1], TARGET)]
        if panel.marker_legend is not None:
            keys.append((panel.marker_legend, MARKER))
        for text, colour in reversed(keys):
            x -= round(draw.textlength(text, font=small))
            draw.text((x, y), text, font=small, fill=INK)
            x -= 18
            draw.rectangle((x, y + 1, x + 12, y + 12), fill=colour)
            x -= 14


def draw_panels(panels: Sequence[Panel]) -> bytes:
    """The panels side by side, as tall as the longest; PNG bytes."""
    rows = max([3, *(len(p.bars) for p in panels)])
    size = (PANEL_WIDTH * len(panels), TOP + rows * ROW + BOTTOM)
    image = Image.new("RGB", size, BACKGROUND)
    draw = ImageDraw.Draw(image)
    for index, panel in enumerate(panels):
        _panel(draw, panel, index * PANEL_WIDTH, rows)
    return _png(image)


def panel_height(panel: Panel) -> int:
    return TOP + max(1, len(panel.bars)) * ROW + BOTTOM


def draw_stack(panels: Sequence[Panel]) -> bytes:
    """The panels one under the other, each as tall as its own bars; PNG bytes. A tall and
    narrow picture reads on a phone at the width of the screen, a wide one shrinks."""
    heights = [panel_height(p) for p in panels]
    image = Image.new("RGB", (PANEL_WIDTH, max(1, sum(heights))), BACKGROUND)
    draw = ImageDraw.Draw(image)
    top = 0
    for panel, height in zip(panels, heights, strict=True):
        _panel(draw, panel, 0, max(1, len(panel.bars)), top)
        top += height
    return _png(image)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)  # flat colours: small even so, and quick
    return buffer.getvalue()
