"""Every number in the jenga-commissioning paper's text comes from a committed CSV.

Numbers are read from the body of ``paper.md`` (abstract to limitations); each must equal a
value of a CSV under ``output/`` or of the calibrated economy's files (``economy/``,
``economy-assumptions.csv``), rounded to the decimals shown (or the same as a percentage),
or be one of the stated inputs below (policy thresholds, published figures quoted with their
source, grid and draw counts).
"""

import csv
import re
from pathlib import Path

PAPER = Path(__file__).resolve().parents[1] / "papers" / "jenga-commissioning"

#: Inputs quoted with their source in the text (not results): published figures, policy
#: thresholds, design constants of the build.
INPUTS = {
    "1,600",  # one GP's list (CALIBRATION.md)
    "7,000",  # practice size around 2013; fundholding minimum from April 1993
    "9,000",  # fundholding minimum until April 1993
    "9,500",  # practice size in the early 2020s
    "100,000",  # Jones 2009; Bojke et al. 2001
    "300,000",  # the district's population
    "1,800",  # £ a head (NHSBudget2012)
    "20,000",  # NICE threshold
    "30,000",  # NICE threshold
    "2.45",  # NAO 2016: provider deficit, £ bn
    "75.97",  # NAO 2016: provider income, £ bn
    "3.2",  # NAO 2016: deficit as % of income
    "2.4",  # NAO 2016: central support, £ bn
    "2026",  # the PSA's seed
    "2,000",  # orders per collapse curve
    "1,000",  # the documented larger PSA
    "7.5",  # Crump et al.'s coefficients of variation (%)
    "5.0",
    "1.8",
    "45",  # £ a head per reorganisation (Walshe 2010)
    "15",  # Walshe's count of reorganisations
    "34",  # services in the economy
    "27",  # Imison et al.'s initiatives
}
_NUMBER = re.compile(r"(?<![\w.-])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w])")
_YEAR_CITATION = re.compile(r"\b(?:19|20)\d{2}[a-z]?\b")


def _body() -> str:
    text = (PAPER / "paper.md").read_text(encoding="utf-8")
    text = text[text.index("## Abstract") : text.index("## References")]
    text = re.sub(r"!\[.*?\]\(.*?\)", "", text)  # figure links
    text = re.sub(r"`[^`]*`", "", text)  # code and artifact names
    text = re.sub(r"\[[a-z0-9; -]+\]", "", text)  # [artifact] tags
    text = re.sub(r"^#+ .*$", "", text, flags=re.MULTILINE)  # headings (section numbers)
    text = re.sub(r"\((?:[ivx]+)\)", "", text)  # (i), (ii)
    return _YEAR_CITATION.sub("", text)


def _values() -> list[float]:
    out = []
    files = [*PAPER.glob("output/*.csv"), *PAPER.glob("economy/*.csv")]
    files.append(PAPER / "economy-assumptions.csv")
    for f in files:
        with open(f, newline="", encoding="utf-8-sig") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    try:
                        out.append(float(cell))
                    except ValueError:
                        continue
    return out


def _shown(values: list[float]) -> set[str]:
    shown = set()
    for v in values:
        for x in (v, 100 * v, -v):
            for d in range(0, 5):
                shown.add(f"{round(x, d):.{d}f}")
    return shown


def test_every_number_in_the_text_comes_from_a_committed_csv():
    shown = _shown(_values())
    missing = []
    for token in _NUMBER.findall(_body()):
        plain = token.replace(",", "")
        if token in INPUTS or plain in shown or plain.lstrip("-") in shown:
            continue
        missing.append(token)
    assert not missing, f"numbers in paper.md found in no committed CSV: {sorted(set(missing))}"
