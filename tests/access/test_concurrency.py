"""Concurrent replace-all PUTs of one course's rules, with real threads over HTTP.

On MariaDB (``make test-mysql``) the ``CourseRuleSet`` row lock decides; on SQLite writers are
serialised. Either way: with the same ``If-Match`` one PUT wins and the others get 412; without
``If-Match`` each applies on top of the previous, and the result is one whole list, never a mix.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from tests.access.conftest import window


def _list(tag: str, count: int = 3) -> list[dict]:
    starts, ends = window()
    return [{"name": f"{tag}-{i}", "starts_at": starts, "ends_at": ends} for i in range(count)]


def test_concurrent_puts_with_the_same_etag_one_wins_the_others_get_412(integrator, rules_course):
    _rules, etag = integrator.rules()
    barrier = threading.Barrier(6)

    def put(tag: str):
        barrier.wait()
        return tag, integrator.put_rules(_list(tag), etag)

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(put, [f"T{i}" for i in range(6)]))
    codes = sorted(response.status_code for _tag, response in results)
    assert codes == [200] + [412] * 5, [r.text for _t, r in results]
    winner = next(tag for tag, response in results if response.status_code == 200)
    rules, etag_after = integrator.rules()
    assert sorted(rule["name"] for rule in rules) == [f"{winner}-{i}" for i in range(3)]
    assert etag_after == '"1"'


def test_concurrent_puts_without_etag_apply_one_after_the_other_never_a_mix(integrator, rules_course):
    barrier = threading.Barrier(5)

    def put(tag: str):
        barrier.wait()
        return integrator.put_rules(_list(tag))

    with ThreadPoolExecutor(max_workers=5) as pool:
        responses = list(pool.map(put, [f"U{i}" for i in range(5)]))
    assert all(response.status_code == 200 for response in responses), [r.text for r in responses]
    rules, etag = integrator.rules()
    tags = {rule["name"].split("-")[0] for rule in rules}
    assert len(tags) == 1 and len(rules) == 3
    assert etag == '"5"'
