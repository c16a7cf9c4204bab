"""Small extensive games with published answers, used in docs, tests and benchmarks."""

from __future__ import annotations

from fractions import Fraction

from ._tree import ExtensiveGame

__all__ = ["kuhn_poker", "one_card_poker"]


def kuhn_poker() -> ExtensiveGame:
    """Kuhn's three-card poker [Kuhn1950]_; the first player's value is ``-1/18``.

    Each player antes 1 and gets one of the cards J < Q < K (chance deals the
    six orders with probability 1/6 each). Player 1 checks or bets 1; after a
    check player 2 checks (showdown for 1) or bets; facing a bet a player
    folds (losing its ante) or calls (showdown for 2). Information sets are
    labelled by the player's card and the betting so far (``"Q"``, ``"K b"``,
    ``"J cb"``).
    """
    g = ExtensiveGame(["Player 1", "Player 2"], title="Kuhn poker")
    cards = ["J", "Q", "K"]
    deals = {f"{a}{b}": Fraction(1, 6) for a in cards for b in cards if a != b}
    for deal, node in zip(deals, g.add_chance(g.root, deals)):
        c1, c2 = deal[0], deal[1]
        win = 1 if cards.index(c1) > cards.index(c2) else -1
        check, bet = g.add_move(node, 0, ["check", "bet"], infoset=c1)
        c_check, c_bet = g.add_move(check, 1, ["check", "bet"], infoset=f"{c2} c")
        g.set_outcome(c_check, [win, -win])
        fold, call = g.add_move(c_bet, 0, ["fold", "call"], infoset=f"{c1} cb")
        g.set_outcome(fold, [-1, 1])
        g.set_outcome(call, [2 * win, -2 * win])
        b_fold, b_call = g.add_move(bet, 1, ["fold", "call"], infoset=f"{c2} b")
        g.set_outcome(b_fold, [1, -1])
        g.set_outcome(b_call, [2 * win, -2 * win])
    return g


def one_card_poker() -> ExtensiveGame:
    """Myerson's one-card poker (section 2.1 of Myerson 1991), built by hand.

    Chance deals red or black (1/2 each); player 1 sees the card and raises
    or folds (folding wins 1 with red, loses 1 with black); player 2, not
    seeing the card, meets (player 1 wins 2 with red, loses 2 with black) or
    passes (player 1 wins 1).
    """
    g = ExtensiveGame(["Fred", "Alice"], title="One-card poker")
    red, black = g.add_chance(g.root, {"Red": Fraction(1, 2), "Black": Fraction(1, 2)})
    for node, card, sign in ((red, "red", 1), (black, "black", -1)):
        raise_, fold = g.add_move(node, 0, ["Raise", "Fold"], infoset=card)
        meet, pass_ = g.add_move(raise_, 1, ["Meet", "Pass"], infoset="raised")
        g.set_outcome(meet, [2 * sign, -2 * sign])
        g.set_outcome(pass_, [1, -1])
        g.set_outcome(fold, [sign, -sign])
    return g
