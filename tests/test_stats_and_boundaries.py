"""The toolkit's shared statistics (``jenga_games._stats``) and its package boundaries."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

import jenga_games
from jenga_games._stats import wilson


@given(
    st.lists(st.integers(0, 80), min_size=1, max_size=6),
    st.integers(1, 80),
    st.sampled_from([0.8, 0.9, 0.95, 0.99]),
)
def test_wilson_bounds_are_the_roots_of_the_score_test(ks, n, level):
    """Elementwise: each bound p solves (p̂ − p)² = z² p(1 − p)/n (a quadratic, solved here)."""
    ks = [min(k, n) for k in ks]
    low, high = wilson(np.asarray(ks, dtype=float), n, level)
    assert low.shape == high.shape == (len(ks),)
    z = stats.norm.ppf(0.5 + level / 2)
    for k, lo, hi in zip(ks, low.tolist(), high.tolist(), strict=True):
        phat = k / n
        # oracle: (1 + z²/n) p² − (2p̂ + z²/n) p + p̂² = 0, by the quadratic formula
        a, b, c = 1 + z * z / n, -(2 * phat + z * z / n), phat * phat
        disc = math.sqrt(max(b * b - 4 * a * c, 0.0))
        roots = ((-b - disc) / (2 * a), (-b + disc) / (2 * a))
        assert math.isclose(lo, max(0.0, roots[0]), abs_tol=1e-12)
        assert math.isclose(hi, min(1.0, roots[1]), abs_tol=1e-12)


def test_the_public_wilson_interval_and_the_collapse_bands_use_the_one_rule():
    from jenga_games.tower.thresholds import _curve
    from jenga_games.uncertainty import _analysis, wilson_interval

    assert _curve.wilson is wilson and _analysis.wilson is wilson
    assert wilson_interval(5, 10) == tuple(float(x) for x in wilson(np.asarray(5.0), 10, 0.95))


def _area(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 2 and parts[1] == "games":
        return "games." + parts[2]
    return parts[1] if len(parts) > 1 else ""


def _private_imports_across_areas() -> set[tuple[str, str]]:
    """(importing file, imported module) where a private module or name of another area is used.

    Areas are ``jenga_games.<area>`` (``games.<kind>`` for games); the toolkit's
    shared private modules (``jenga_games._results``, ``_rng``, ``_io``, ...) are
    meant to be shared and are not counted.
    """
    root = Path(jenga_games.__file__).parent
    found = set()
    for f in sorted(root.rglob("*.py")):
        rel = f.relative_to(root.parent).with_suffix("").parts
        is_pkg = rel[-1] == "__init__"
        module = ".".join(rel[:-1] if is_pkg else rel)
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = module.split(".") if is_pkg else module.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            parts = target.split(".")
            if parts[0] != "jenga_games" or _area(module) == _area(target):
                continue
            names = [a.name for a in node.names]
            if len(parts) == 1 and all(n.startswith("_") for n in names):
                continue  # from jenga_games import _io: a shared private module
            private = any(p.startswith("_") for p in parts[2:]) or any(
                n.startswith("_") and not n.startswith("__") for n in names
            )
            if private:
                found.add(("/".join(rel[1:]), target))
    return found


#: Known private imports across areas, in files of other owners (reported, left alone).
KNOWN = {
    ("exercises/catalogue/cooperative", "jenga_games.games.cooperative._bits"),
    ("testing/__init__", "jenga_games.games.cooperative._bits"),
    ("games/extensive/_efg", "jenga_games.games.normal_form._nfg"),
    ("games/extensive/_qre", "jenga_games.games.normal_form._qre"),
    ("games/extensive/_solvers", "jenga_games.games._rational_lp"),
    ("games/normal_form/_correlated", "jenga_games.games._rational_lp"),
    ("games/normal_form/_stackelberg", "jenga_games.games._rational_lp"),
}


def test_no_new_private_imports_across_packages():
    """Uncertainty, the CLI, sweeps and towers import each other's public names only."""
    extra = _private_imports_across_areas() - KNOWN
    assert not extra, f"private names imported across packages: {sorted(extra)}"


def test_parameter_checks_have_one_home_shared_by_commissioning_and_dynamics():
    """The dynamics models validate with the toolkit's shared checks (jenga_games._checks), the
    same functions commissioning re-exports, with one wording for what is not a finite number."""
    from decimal import Decimal
    from fractions import Fraction

    import pytest

    from jenga_games import _checks
    from jenga_games.commissioning import _common
    from jenga_games.dynamics import capability, reorganisation, transition, trust, xmile
    from jenga_games.errors import InvalidParameterError

    for name in ("check_count", "check_nonneg", "check_positive", "check_prob", "check_vector"):
        assert getattr(_common, name) is getattr(_checks, name)
    for module in (capability, reorganisation, transition, trust, xmile):
        for name in ("check_count", "check_nonneg", "check_positive", "check_prob"):
            if hasattr(module, name):
                assert getattr(module, name) is getattr(_checks, name), (module, name)
    for bad, says in (
        (True, "must be a number, got True"),
        ("2", "must be a number, got '2'"),
        (1j, "must be a number"),
        (Decimal("1.5"), "must be a number"),
        (math.inf, "must be finite, got inf"),
        (-1.0, "must be >= 0"),
    ):
        with pytest.raises(InvalidParameterError, match=f"^Model: cost {says}"):
            _checks.check_nonneg(bad, "cost", "Model")
    assert _checks.check_nonneg(np.float64(2.5), "cost", "Model") == 2.5
    assert _checks.check_prob(Fraction(1, 4), "p", "Model") == 0.25
    assert _checks.check_count(np.int64(3), "n", "Model") == 3
