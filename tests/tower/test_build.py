"""Building towers: ``Tower.from_arrays`` is the constructor on index arrays (issue #23, #20).

The oracle is the general constructor (pairs of ids, one at a time) and, for
the rule checks, a plain loop over the services in index order written here.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jenga_games.errors import InvalidTowerError, JengaError, UnknownItemError
from jenga_games.tower import AllOf, AnyOf, AtLeast, Provider, Service, Tower
from jenga_games.tower.library import random_tower

RULES = [None, AllOf(), AnyOf(), AtLeast(1), AtLeast(2), AtLeast(3)]


@st.composite
def tower_inputs(draw):
    """Services (some sharing rule objects, some naming supporters), providers and index arrays."""
    n = draw(st.integers(1, 8))
    ids = draw(
        st.lists(
            st.one_of(st.integers(0, 20), st.sampled_from("abcdefghij")),
            min_size=n,
            max_size=n,
            unique=True,
        )
    )
    m = draw(st.integers(0, 16))
    src = draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m))
    dst = draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m))
    shared = {i: draw(st.sampled_from(RULES)) for i in range(2)}
    services = []
    for sid in ids:
        choice = draw(st.integers(0, 3))
        if choice < 2:
            rule = shared[choice]  # one object shared by several services
        elif choice == 2:
            rule = draw(st.sampled_from(RULES))
        else:  # a rule naming one service (it may or may not support this one)
            rule = AnyOf(draw(st.sampled_from(ids)))
        provider = draw(st.sampled_from([None, "p", 1]))
        services.append(Service(sid, provider=provider, fixed_cost=1.0, support=rule))
    providers = draw(st.sampled_from([None, [Provider("p"), Provider(1)], [Provider("p")]]))
    allow = draw(st.booleans())
    return services, src, dst, providers, allow


def _outcome(build):
    try:
        return build()
    except JengaError as err:
        return type(err), str(err)


@settings(max_examples=150, deadline=None)
@given(tower_inputs())
def test_from_arrays_is_the_constructor_on_index_arrays(inputs):
    services, src, dst, providers, allow = inputs
    fast = _outcome(
        lambda: Tower.from_arrays(
            services,
            np.array(src, dtype=np.int64),
            np.array(dst, dtype=np.int64),
            providers,
            allow_unsatisfiable=allow,
        )
    )
    ids = [s.id for s in services]
    slow = _outcome(
        lambda: Tower(
            services,
            [(ids[u], ids[v]) for u, v in zip(src, dst)],
            providers,
            allow_unsatisfiable=allow,
        )
    )
    if isinstance(slow, tuple):  # the same error, word for word
        assert fast == slow
        return
    assert isinstance(fast, Tower) and fast == slow
    assert fast.supports == slow.supports and fast.ids == slow.ids
    assert fast._supporters == slow._supporters
    assert [a.tolist() for a in fast.support_arrays] == [a.tolist() for a in slow.support_arrays]


def _first_bad_rule(services, supports, allow):
    """The oracle: the first service, in index order, whose rule names a non-supporter or cannot hold."""
    for s in services:
        if s.support is None:
            continue
        sup = [u for u, v in supports if v == s.id]
        if any(k not in sup for k in s.support.names()):
            return s.id, "names"
        if not allow and not s.support.max_satisfiable(len(sup)):
            return s.id, "cannot hold"
    return None


@settings(max_examples=150, deadline=None)
@given(tower_inputs())
def test_the_rule_check_names_the_first_wrong_service(inputs):
    services, src, dst, _, allow = inputs
    ids = [s.id for s in services]
    supports = sorted({(ids[u], ids[v]) for u, v in zip(src, dst) if u != v}, key=str)
    expected = _first_bad_rule(services, supports, allow)
    if expected is None:
        Tower(services, supports, allow_unsatisfiable=allow)
        return
    sid, what = expected
    with pytest.raises(InvalidTowerError) as err:
        Tower(services, supports, allow_unsatisfiable=allow)
    assert str(err.value).startswith(f"service {sid!r}: its rule") and what in str(err.value)


def test_support_arrays_are_copies_and_read_only():
    src, dst = np.array([0, 0]), np.array([1, 2])
    t = Tower.from_arrays([Service("a"), Service("b"), Service("c")], src, dst)
    src[0] = 1  # the caller's arrays stay the caller's
    assert t.supports == (("a", "b"), ("a", "c"))
    a, b = t.support_arrays
    assert not a.flags.writeable and not b.flags.writeable
    with pytest.raises(ValueError):
        a[0] = 2
    again = Tower.from_arrays(list(t), *t.support_arrays)  # the documented round trip
    assert again == t and again.supports == t.supports


def test_bad_index_arrays_get_clear_errors():
    services = [Service("a"), Service("b")]
    with pytest.raises(InvalidTowerError, match=r"integer index arrays.*float64"):
        Tower.from_arrays(services, np.array([0.0]), np.array([1.0]))
    with pytest.raises(InvalidTowerError, match="1-d arrays of one length"):
        Tower.from_arrays(services, [0, 1], [1])
    with pytest.raises(UnknownItemError, match=r"outside 0\.\.1"):
        Tower.from_arrays(services, [-1], [1])
    with pytest.raises(InvalidTowerError, match="'b' cannot support itself"):
        Tower.from_arrays(services, [0, 1], [1, 1])


def test_providers_are_checked_in_bulk_with_the_same_messages():
    with pytest.raises(InvalidTowerError, match="services must be Service objects, got 3"):
        Tower.from_arrays([Service("a"), 3], [], [])
    with pytest.raises(InvalidTowerError, match="duplicate service id 'a'"):
        Tower.from_arrays([Service("a"), Service("b"), Service("a")], [], [])
    with pytest.raises(InvalidTowerError, match="duplicate provider id 'p'"):
        Tower([Service("a", provider="p")], [], [Provider("p"), Provider("p")])
    with pytest.raises(UnknownItemError, match=r"service 'b' names provider 'q'.*Provider\('q'\)"):
        Tower([Service("a", provider="p"), Service("b", provider="q")], [], [Provider("p")])
    # numpy integers name the same provider as Python integers
    t = Tower([Service("a", provider=np.int64(3))], [], [Provider(np.int64(3))])
    assert list(t.providers) == [3] and type(t.service("a").provider) is int


def test_big_generated_tower_builds_lazily_and_matches():
    """10^4 services, 10^5 supports: the pairs of ids are built only when read."""
    t = random_tower(10_000, 10, AtLeast(3), seed=3)
    assert "supports" not in t.__dict__  # not built yet
    u, v = t.support_arrays
    assert len(t.supports) == u.size and t.supports[5] == (int(u[5]), int(v[5]))
    again = Tower.from_arrays(list(t), u, v, allow_unsatisfiable=True)
    assert again.cascade(list(range(100))).fell == t.cascade(list(range(100))).fell
