"""Small extensive games with published answers, used in docs, tests and benchmarks."""

from __future__ import annotations

from fractions import Fraction

from ._tree import ExtensiveGame

__all__ = ["beer_quiche", "kuhn_poker", "leduc_poker", "one_card_poker", "selten_horse"]


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


def leduc_poker() -> ExtensiveGame:
    """Leduc hold'em (Southey et al. 2005), a standard benchmark for CFR.

    A deck of two Jacks, two Queens and two Kings (suits do not matter, so
    chance deals ranks with their probabilities). Each player antes 1 and gets
    a private card; a betting round (raise size 2) follows, then a public card
    and a second round (raise size 4). At most two raises per round; player 1
    acts first in each round; a player may fold only when facing a bet. At the
    showdown a pair with the public card wins, else the higher card; equal
    cards split the pot. Information sets: the player's card, the public card
    once dealt, and the betting so far (``"Q|rc|K|c"``).
    """
    ranks = ["J", "Q", "K"]
    g = ExtensiveGame(["Player 1", "Player 2"], title="Leduc poker")

    def strength(card: str, public: str) -> tuple[int, int]:
        return (int(card == public), ranks.index(card))

    def deal(node, counts, labels):
        total = sum(counts.values())
        items = {r: Fraction(k, total) for r, k in counts.items() if k}
        kids = g.add_chance(node, items, infoset=(labels, tuple(sorted(items.items()))))
        return list(zip(items, kids))

    def betting(node, cards, public, hist, rnd, contrib, p, facing, raises, counts):
        key = f"{cards[p]}|{hist[0]}" + (f"|{public}|{hist[1]}" if rnd == 1 else "")
        if facing:
            acts = ["fold", "call"] + (["raise"] if raises < 2 else [])
        else:
            acts = ["check", "raise"]
        kids = g.add_move(node, p, acts, infoset=key)
        size = 2 if rnd == 0 else 4
        for a, child in zip(acts, kids):
            h = list(hist)
            h[rnd] += a[0] if a != "check" else "c"
            h = tuple(h)
            if a == "fold":
                pay = [0, 0]
                pay[p], pay[1 - p] = -contrib[p], contrib[p]
                g.set_outcome(child, pay)
            elif a == "raise":
                c = list(contrib)
                c[p] = contrib[1 - p] + size
                betting(child, cards, public, h, rnd, c, 1 - p, True, raises + 1, counts)
            elif a == "check" and len(hist[rnd]) == 0:
                betting(child, cards, public, h, rnd, contrib, 1 - p, False, raises, counts)
            else:  # a call, or a second check: the round ends
                c = list(contrib)
                c[p] = contrib[1 - p]
                if rnd == 0:
                    for pub, nxt in deal(child, counts, "public"):
                        left = dict(counts)
                        left[pub] -= 1
                        betting(nxt, cards, pub, h, 1, c, 0, False, 0, left)
                else:
                    s1, s2 = strength(cards[0], public), strength(cards[1], public)
                    w = 0 if s1 == s2 else (1 if s1 > s2 else -1)
                    g.set_outcome(child, [w * c[1], -w * c[1]])

    full = {r: 2 for r in ranks}
    for c1, n1 in deal(g.root, full, "card 1"):
        left1 = dict(full)
        left1[c1] -= 1
        for c2, n2 in deal(n1, left1, "card 2"):
            left2 = dict(left1)
            left2[c2] -= 1
            betting(n2, (c1, c2), None, ("", ""), 0, [1, 1], 0, False, 0, left2)
    return g


def selten_horse() -> ExtensiveGame:
    """Selten's horse [selten1975]_: three players; ``(D, c, L)`` is a Nash equilibrium
    that is not sequential, ``(C, c, R)`` with player 3 believing it is at the node
    after ``D`` with probability at most 1/3 is a sequential equilibrium.

    Player 1 plays ``C`` or ``D``; after ``C`` player 2 plays ``c`` (ending the game
    with (1, 1, 1)) or ``d``; player 3 moves at one information set after ``D`` and
    after ``C d``: ``L`` pays (3, 3, 2) after ``D`` and (4, 4, 0) after ``C d``; ``R``
    pays (0, 0, 0) and (1, 1, 1).
    """
    g = ExtensiveGame(["1", "2", "3"], title="Selten's horse")
    c_, d_ = g.add_move(g.root, 0, ["C", "D"], infoset="1")
    cc, cd = g.add_move(c_, 1, ["c", "d"], infoset="2")
    g.set_outcome(cc, [1, 1, 1])
    for node, pay_l, pay_r in ((d_, [3, 3, 2], [0, 0, 0]), (cd, [4, 4, 0], [1, 1, 1])):
        left, right = g.add_move(node, 2, ["L", "R"], infoset="3")
        g.set_outcome(left, pay_l)
        g.set_outcome(right, pay_r)
    return g


def beer_quiche() -> ExtensiveGame:
    """The beer–quiche signalling game [ChoKreps1987]_.

    Chance makes the sender strong (9/10) or weak (1/10); the sender, knowing
    its type, has beer or quiche (the strong prefer beer, the weak quiche: 1 for
    the preferred breakfast); the receiver sees the breakfast and duels or not.
    The sender gets 2 more if there is no duel; the receiver gets 1 for duelling
    a weak sender or leaving a strong one alone. Both pooling outcomes are
    sequential equilibria, each supported by the belief that a sender who
    deviates is weak.
    """
    g = ExtensiveGame(["Sender", "Receiver"], title="Beer-quiche")
    strong, weak = g.add_chance(g.root, {"strong": Fraction(9, 10), "weak": Fraction(1, 10)})
    for node, t in ((strong, "strong"), (weak, "weak")):
        beer, quiche = g.add_move(node, 0, ["beer", "quiche"], infoset=t)
        for drink, like in ((beer, int(t == "strong")), (quiche, int(t == "weak"))):
            label = "beer" if drink is beer else "quiche"
            duel, spare = g.add_move(drink, 1, ["duel", "not"], infoset=label)
            g.set_outcome(duel, [like, int(t == "weak")])
            g.set_outcome(spare, [like + 2, int(t == "strong")])
    return g
