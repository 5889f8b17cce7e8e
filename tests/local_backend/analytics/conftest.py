"""A few hundred generated orders around both of Athens' 2025 clock changes, written straight into the test
appliance's database (the same generator as the benchmark), for checking every analytics figure against an
independent computation in Python (expected.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.bench.analytics import Dataset, generate

# Athens: summer time starts 2025-03-30 03:00 (to 04:00), ends 2025-10-26 04:00 (back to 03:00).
SPRING = [date(2025, 3, 26) + timedelta(days=n) for n in range(8)]  # Wednesday 26 .. Wednesday 2 April
AUTUMN = [date(2025, 10, 22) + timedelta(days=n) for n in range(8)]  # Wednesday 22 .. Wednesday 29


@pytest.fixture
def dataset(app, database) -> Dataset:
    # A quarter of the orders late at night: the hours the clocks change see plenty of payments.
    return generate(
        database,
        [*SPRING, *AUTUMN],
        orders_per_day=24,
        seed=11,
        hashed_pin=app.state.hasher.hash("1234"),
        late_share=0.25,
    )
