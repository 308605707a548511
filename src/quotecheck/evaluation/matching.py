"""One-to-one matching of predictions to gold (the Hungarian method), with no extra dependency.

Two predictions that overlap one gold quote must count once; a greedy match can also pair the
wrong ones, so the assignment that maximises the total overlap is used.
Imports nothing of the package.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def _min_cost_rows(cost: Sequence[Sequence[float]]) -> list[int]:
    """Column assigned to each row, minimising total cost; needs rows <= columns."""
    n, m = len(cost), len(cost[0])
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    owner = [0] * (m + 1)  # owner[j]: 1-based row holding column j (0: free)
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        owner[0] = i
        j0 = 0
        minv = [math.inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = owner[j0], math.inf, 0
            for j in range(1, m + 1):
                if used[j]:
                    continue
                cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                if cur < minv[j]:
                    minv[j], way[j] = cur, j0
                if minv[j] < delta:
                    delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    rows = [-1] * n
    for j in range(1, m + 1):
        if owner[j]:
            rows[owner[j] - 1] = j - 1
    return rows


def max_weight_matching(
    weights: Sequence[Sequence[float]], threshold: float
) -> list[tuple[int, int, float]]:
    """Pairs (row, column, weight) of a one-to-one matching with maximal total weight.

    Only pairs whose weight is at least ``threshold`` are kept; lower weights never count.
    """
    if not weights or not weights[0]:
        return []
    n, m = len(weights), len(weights[0])
    eligible = [[w if w >= threshold else 0.0 for w in row] for row in weights]
    if n <= m:
        rows = _min_cost_rows([[-w for w in row] for row in eligible])
        pairs = [(i, j) for i, j in enumerate(rows)]
    else:
        cols = _min_cost_rows([[-eligible[i][j] for i in range(n)] for j in range(m)])
        pairs = [(i, j) for j, i in enumerate(cols)]
    return sorted(
        (i, j, weights[i][j]) for i, j in pairs if j >= 0 and i >= 0 and eligible[i][j] > 0
    )
