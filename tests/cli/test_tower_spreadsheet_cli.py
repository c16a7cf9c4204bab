"""Every command that takes a tower reads spreadsheets; `jenga tower convert` writes them."""

import json

from jenga_games.cli import main
from jenga_games.tower import local_health_economy


def test_convert_round_trip_through_xlsx_and_csv_is_byte_identical(tmp_path, capsys):
    direct = tmp_path / "direct.json"
    local_health_economy().to_json(direct)
    assert main(["tower", "convert", "builtin:economy", str(tmp_path / "economy.xlsx")]) == 0
    assert main(["tower", "convert", str(tmp_path / "economy.xlsx"), str(tmp_path / "x.json")]) == 0
    assert (tmp_path / "x.json").read_bytes() == direct.read_bytes()
    assert main(["tower", "convert", str(tmp_path / "x.json"), str(tmp_path / "csv")]) == 0
    assert main(["tower", "convert", str(tmp_path / "csv"), str(tmp_path / "y.json")]) == 0
    assert (tmp_path / "y.json").read_bytes() == direct.read_bytes()


def test_cascade_on_a_spreadsheet_takes_labels(tmp_path, capsys):
    main(["tower", "convert", "builtin:economy", str(tmp_path / "e.xlsx")])
    capsys.readouterr()
    assert main(["--json", "tower", "cascade", str(tmp_path / "e.xlsx"), "--remove", "A&E"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["removed"] == ["ae"] and data["collapsed"]
    assert main(["tower", "cascade", str(tmp_path / "e.xlsx"), "--remove", "cardiolgy"]) == 2
    assert "did you mean 'cardiology'" in capsys.readouterr().err


def test_bad_cell_is_reported_with_sheet_row_and_column(tmp_path, capsys):
    main(["tower", "convert", "builtin:economy", str(tmp_path / "csv")])
    services = tmp_path / "csv" / "services.csv"
    services.write_text(
        services.read_text(encoding="utf-8-sig").replace(",no,2500.0,", ",nope,2500.0,")
    )
    capsys.readouterr()
    assert main(["tower", "show", str(tmp_path / "csv")]) == 2
    assert (
        "sheet 'services', row 2, column F (critical): must be yes or no" in capsys.readouterr().err
    )


def test_cascade_report_counts_money_health_and_units_apart(capsys):
    """Money, QALYs lost, QALYs moved out (re-provided) and activity per unit, each labelled."""
    econ = local_health_economy()
    assert main(["tower", "cascade", "builtin:economy", "--remove", "stroke"]) == 0
    text = capsys.readouterr().out
    kept = econ.service("stroke").activity * econ.service("stroke").health
    assert f"{kept:g} QALY moved out (kept where it is re-provided)" in text
    assert main(["--json", "tower", "cascade", "builtin:economy", "--remove", "pathology"]) == 0
    data = json.loads(capsys.readouterr().out)
    out = econ.cascade(["pathology"])
    assert data["health_lost"]["QALY"] == out.health_lost["QALY"] > 0
    assert data["activity_lost_by_unit"] == out.activity_lost_by_unit
    assert "activity_lost" not in data  # no sum of tests, bed-days and attendances
