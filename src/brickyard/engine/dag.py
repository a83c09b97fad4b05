"""The task graph of one job run, as the planner sees it: keys, dependency edges, ``run_if``.

The engine converts spec models into :class:`Dag`; this module knows nothing about the spec.
Spec validation has already rejected cycles, duplicate keys and bad ``outcome`` edges, so
:class:`Dag` only guards against what would make it inconsistent (unknown dependency keys,
duplicate keys, cycles) with a plain :class:`ValueError`: seeing one is a bug in the caller.

Closures (:meth:`Dag.upstream_closure`, :meth:`Dag.downstream_closure`) include the keys they
start from.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from brickyard.states import RunIf

_Neighbours = Callable[[str], Iterable[str]]


@dataclass(frozen=True)
class Edge:
    """One ``depends_on`` entry: the dependency's key and, for an if/else dependency, the branch
    (``"true"`` / ``"false"``) this task hangs off."""

    task_key: str
    outcome: str | None = None


@dataclass(frozen=True)
class DagTask:
    """One task of the graph with just what planning needs."""

    key: str
    depends_on: tuple[Edge, ...] = ()
    run_if: RunIf = RunIf.ALL_SUCCESS
    disabled: bool = False
    is_condition: bool = False
    """True for a ``condition_task`` (if/else), whose edges may carry an ``outcome``."""

    def dependency_keys(self) -> tuple[str, ...]:
        """The distinct keys this task depends on, in ``depends_on`` order."""
        return tuple(dict.fromkeys(edge.task_key for edge in self.depends_on))


class Dag:
    """An immutable task graph with precomputed dependents and a stable topological order.

    The topological order breaks ties by the order the tasks were given in, so it is
    deterministic for a given job definition.
    """

    __slots__ = ("_dependents", "_order", "_position", "_tasks")

    def __init__(self, tasks: Iterable[DagTask]) -> None:
        by_key: dict[str, DagTask] = {}
        for task in tasks:
            if task.key in by_key:
                raise ValueError(f"duplicate task key {task.key!r}")
            by_key[task.key] = task
        dependents: dict[str, list[str]] = {key: [] for key in by_key}
        for task in by_key.values():
            for dep in task.dependency_keys():
                if dep not in by_key:
                    raise ValueError(f"task {task.key!r} depends on unknown task {dep!r}")
                dependents[dep].append(task.key)
        self._tasks: Mapping[str, DagTask] = MappingProxyType(by_key)
        self._dependents: Mapping[str, tuple[str, ...]] = {
            key: tuple(keys) for key, keys in dependents.items()
        }
        self._order = self._sort(by_key)
        self._position: Mapping[str, int] = {key: i for i, key in enumerate(self._order)}

    def _sort(self, by_key: Mapping[str, DagTask]) -> tuple[str, ...]:
        """Kahn's algorithm; ties go to the task given first."""
        given = {key: i for i, key in enumerate(by_key)}
        waiting = {key: len(task.dependency_keys()) for key, task in by_key.items()}
        ready = [given[key] for key, count in waiting.items() if count == 0]
        heapq.heapify(ready)
        keys = list(by_key)
        order: list[str] = []
        while ready:
            key = keys[heapq.heappop(ready)]
            order.append(key)
            for dependent in self._dependents[key]:
                waiting[dependent] -= 1
                if waiting[dependent] == 0:
                    heapq.heappush(ready, given[dependent])
        if len(order) != len(by_key):
            stuck = sorted(key for key, count in waiting.items() if count > 0)
            raise ValueError(f"the task graph has a cycle through {', '.join(stuck)}")
        return tuple(order)

    @property
    def tasks(self) -> Mapping[str, DagTask]:
        """Every task by key, in the order given."""
        return self._tasks

    def __len__(self) -> int:
        return len(self._tasks)

    def __iter__(self) -> Iterator[DagTask]:
        return iter(self._tasks.values())

    def __contains__(self, key: object) -> bool:
        return key in self._tasks

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dag):
            return NotImplemented
        return tuple(self._tasks.values()) == tuple(other._tasks.values())

    def __hash__(self) -> int:
        return hash(tuple(self._tasks.values()))

    def __repr__(self) -> str:
        return f"Dag({list(self._tasks.values())!r})"

    def dependents(self, key: str) -> tuple[str, ...]:
        """The tasks that depend on ``key`` directly, in the order given."""
        try:
            return self._dependents[key]
        except KeyError:
            raise ValueError(f"unknown task key: {key}") from None

    def leaves(self) -> tuple[str, ...]:
        """Tasks nothing depends on (they decide the run's result), in topological order."""
        return tuple(key for key in self._order if not self._dependents[key])

    def topological_order(self) -> tuple[str, ...]:
        """Every key, each after all of its dependencies."""
        return self._order

    def position(self, key: str) -> int:
        """The index of ``key`` in :meth:`topological_order`."""
        try:
            return self._position[key]
        except KeyError:
            raise ValueError(f"unknown task key: {key}") from None

    def upstream_closure(self, keys: Iterable[str]) -> frozenset[str]:
        """``keys`` plus everything they depend on, directly or not."""
        return self._closure(keys, lambda key: self._tasks[key].dependency_keys())

    def downstream_closure(self, keys: Iterable[str]) -> frozenset[str]:
        """``keys`` plus everything that depends on them, directly or not."""
        return self._closure(keys, lambda key: self._dependents[key])

    def restricted_to(self, keys: Iterable[str]) -> Dag:
        """The sub-graph of a partial run.

        Edges to tasks outside ``keys`` are dropped: such a dependency is not part of this run
        and counts as satisfied.
        """
        chosen = set(keys)
        self._check_known(chosen)
        return Dag(
            DagTask(
                key=task.key,
                depends_on=tuple(e for e in task.depends_on if e.task_key in chosen),
                run_if=task.run_if,
                disabled=task.disabled,
                is_condition=task.is_condition,
            )
            for task in self._tasks.values()
            if task.key in chosen
        )

    def _closure(self, keys: Iterable[str], neighbours: _Neighbours) -> frozenset[str]:
        start = list(keys)
        self._check_known(start)
        seen = set(start)
        stack = list(start)
        while stack:
            for neighbour in neighbours(stack.pop()):
                if neighbour not in seen:
                    seen.add(neighbour)
                    stack.append(neighbour)
        return frozenset(seen)

    def _check_known(self, keys: Iterable[str]) -> None:
        unknown = sorted({key for key in keys if key not in self._tasks})
        if unknown:
            raise ValueError(f"unknown task keys: {', '.join(unknown)}")
