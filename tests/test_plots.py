"""Terminal bar charts: proportional bars, and no bar for a suppressed group."""

from __future__ import annotations

from rehabteam.widgets.plots import bar, bar_chart


def test_bars_are_proportional_in_eighths() -> None:
    assert bar(10, 10, 4) == "████"
    assert bar(5, 10, 4) == "██"
    assert bar(1, 16, 2) == "▏"  # an eighth of a cell
    assert bar(3, 4, 2) == "█▌"  # one and a half cells
    assert bar(0, 10, 4) == "" and bar(3, 0, 4) == ""


def test_a_suppressed_group_gets_no_bar() -> None:
    chart = bar_chart([("Fleksjob", 9), ("Førtidspension", "<5"), ("Andet", None)], width=9)
    assert chart.splitlines() == [
        "Fleksjob        █████████ 9",
        "Førtidspension   <5",
        "Andet            –",
    ]
    assert bar_chart([("%", 50.0)], width=10, maximum=100) == "%  █████ 50,0"
