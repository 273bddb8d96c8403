"""Racing workers: real threads on their own database connections, released at the same instant."""

import threading

from django.db import connection


def race(workers):
    """Run each callable in its own thread and connection, released together by a barrier.

    Returns each worker's outcome in order: what it returned, or the exception it raised."""
    barrier = threading.Barrier(len(workers))
    outcomes = [None] * len(workers)

    def run(index, work):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = work()
        except Exception as exc:  # noqa: BLE001 — the outcome is what the test inspects
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a worker hung"
    return outcomes


def raised(outcomes):
    """The exceptions among `race`'s outcomes."""
    return [outcome for outcome in outcomes if isinstance(outcome, Exception)]
