"""A row that says its group was set aside has no figures: every renderer writes it as a dash."""

from mvp.reports.tables import Column, Table, cell_text
from mvp.reports.xlsx import expanded_row


def set_aside_row_table() -> Table:
    table = Table(
        "scales_by_sex",
        "effectiveness",
        "Skalor efter kön",
        [Column("Skala"), Column("Grupp"), Column("Förändring", "change"), Column("KI", "ci")],
    )
    table.rows.append(["Normer", "Annat: undantagna (för få)", None, None])
    return table


def test_a_set_aside_row_is_written_with_dashes_on_the_web_and_in_the_pdf():
    table = set_aside_row_table()
    row = zip(table.rows[0], table.columns, strict=True)
    texts = [cell_text(value, column.kind) for value, column in row]
    assert texts == ["Normer", "Annat: undantagna (för få)", "–", "–"]


def test_a_set_aside_row_leaves_both_interval_cells_empty_in_excel():
    table = set_aside_row_table()
    cells = expanded_row(table, table.rows[0])
    assert cells[-2:] == [(None, "ci"), (None, "ci")]
