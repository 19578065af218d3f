"""Disjoint sets, for the stages that join things pair by pair into groups (facts, quote groups,
entities)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T", int, str)


class UnionFind(Generic[T]):
    """Items joined into sets. A set's root is its least item, so the root names the set the same
    whatever order the joins come in (entities take their key from it)."""

    def __init__(self) -> None:
        self._parent: dict[T, T] = {}

    def __iter__(self) -> Iterator[T]:
        """The items in the order they were first seen."""
        return iter(self._parent)

    def find(self, x: T) -> T:
        """The root of ``x``'s set; an item not seen before becomes a set of its own."""
        self._parent.setdefault(x, x)
        while self._parent[x] != x:
            self._parent[x] = self._parent[self._parent[x]]
            x = self._parent[x]
        return x

    def union(self, a: T, b: T) -> T:
        """Join the sets of ``a`` and ``b``; the root of the joined set."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self._parent[max(ra, rb)] = min(ra, rb)
        return min(ra, rb)
