import re
import threading
from datetime import UTC, datetime

import pytest
from django.db import connection

from kefu.testing import make_ticket
from kefu.tickets.numbering import next_ticket_number

NUMBER = re.compile(r"^KF\d{11,}$")


@pytest.mark.django_db
def test_numbers_use_the_shanghai_date_and_a_daily_sequence():
    # 2025-11-06 17:30 UTC is already 7 November in Shanghai.
    late = datetime(2025, 11, 6, 17, 30, tzinfo=UTC)
    assert next_ticket_number(late) == "KF20251107001"
    assert next_ticket_number(late) == "KF20251107002"
    assert next_ticket_number(datetime(2025, 11, 7, 16, 0, tzinfo=UTC)) == "KF20251108001"


@pytest.mark.django_db
def test_sequence_grows_past_three_digits():
    day = datetime(2025, 1, 1, 4, 0, tzinfo=UTC)
    numbers = [next_ticket_number(day) for _ in range(1000)]
    assert numbers[998] == "KF20250101999"
    assert numbers[999] == "KF202501011000"
    assert all(NUMBER.match(n) for n in numbers)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_concurrent_creates_get_fifty_distinct_numbers(personas):
    numbers: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(50)

    def create() -> None:
        try:
            start.wait()
            numbers.append(make_ticket(personas.anna).number)
        except BaseException as exc:  # collected and re-raised by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(numbers) == 50 == len(set(numbers))
    assert all(NUMBER.match(n) for n in numbers)
