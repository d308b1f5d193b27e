"""The least-cost assignment, against brute force on every small matrix hypothesis
draws, and on cases worked by hand."""

from itertools import permutations

from hypothesis import given, settings
from hypothesis import strategies as st

from eventdays.planning.assignment import assign


def total(costs, columns):
    return sum(costs[row][column] for row, column in enumerate(columns) if column is not None)


def cheapest_by_brute_force(costs):
    rows, columns = len(costs), len(costs[0])
    if rows <= columns:
        return min(total(costs, chosen) for chosen in permutations(range(columns), rows))
    return min(
        sum(costs[row][column] for column, row in enumerate(chosen))
        for chosen in permutations(range(rows), columns)
    )


matrices = st.integers(1, 6).flatmap(
    lambda rows: st.integers(1, 6).flatmap(
        lambda columns: st.lists(
            st.lists(st.integers(-20, 100), min_size=columns, max_size=columns),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=300)
@given(matrices)
def test_the_assignment_costs_what_the_cheapest_of_all_costs(costs):
    columns = assign(costs)

    assigned = [column for column in columns if column is not None]
    assert len(assigned) == min(len(costs), len(costs[0]))
    assert len(set(assigned)) == len(assigned)
    assert total(costs, columns) == cheapest_by_brute_force(costs)


def test_a_square_matrix_worked_by_hand():
    costs = [[4, 1, 3], [2, 0, 5], [3, 2, 2]]

    assert assign(costs) == [1, 0, 2]


def test_more_columns_than_rows_leaves_the_dear_columns_unused():
    costs = [[9, 1, 7, 8], [1, 9, 8, 7]]

    assert assign(costs) == [1, 0]


def test_more_rows_than_columns_leaves_the_dear_rows_without_one():
    costs = [[5, 9], [1, 9], [9, 2]]

    assert assign(costs) == [None, 0, 1]


def test_costs_near_the_float_precision_stay_exact():
    """The planner's costs are integers of many digits: a float would round them."""
    big = 10**17
    costs = [[big + 1, big], [big, big + 3]]

    assert assign(costs) == [1, 0]


def test_an_empty_matrix_assigns_nothing():
    assert assign([]) == []
    assert assign([[], []]) == [None, None]
