"""The budget hierarchy of the Anggaran sheet: Program > Kegiatan > Sub Kegiatan > Rekening."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

from ..read.interpret import Data, Row
from ..rules.sakip import BUDGET_LEVELS, budget_parents
from .codes import table_rows


@dataclass
class Node:
    row: Row
    level: int
    children: list[Node] = field(default_factory=list)
    _parent: weakref.ref[Node] | None = field(default=None, repr=False, compare=False)

    @property
    def parent(self) -> Node | None:
        """The row this one belongs to. Held weakly (its tree holds every node): a tree
        without reference cycles is freed the moment it is dropped, not by the collector."""
        return None if self._parent is None else self._parent()

    def own(self, key: str) -> float | None:
        return self.row.number(key)

    def stated(self, key: str) -> float | None:
        """What the workbook states for this row: its typed amount, else what its
        children state together."""
        own = self.own(key)
        return own if own is not None else self.children_stated(key)

    def children_stated(self, key: str) -> float | None:
        """The sum of what the children state, or None when none states anything."""
        kids = [a for a in (c.stated(key) for c in self.children) if a is not None]
        return sum(kids) if kids else None

    def lowest(self, key: str) -> float | None:
        """The money of the lowest rows below this one (the Rekap Anggaran's rollup)."""
        kids = [a for a in (c.lowest(key) for c in self.children) if a is not None]
        return sum(kids) if kids else self.own(key)

    def disagrees(self, key: str) -> float | None:
        """What the children say when the typed amount agrees neither with what the
        direct children state nor with what the lowest rows add up to; else None.

        Either agreement makes the row consistent, so one wrong figure is reported
        once, at the row where it is: not at every ancestor of a short leaf, nor at
        the parent of a wrong middle row.
        """
        typed, direct = self.own(key), self.children_stated(key)
        if typed is None or direct is None or abs(typed - direct) <= 0.5:
            return None
        bottom = sum(a for a in (c.lowest(key) for c in self.children) if a is not None)
        return None if abs(typed - bottom) <= 0.5 else direct


@dataclass
class BudgetTree:
    roots: list[Node]
    nodes: list[Node]
    totals: list[Row]
    orphans: list[Node]


def budget_tree(data: Data) -> BudgetTree:
    """Program > Kegiatan > Sub Kegiatan > Rekening from row order: each row belongs
    to the nearest row above it of a higher level (Permendagri 90/2019 hierarchy)."""
    rows = table_rows(data, "anggaran")
    levels = [BUDGET_LEVELS.get((r.text("jenis") or "").casefold()) for r in rows]
    roots: list[Node] = []
    nodes: list[Node] = []
    orphans: list[Node] = []
    at: dict[int, Node] = {}
    for i, (r, level, parent) in enumerate(zip(rows, levels, budget_parents(levels))):
        if level is None:
            continue
        node = at[i] = Node(r, level)
        nodes.append(node)
        if parent is None:
            roots.append(node)
            if level > 1:
                orphans.append(node)
        else:
            node._parent = weakref.ref(at[parent])
            at[parent].children.append(node)
    totals = [r for r in data.rows.get("anggaran", []) if r.is_total]
    return BudgetTree(roots, nodes, totals, orphans)
