"""Real threads against the database, for the tests where it must decide (row locks,
constraints): ``race`` starts ``count`` calls of ``work(index)`` at the same moment."""

import threading

from django.db import connection


def race(work, count=2):
    """``work(0)`` … ``work(count - 1)`` in threads released together by a barrier; returns
    (results, errors). Each thread closes its own database connection."""
    errors, results = [], []
    barrier = threading.Barrier(count)

    def run(index):
        try:
            barrier.wait()
            results.append(work(index))
        except Exception as exc:  # noqa: BLE001 - counted by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results, errors
