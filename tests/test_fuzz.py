"""A fuzzer in the suite: workbooks mutated at the byte, zip and XML level never make a
command print a traceback, exit with another code than 0, 1 or 2, pass the memory or time
limits, or write a result for an input it could not read. `bench/fuzz.py` runs thousands."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzzing import mutate, problems, run_case
from paths import BLUTO, KALIANGET
from sakip_xl.isolate import Failure, Limits, run_isolated

LIMITS = Limits(memory_mb=1536, seconds=60)
SOURCES = {p.name: p.read_bytes() for p in (BLUTO, KALIANGET)}


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(source=st.sampled_from(sorted(SOURCES)), rng=st.randoms(use_true_random=False))
def test_mutated_workbooks_get_clean_answers(tmp_path, source, rng: random.Random):
    path = tmp_path / f"mutan-{rng.randrange(10**9)}.xlsx"
    path.write_bytes(mutate(SOURCES[source], rng))
    ((_i, outcome),) = list(run_isolated(run_case, [str(path)], 1, LIMITS))
    assert not isinstance(outcome, Failure), f"{path.name}: {outcome.reason}\n{outcome.detail}"
    assert problems(outcome) == [], path.name
