"""Terminal plots: horizontal bars drawn with block characters, plain text only."""

from __future__ import annotations

BLOCKS = " ▏▎▍▌▋▊▉█"


def bar(value: float, maximum: float, width: int) -> str:
    """A bar of `width` cells at most, in eighths of a cell."""
    if maximum <= 0 or value <= 0:
        return ""
    eighths = round(8 * width * min(value, maximum) / maximum)
    full, part = divmod(eighths, 8)
    return "█" * full + (BLOCKS[part] if part else "")


def bar_chart(
    rows: list[tuple[str, int | float | str | None]],
    *,
    width: int = 40,
    maximum: float | None = None,
) -> str:
    """One line per row: label, bar, value; bars scaled to `maximum` (default: the largest
    value). A suppressed value ("<5") or a missing one gets no bar, so a small group is not
    given away by its length."""
    numbers = [v for _, v in rows if isinstance(v, int | float)]
    if maximum is None:
        maximum = max(numbers, default=0)
    label_width = max((len(label) for label, _ in rows), default=0)
    lines = []
    for label, value in rows:
        shown = "–" if value is None else str(value).replace(".", ",")
        drawn = bar(value, maximum, width) if isinstance(value, int | float) else ""
        lines.append(f"{label.ljust(label_width)}  {drawn} {shown}".rstrip())
    return "\n".join(lines)
