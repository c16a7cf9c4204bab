"""Answer checkers: accept equivalent answers, say what is wrong when they are not.

Every checker takes the *model* answer when built and returns a
:class:`Verdict` for a student's answer. Answers may arrive as Python
objects or as text from the command line:

* a set of labels — ``"A&E, imaging"`` or ``["imaging", "A&E"]`` (any order, case-insensitive);
* a number — ``0.75``, ``"3/4"``, ``Fraction(3, 4)`` (within a tolerance);
* a vector — ``"1/2, 1/4, 1/4"`` or ``{"GP": 0.5, ...}``;
* yes / no — ``"yes"``, ``"no"``, ``True``, ``"true"``;
* a list of equilibria — ``"(T, L); (B, R)"`` or JSON.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import JengaError

__all__ = [
    "Verdict",
    "check_bool",
    "check_number",
    "check_sequence",
    "check_set",
    "check_vector",
    "check_vectors",
    "parse_number",
]

DEFAULT_TOL = 1e-3  # students write 0.333 for 1/3


@dataclass(frozen=True)
class Verdict:
    """The result of checking an answer: ``ok`` and a message for the student."""

    ok: bool
    message: str

    def __bool__(self) -> bool:
        return self.ok


def _split(text: str) -> list[str]:
    text = text.strip()
    if text.startswith("[") or text.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            data = None
        if isinstance(data, list):
            return [str(x) for x in data]
    return [t.strip() for t in re.split(r"[,;\n]", text) if t.strip()]


def parse_number(value: Any) -> Fraction | float:
    """``"3/4"`` → Fraction(3, 4); ``"0.75"`` → 0.75; numbers pass through."""
    if isinstance(value, Fraction | int) and not isinstance(value, bool):
        return Fraction(value)
    if isinstance(value, float):
        return value
    if isinstance(value, str):
        s = value.strip().replace("−", "-").replace(" ", "")
        if re.fullmatch(r"[-+]?\d{1,100}/\d{1,100}", s):
            if int(s.split("/")[1]) == 0:
                raise JengaError(f"{value!r} divides by zero; write e.g. 0.75 or 3/4")
            return Fraction(s)
        with contextlib.suppress(ValueError):  # not a decimal: fall through to float() below
            return float(s)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise JengaError(f"cannot read {value!r} as a number; write e.g. 0.75 or 3/4") from None


def _fmt(x: Any) -> str:
    if isinstance(x, Fraction):
        return str(x) if x.denominator != 1 else str(x.numerator)
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)


def _mismatch(missing: str | None, extra: str | None) -> Verdict:
    """``correct`` when nothing is missing or extra, else what is (falsy parts are left out)."""
    parts = [p for p in (missing, extra) if p]
    return Verdict(not parts, "; ".join(parts) if parts else "correct")


def check_set(expected: Iterable[Any], what: str = "items") -> Callable[[Any], Verdict]:
    """Same elements in any order (labels compared case-insensitively)."""
    exp = {str(e).strip().lower(): str(e) for e in expected}

    def check(answer: Any) -> Verdict:
        items = _split(answer) if isinstance(answer, str) else [str(a) for a in (answer or [])]
        got = {a.strip().lower() for a in items}
        if got in ({"none"}, {"nothing"}, {"-"}):
            got = set()
        missing = [exp[k] for k in exp if k not in got]
        extra = sorted(
            a
            for a in items
            if a.strip().lower() not in exp and a.strip().lower() not in ("none", "nothing", "-")
        )
        return _mismatch(
            missing and f"missing {len(missing)} of the {what}",
            extra and f"{', '.join(extra)} should not be there",
        )

    return check


def check_sequence(expected: Sequence[Any], what: str = "items") -> Callable[[Any], Verdict]:
    """Same elements in the same order."""
    exp = [str(e).strip().lower() for e in expected]

    def check(answer: Any) -> Verdict:
        items = _split(answer) if isinstance(answer, str) else [str(a) for a in answer]
        got = [a.strip().lower() for a in items]
        if got == exp:
            return Verdict(True, "correct")
        if sorted(got) == sorted(exp):
            return Verdict(False, f"the right {what}, in the wrong order")
        for i, (g, e) in enumerate(zip(got, exp)):
            if g != e:
                return Verdict(False, f"position {i + 1} is wrong")
        return Verdict(False, f"expected {len(exp)} {what}, got {len(got)}")

    return check


def check_number(
    expected: Any, tol: float = DEFAULT_TOL, what: str = "value"
) -> Callable[[Any], Verdict]:
    """A number within ``tol`` (absolute), fractions or decimals."""
    exp = parse_number(expected)

    def check(answer: Any) -> Verdict:
        try:
            got = parse_number(answer)
        except JengaError as err:
            return Verdict(False, str(err))
        if abs(float(got) - float(exp)) <= tol:
            return Verdict(True, "correct")
        direction = "too high" if float(got) > float(exp) else "too low"
        return Verdict(False, f"the {what} {_fmt(got)} is {direction}")

    return check


def check_bool(expected: bool) -> Callable[[Any], Verdict]:
    """Yes or no."""

    def check(answer: Any) -> Verdict:
        if isinstance(answer, str):
            a = answer.strip().lower()
            if a in ("yes", "y", "true", "t", "1"):
                got = True
            elif a in ("no", "n", "false", "f", "0"):
                got = False
            else:
                return Verdict(False, f"answer yes or no, not {answer!r}")
        else:
            got = bool(answer)
        return Verdict(got == expected, "correct" if got == expected else "no: think again")

    return check


def _as_vector(answer: Any, labels: Sequence[str] | None) -> list[Any]:
    if isinstance(answer, Mapping):
        if labels is None:
            return [parse_number(v) for v in answer.values()]
        low = {str(k).strip().lower(): v for k, v in answer.items()}
        missing = [lab for lab in labels if lab.lower() not in low]
        if missing:
            raise JengaError(f"no value given for {', '.join(missing)}")
        return [parse_number(low[lab.lower()]) for lab in labels]
    if isinstance(answer, str):
        text = answer.strip().strip("()[]")
        if ":" in text or "=" in text:
            pairs = dict(re.split(r"[:=]", p, maxsplit=1) for p in _split(text))
            return _as_vector(pairs, labels)
        return [parse_number(t) for t in _split(text)]
    return [parse_number(v) for v in answer]


def check_vector(
    expected: Sequence[Any],
    tol: float = DEFAULT_TOL,
    labels: Sequence[str] | None = None,
    what: str = "vector",
) -> Callable[[Any], Verdict]:
    """A vector of numbers (in ``labels`` order, or by label), within ``tol`` each."""
    exp = [parse_number(e) for e in expected]

    def check(answer: Any) -> Verdict:
        try:
            got = _as_vector(answer, labels)
        except JengaError as err:
            return Verdict(False, str(err))
        if len(got) != len(exp):
            return Verdict(False, f"expected {len(exp)} numbers in the {what}, got {len(got)}")
        wrong = [i for i, (g, e) in enumerate(zip(got, exp)) if abs(float(g) - float(e)) > tol]
        if not wrong:
            return Verdict(True, "correct")
        names = [labels[i] if labels else f"entry {i + 1}" for i in wrong]
        return Verdict(False, f"{', '.join(names)} {'is' if len(wrong) == 1 else 'are'} wrong")

    return check


def check_vectors(
    expected: Sequence[Sequence[Any]], tol: float = DEFAULT_TOL, what: str = "equilibria"
) -> Callable[[Any], Verdict]:
    """A set of vectors in any order (e.g. every equilibrium as a flat probability vector)."""
    exp = [[float(parse_number(x)) for x in v] for v in expected]

    def parse(answer: Any) -> list[list[float]]:
        if isinstance(answer, str):
            text = answer.strip()
            if text.startswith("[["):
                answer = json.loads(text)
            else:
                answer = [p for p in re.split(r";|\n", text) if p.strip()]
                return [[float(x) for x in _as_vector(p, None)] for p in answer]
        return [[float(parse_number(x)) for x in v] for v in answer]

    def check(answer: Any) -> Verdict:
        try:
            got = parse(answer)
        except (JengaError, ValueError, json.JSONDecodeError) as err:
            return Verdict(False, f"cannot read the answer: {err}")
        unmatched = list(range(len(exp)))
        extra = 0
        for g in got:
            hit = next(
                (
                    i
                    for i in unmatched
                    if len(exp[i]) == len(g) and all(abs(a - b) <= tol for a, b in zip(exp[i], g))
                ),
                None,
            )
            if hit is None:
                extra += 1
            else:
                unmatched.remove(hit)
        return _mismatch(
            unmatched and f"{len(unmatched)} of the {what} missing",
            extra and f"{extra} of yours {'is' if extra == 1 else 'are'} not among the {what}",
        )

    return check
