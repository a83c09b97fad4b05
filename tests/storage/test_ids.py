from __future__ import annotations

import threading

from brickyard.storage import Database, allocate_job_ids, allocate_run_ids


def test_run_ids_are_ascending_and_never_reused(db: Database) -> None:
    with db.transaction() as conn:
        first = allocate_run_ids(conn, 3)
        second = allocate_run_ids(conn, 2)
        assert allocate_run_ids(conn, 0) == []
    assert first == [1, 2, 3]
    assert second == [4, 5]


def test_job_ids_have_their_own_sequence(db: Database) -> None:
    with db.transaction() as conn:
        allocate_run_ids(conn, 10)
        assert allocate_job_ids(conn, 2) == [1, 2]
        assert allocate_run_ids(conn, 1) == [11]


def test_concurrent_writers_never_share_an_id(db: Database) -> None:
    allocated: list[list[int]] = [[], []]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker(index: int) -> None:
        try:
            barrier.wait()
            for _ in range(20):
                with db.transaction() as conn:
                    allocated[index].extend(allocate_run_ids(conn, 5))
        except BaseException as exc:  # reported to the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    everything = allocated[0] + allocated[1]
    assert len(everything) == 200
    assert sorted(everything) == list(range(1, 201))
