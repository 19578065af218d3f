"""Schemathesis against the app's own OpenAPI schema, on a store of the seeds: no request, valid or
not, makes the app answer with a server error, with a token or without one."""

import os
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from newsprism.output.web import create_app

TOKEN = "s3cret-ключ"
LOCAL = "http://127.0.0.1:8000"
# Cases per operation in the tests; a longer run: NEWSPRISM_API_FUZZ=2000 pytest tests/test_api_fuzz.py -s
EXAMPLES = int(os.environ.get("NEWSPRISM_API_FUZZ", "15"))


@pytest.mark.parametrize("token", [None, TOKEN], ids=["no token", "token"])
def test_no_endpoint_answers_with_a_server_error(seeds_db, token):
    app = create_app(seeds_db, token=token)
    schema = schemathesis.openapi.from_dict(app.openapi())
    schema.app = app
    # A non-ASCII token travels as its UTF-8 bytes, as a client sends it in a header.
    bearer = {"Authorization": f"Bearer {token}".encode().decode("latin-1")} if token else {}
    headers = {"Host": "127.0.0.1", **bearer}
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            response = case.call(base_url=LOCAL, headers=headers)
            statuses[response.status_code] += 1
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.query}: {response.status_code}")

        check()
    print(f"{sum(statuses.values())} requests: {dict(sorted(statuses.items()))}")
    assert statuses[200] > 0, statuses  # the cases reach the endpoints, not only the guards
    assert not failures, failures
