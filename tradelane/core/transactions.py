"""Is our code inside a database transaction? For calls that must never hold locks while
they talk to the outside world (payment providers, carriers)."""

from django.db import connection


def in_business_transaction() -> bool:
    """True inside a transaction opened by application code. The atomic blocks a test case
    wraps each test in (Django marks them `_from_testcase`) do not count, so a test that
    is not transactional still sees an outside call as outside."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)
