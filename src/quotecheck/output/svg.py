"""Charts as inline SVG: horizontal bars and 100 % stacked bars, labelled with their numbers.

No script and no style attribute: presentation attributes only, so the page's
Content-Security-Policy can forbid everything else. Every label is escaped; each chart has a
``<title>`` and an ``aria-label``, and the dashboard prints the same figures as a table.
Renders numbers only: imports nothing of the package but ``output.html_page``.
"""

from __future__ import annotations

from quotecheck.output.html_page import esc

WIDTH = 680
LABEL_W = 220
ROW_H = 26
BAR_H = 18
_FONT = 'font-family="system-ui, Arial, sans-serif" font-size="12"'


def _clip(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _frame(title: str, rows: int, extra: int = 0) -> tuple[str, int]:
    height = rows * ROW_H + 8 + extra
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" aria-label="{esc(title)}"><title>{esc(title)}</title>'
    )
    return head, height


def bar_chart(title: str, rows: list[tuple[str, float]], colour: str = "#1d4ed8") -> str:
    """One bar per ``(label, value)``, scaled to the largest value, value written after it."""
    if not rows:
        return ""
    head, _ = _frame(title, len(rows))
    top = max(v for _, v in rows) or 1
    span = WIDTH - LABEL_W - 60
    parts = [head]
    for i, (label, value) in enumerate(rows):
        y = 4 + i * ROW_H
        w = max(1.0, span * value / top) if value else 0
        shown = f"{value:g}"
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y + 13}" text-anchor="end" {_FONT} fill="#1d2125">'
            f"{esc(_clip(label))}</text>"
            f'<rect x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{BAR_H}" fill="{colour}" rx="2">'
            f"<title>{esc(label)}: {shown}</title></rect>"
            f'<text x="{LABEL_W + w + 6:.1f}" y="{y + 13}" {_FONT} fill="#1d2125">{shown}</text>'
        )
    return "".join(parts) + "</svg>"


def stacked_chart(
    title: str,
    rows: list[tuple[str, dict[str, int]]],
    parts: list[tuple[str, str]],
) -> str:
    """One 100 % bar per ``(label, {part: count})``; ``parts`` gives each part's colour and
    the legend order. Shares of 8 % or more are written inside their segment."""
    if not rows:
        return ""
    head, height = _frame(title, len(rows), extra=ROW_H)
    span = WIDTH - LABEL_W - 70
    out = [head]
    for i, (label, counts) in enumerate(rows):
        y = 4 + i * ROW_H
        total = sum(counts.get(p, 0) for p, _ in parts)
        x = float(LABEL_W)
        out.append(
            f'<text x="{LABEL_W - 8}" y="{y + 13}" text-anchor="end" {_FONT} fill="#1d2125">'
            f"{esc(_clip(label))}</text>"
        )
        for part, colour in parts:
            n = counts.get(part, 0)
            if not n or not total:
                continue
            w = span * n / total
            out.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{BAR_H}" fill="{colour}">'
                f"<title>{esc(label)}: {esc(part)} {n} of {total} ({100 * n / total:.0f} %)"
                "</title></rect>"
            )
            if n / total >= 0.08:
                out.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 13}" text-anchor="middle" {_FONT} '
                    f'fill="#fff">{100 * n / total:.0f}%</text>'
                )
            x += w
        out.append(
            f'<text x="{LABEL_W + span + 6}" y="{y + 13}" {_FONT} fill="#5b636b">{total}</text>'
        )
    ly = height - ROW_H + 8
    lx = LABEL_W
    for part, colour in parts:
        out.append(
            f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{colour}"></rect>'
            f'<text x="{lx + 16}" y="{ly + 10}" {_FONT} fill="#1d2125">{esc(part)}</text>'
        )
        lx += 24 + 8 * len(part)
    return "".join(out) + "</svg>"
