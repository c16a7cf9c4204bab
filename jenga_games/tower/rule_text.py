"""Support rules written as text, for a spreadsheet cell: parsed by a small grammar, never evaluated.

Grammar (keywords are case-insensitive; ``&`` binds tighter than ``|``)::

    rule    := term ( ("|" | "or") term )*
    term    := factor ( ("&" | "and") factor )*
    factor  := "(" rule ")" | gate
    gate    := "all"                        -> AllOf()        every supporter
             | "any"                        -> AnyOf()        at least one supporter
             | "at least" K                 -> AtLeast(K)     K of the supporters
             | "all of" names               -> AllOf(a, b)
             | "any of" names               -> AnyOf(a, b)
             | "at least" K "of" names      -> AtLeast(K, a, b)
             | NAME                         -> AllOf(NAME)    that one supporter
    names   := NAME | "(" NAME ("," NAME)* ")"

A ``NAME`` is a bare word (letters, digits, ``_ . - /``, not a keyword) or a
quoted text (``'A&E'`` or ``"A&E"``); a bare whole number names an integer id.
So ``pathology & (imaging | ultrasound)`` needs pathology and one of imaging
or ultrasound, and ``at least 2`` needs any two supporters.

:func:`rule_to_text` writes the text that :func:`rule_from_text` reads back to
the *same* rule object (the same tree, so a tower written to a spreadsheet and
read back is equal to the original, and its JSON byte-identical).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable

from ..errors import SchemaError
from .rules import AllOf, And, AnyOf, AtLeast, Or, Rule

__all__ = ["rule_from_text", "rule_to_text"]

_KEYWORDS = frozenset({"all", "any", "at", "least", "of", "and", "or"})
_BARE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-/]*")
_TOKEN = re.compile(
    r"\s*(?:(?P<op>[&|(),])|(?P<quoted>'[^']*'|\"[^\"]*\")|(?P<word>[A-Za-z0-9_][A-Za-z0-9_.\-/]*))"
)


class _Tok:
    __slots__ = ("kind", "pos", "text")

    def __init__(self, kind: str, text: str, pos: int) -> None:
        self.kind, self.text, self.pos = kind, text, pos

    @property
    def keyword(self) -> str | None:
        return self.text.lower() if self.kind == "word" and self.text.lower() in _KEYWORDS else None


def _tokens(text: str, fail: Callable[[str], Exception]) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    n = len(text)
    while pos < n:
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            bad = text[pos:].lstrip()[:1]
            col = n - len(text[pos:].lstrip()) + 1
            hint = (
                "; put a name with spaces or symbols in quotes, e.g. 'A&E'"
                if bad not in "'\""
                else "; close the quote"
            )
            raise fail(f"cannot read {bad!r} at character {col} of {text!r}{hint}")
        if m.group("op"):
            out.append(_Tok("op", m.group("op"), m.start("op")))
        elif m.group("quoted"):
            q = m.group("quoted")
            if len(q) < 3:
                raise fail(f"an empty quoted name at character {m.start('quoted') + 1} of {text!r}")
            out.append(_Tok("name", q[1:-1], m.start("quoted")))
        else:
            out.append(_Tok("word", m.group("word"), m.start("word")))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str, fail: Callable[[str], Exception]) -> None:
        self.text = text
        self.fail = fail
        self.toks = _tokens(text, fail)
        self.i = 0

    # -- helpers ------------------------------------------------------------------------
    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.peek()
        if tok is None:
            raise self.fail(f"the rule {self.text!r} ends too early")
        self.i += 1
        return tok

    def at(self, *what: str) -> bool:
        tok = self.peek()
        return tok is not None and (
            (tok.kind == "op" and tok.text in what)
            or (tok.keyword is not None and tok.keyword in what)
        )

    def expect(self, what: str) -> None:
        tok = self.peek()
        if not self.at(what):
            found = "the end" if tok is None else repr(tok.text)
            raise self.fail(f"expected {what!r} in {self.text!r}, found {found}")
        self.i += 1

    # -- grammar --------------------------------------------------------------------------
    def parse(self) -> Rule:
        if not self.toks:
            raise self.fail("an empty rule; leave the cell blank for the default (all supporters)")
        rule = self.rule()
        tok = self.peek()
        if tok is not None:
            raise self.fail(
                f"unexpected {tok.text!r} at character {tok.pos + 1} of {self.text!r}; "
                "join rules with & (and) or | (or)"
            )
        return rule

    def rule(self) -> Rule:
        parts = [self.term()]
        while self.at("|", "or"):
            self.i += 1
            parts.append(self.term())
        return parts[0] if len(parts) == 1 else Or(*parts)

    def term(self) -> Rule:
        parts = [self.factor()]
        while self.at("&", "and"):
            self.i += 1
            parts.append(self.factor())
        return parts[0] if len(parts) == 1 else And(*parts)

    def factor(self) -> Rule:
        if self.at("("):
            self.i += 1
            inner = self.rule()
            self.expect(")")
            return inner
        tok = self.take()
        kw = tok.keyword
        if kw in ("all", "any"):
            names = self.names() if self.at("of") else ()
            return AllOf(*names) if kw == "all" else AnyOf(*names)
        if kw == "at":
            self.expect("least")
            k_tok = self.take()
            if k_tok.kind != "word" or not k_tok.text.isdigit():
                raise self.fail(
                    f"'at least' needs a whole number, got {k_tok.text!r} in {self.text!r}"
                )
            names = self.names() if self.at("of") else ()
            return AtLeast(int(k_tok.text), *names)
        if kw is not None or tok.kind == "op":
            raise self.fail(
                f"unexpected {tok.text!r} at character {tok.pos + 1} of {self.text!r}; "
                "a rule starts with all, any, at least K, a name or '('"
            )
        return AllOf(_name(tok))

    def names(self) -> tuple[Hashable, ...]:
        self.expect("of")
        if not self.at("("):
            return (self.one_name(),)
        self.i += 1
        out = [self.one_name()]
        while self.at(","):
            self.i += 1
            out.append(self.one_name())
        self.expect(")")
        return tuple(out)

    def one_name(self) -> Hashable:
        tok = self.take()
        if tok.kind == "op" or tok.keyword is not None:
            raise self.fail(
                f"expected a service name at character {tok.pos + 1} of {self.text!r}, "
                f"found {tok.text!r}; quote a name that is also a keyword, e.g. 'all'"
            )
        return _name(tok)


def _name(tok: _Tok) -> Hashable:
    return int(tok.text) if tok.kind == "word" and tok.text.isdigit() else tok.text


def rule_from_text(text: str, where: str = "support") -> Rule:
    """Parse a support rule from its text form (module docstring); never evaluates the text.

    Raises
    ------
    SchemaError
        The text does not follow the grammar; the message says where and how to fix it.

    Examples
    --------
    >>> rule_from_text("pathology & (imaging | ultrasound)")
    AllOf('pathology') & (AllOf('imaging') | AllOf('ultrasound'))
    >>> rule_from_text("at least 2")
    AtLeast(2)
    """
    if not isinstance(text, str):
        raise SchemaError(f"{where}: a rule must be text such as 'all' or 'a & b', got {text!r}")

    def fail(msg: str) -> SchemaError:
        return SchemaError(f"{where}: {msg}")

    return _Parser(text, fail).parse()


def _quote(name: Hashable) -> str:
    if isinstance(name, int) and not isinstance(name, bool):
        return str(name)
    s = str(name)
    if _BARE.fullmatch(s) and s.lower() not in _KEYWORDS and not s.isdigit():
        return s
    if not isinstance(name, str):
        raise SchemaError(f"cannot write the rule name {name!r} as text")
    if s.isdigit():
        raise SchemaError(
            f"the service id {s!r} is text made of digits, which a spreadsheet reads back as "
            "the number; rename it or save the tower as JSON"
        )
    if "'" not in s:
        return f"'{s}'"
    if '"' not in s:
        return f'"{s}"'
    raise SchemaError(f"the name {s!r} holds both kinds of quote and cannot be written in a rule")


def _names(names: tuple) -> str:
    return "(" + ", ".join(_quote(n) for n in names) + ")"


def rule_to_text(rule: Rule) -> str:
    """The text form of ``rule``; :func:`rule_from_text` reads it back to an equal rule.

    Examples
    --------
    >>> rule_to_text(AllOf("theatres") & AnyOf("ultrasound", "community_diagnostics"))
    'theatres & any of (ultrasound, community_diagnostics)'
    """
    if isinstance(rule, AllOf):
        if not rule.of:
            return "all"
        return _quote(rule.of[0]) if len(rule.of) == 1 else f"all of {_names(rule.of)}"
    if isinstance(rule, AnyOf):
        return f"any of {_names(rule.of)}" if rule.of else "any"
    if isinstance(rule, AtLeast):
        return f"at least {rule.k}" + (f" of {_names(rule.of)}" if rule.of else "")
    if isinstance(rule, And | Or):
        sym = " & " if isinstance(rule, And) else " | "
        return sym.join(
            f"({rule_to_text(r)})" if isinstance(r, And | Or) else rule_to_text(r)
            for r in rule.rules
        )
    raise SchemaError(f"cannot write the rule {rule!r} as text")
