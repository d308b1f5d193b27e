"""The assignment problem (Kuhn–Munkres, the "Hungarian algorithm"): give each row a
column so that the total cost is least, in O(n² m) plain Python.

The speed meeting planner solves one per round; scipy's `linear_sum_assignment` would
be faster but weighs 150 MB with numpy, and 30 × 30 takes about 2 ms here, which is
enough (bench/speed_meetings.py measures it).
"""

from collections.abc import Sequence

INFINITY = float("inf")


def assign(costs: Sequence[Sequence[float]]) -> list[int | None]:
    """The column each row gets, in a least-cost assignment of the rectangular matrix
    `costs`: every row has one when there are at least as many columns as rows;
    otherwise every column is used and the rows left over get None."""
    if not costs or not costs[0]:
        return [None] * len(costs)
    rows, columns = len(costs), len(costs[0])
    if rows <= columns:
        return _assign_rows(costs)
    transposed = [[costs[row][column] for row in range(rows)] for column in range(columns)]
    of_row = [None] * rows
    for column, row in enumerate(_assign_rows(transposed)):
        of_row[row] = column
    return of_row


def _assign_rows(costs: Sequence[Sequence[float]]) -> list[int]:
    """Rows no more than columns. Adds the rows one at a time, each by the shortest
    augmenting path over reduced costs (Dijkstra), keeping a potential per row and per
    column so that the reduced costs stay non-negative; column 0 is the path's start."""
    rows, columns = len(costs), len(costs[0])
    row_potential = [0] * (rows + 1)
    column_potential = [0] * (columns + 1)
    row_of_column = [0] * (columns + 1)  # 1-based rows; 0: the column is free
    previous_column = [0] * (columns + 1)
    for row in range(1, rows + 1):
        row_of_column[0] = row
        column = 0
        slack = [INFINITY] * (columns + 1)
        reached = [False] * (columns + 1)
        while row_of_column[column]:
            reached[column] = True
            from_row = row_of_column[column]
            line, potential = costs[from_row - 1], row_potential[from_row]
            delta, nearest = INFINITY, 0
            for candidate in range(1, columns + 1):
                if reached[candidate]:
                    continue
                reduced = line[candidate - 1] - potential - column_potential[candidate]
                if reduced < slack[candidate]:
                    slack[candidate] = reduced
                    previous_column[candidate] = column
                if slack[candidate] < delta:
                    delta, nearest = slack[candidate], candidate
            for candidate in range(columns + 1):
                if reached[candidate]:
                    row_potential[row_of_column[candidate]] += delta
                    column_potential[candidate] -= delta
                else:
                    slack[candidate] -= delta
            column = nearest
        while column:  # flip the path: each column on it takes its predecessor's row
            before = previous_column[column]
            row_of_column[column] = row_of_column[before]
            column = before
    column_of_row = [0] * rows
    for column in range(1, columns + 1):
        if row_of_column[column]:
            column_of_row[row_of_column[column] - 1] = column - 1
    return column_of_row
