"""Small-cell suppression of survey tables, including a count given away by subtraction."""

from assure.indicators.disclosure import suppress_table


def lines_of(grid: list[list[int]]) -> list[list[tuple[int, int]]]:
    """Rows add up to their last cell; columns to their last row."""
    rows, columns = len(grid), len(grid[0])
    return [[(r, c) for c in range(columns)] for r in range(rows)] + [
        [(r, c) for r in range(rows)] for c in range(columns)
    ]


def test_a_second_cell_is_hidden_so_the_small_one_cannot_be_subtracted() -> None:
    # Answer "yes": council 10, police 3, all 13; "no": 8, 6, 14; answered: 18, 9, 27.
    grid = [[10, 3, 13], [8, 6, 14], [18, 9, 27]]
    hidden = suppress_table(grid, lines_of(grid), threshold=5)
    # Police's 3 is small. 13 - 10 would give it away, so council's 10 goes (totals are
    # spared); then police's column (3 + 6 = 9) gives it away, so 6 goes; then council's
    # column (10 + 8 = 18), so 8 goes. Every row and column then has two hidden cells or none.
    assert hidden == [[True, True, False], [True, True, False], [False, False, False]]
    for line in lines_of(grid):
        assert sum(hidden[r][c] for r, c in line) != 1


def test_nothing_is_hidden_when_no_count_is_small() -> None:
    grid = [[5, 7, 12], [0, 9, 9], [5, 16, 21]]
    assert not any(any(row) for row in suppress_table(grid, lines_of(grid), threshold=5))


def test_zero_is_shown_and_a_small_total_is_hidden() -> None:
    # Only 2 people answered: both cells and the total are small; 0 stays 0.
    grid = [[2, 0, 2]]
    hidden = suppress_table(grid, [[(0, 0), (0, 1), (0, 2)]], threshold=5)
    assert hidden == [[True, False, True]]


def test_a_threshold_of_1_shows_everything() -> None:
    grid = [[1, 2, 3]]
    assert suppress_table(grid, [[(0, 0), (0, 1), (0, 2)]], threshold=1) == [[False] * 3]
