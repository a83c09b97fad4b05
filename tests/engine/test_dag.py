"""Tests for the planner's task graph."""

from __future__ import annotations

import pytest

from brickyard.engine.dag import Dag, DagTask, Edge
from brickyard.states import RunIf


def _task(key: str, *deps: str) -> DagTask:
    return DagTask(key, tuple(Edge(d) for d in deps))


@pytest.fixture
def diamond() -> Dag:
    #   a -> b -> d
    #   a -> c -> d,  e alone
    return Dag([_task("d", "b", "c"), _task("b", "a"), _task("a"), _task("c", "a"), _task("e")])


def test_tasks_keep_the_given_order(diamond: Dag) -> None:
    assert list(diamond.tasks) == ["d", "b", "a", "c", "e"]
    assert len(diamond) == 5
    assert "a" in diamond
    assert "z" not in diamond
    assert [t.key for t in diamond] == ["d", "b", "a", "c", "e"]


def test_topological_order_is_stable_and_respects_edges(diamond: Dag) -> None:
    assert diamond.topological_order() == ("a", "b", "c", "d", "e")
    assert [diamond.position(k) for k in "abcde"] == [0, 1, 2, 3, 4]


def test_dependents_and_leaves(diamond: Dag) -> None:
    assert diamond.dependents("a") == ("b", "c")
    assert diamond.dependents("d") == ()
    assert diamond.leaves() == ("d", "e")


def test_repeated_edges_to_one_dependency_count_once() -> None:
    dag = Dag(
        [
            DagTask("cond", is_condition=True),
            DagTask("x", (Edge("cond", "true"), Edge("cond", "false"))),
        ]
    )
    assert dag.dependents("cond") == ("x",)
    assert dag.tasks["x"].dependency_keys() == ("cond",)
    assert dag.topological_order() == ("cond", "x")


def test_closures_include_their_start(diamond: Dag) -> None:
    assert diamond.upstream_closure(["d"]) == {"a", "b", "c", "d"}
    assert diamond.upstream_closure(["b"]) == {"a", "b"}
    assert diamond.downstream_closure(["a"]) == {"a", "b", "c", "d"}
    assert diamond.downstream_closure(["c", "e"]) == {"c", "d", "e"}
    assert diamond.upstream_closure([]) == frozenset()


def test_restricted_to_drops_edges_leaving_the_set(diamond: Dag) -> None:
    part = diamond.restricted_to(["b", "d"])
    assert list(part.tasks) == ["d", "b"]
    assert part.tasks["d"].depends_on == (Edge("b"),)
    assert part.tasks["b"].depends_on == ()
    assert part.leaves() == ("d",)


def test_restricted_to_keeps_task_attributes() -> None:
    dag = Dag(
        [
            DagTask("c", is_condition=True, disabled=True),
            DagTask("x", (Edge("c", "true"),), run_if=RunIf.ALL_DONE),
        ]
    )
    assert dag.restricted_to(["c", "x"]) == dag
    assert dag.restricted_to(["x"]).tasks["x"] == DagTask("x", (), run_if=RunIf.ALL_DONE)


def test_equality_and_hash() -> None:
    assert Dag([_task("a"), _task("b", "a")]) == Dag([_task("a"), _task("b", "a")])
    assert hash(Dag([_task("a")])) == hash(Dag([_task("a")]))
    assert Dag([_task("a"), _task("b")]) != Dag([_task("b"), _task("a")])
    assert Dag([_task("a")]) != "a"
    assert "DagTask(key='a'" in repr(Dag([_task("a")]))


def test_empty_dag() -> None:
    dag = Dag([])
    assert dag.topological_order() == ()
    assert dag.leaves() == ()


def test_unknown_dependency_is_rejected() -> None:
    with pytest.raises(ValueError, match="task 'b' depends on unknown task 'zz'"):
        Dag([_task("b", "zz")])


def test_duplicate_key_is_rejected() -> None:
    with pytest.raises(ValueError, match="duplicate task key 'a'"):
        Dag([_task("a"), _task("a")])


def test_cycle_is_rejected() -> None:
    with pytest.raises(ValueError, match="cycle through a, b"):
        Dag([_task("a", "b"), _task("b", "a"), _task("c")])
    with pytest.raises(ValueError, match="cycle"):
        Dag([_task("a", "a")])


def test_unknown_keys_in_queries_are_rejected(diamond: Dag) -> None:
    with pytest.raises(ValueError, match="unknown task key: zz"):
        diamond.dependents("zz")
    with pytest.raises(ValueError, match="unknown task key: zz"):
        diamond.position("zz")
    with pytest.raises(ValueError, match="unknown task keys: y, zz"):
        diamond.upstream_closure(["a", "zz", "y"])
    with pytest.raises(ValueError, match="unknown task keys: zz"):
        diamond.downstream_closure(["zz"])
    with pytest.raises(ValueError, match="unknown task keys: zz"):
        diamond.restricted_to(["zz"])
