"""Horizontal bar charts as plain geometry, drawn as inline SVG by templates/_bar_chart.html.

Server-side SVG needs no script (the Content-Security-Policy forbids inline script anyway),
prints, and scales; each chart also comes with its numbers as a table.
"""

from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 220
VALUE_WIDTH = 90
ROW = 26
BAR = 18


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    text: str  # the value as shown: "1,234" or "$5,000"
    y: int
    width: int


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str  # what a screen reader says for the whole image
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    bar_space: int = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    width: int = WIDTH
    bar_height: int = BAR


def bar_chart(
    chart_id: str, title: str, items: list[tuple[str, int]], *, money: bool = False
) -> Chart:
    """Bars scaled to the largest value (a zero chart draws empty bars, never divides by 0)."""
    space = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    largest = max((value for _, value in items), default=0) or 1
    texts = [f"${value:,}" if money else f"{value:,}" for _, value in items]
    bars = [
        Bar(label, value, text, index * ROW, round(space * value / largest))
        for index, ((label, value), text) in enumerate(zip(items, texts, strict=True))
    ]
    summary = "; ".join(f"{label}: {text}" for (label, _), text in zip(items, texts, strict=True))
    description = summary or "No data."  # read after the title
    return Chart(chart_id, title, description, bars, max(len(bars), 1) * ROW)
