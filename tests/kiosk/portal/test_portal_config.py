"""`[portal] deadline_s` and `max_response_bytes`: validated like every key, and given to the
client that `portal_client_for` builds."""

from __future__ import annotations

import pytest

from kiosk.config import ConfigError, parse_config
from kiosk.portal.connect import portal_client_for


@pytest.mark.parametrize(
    ("toml", "allowed"),
    [
        ("deadline_s = 0.5", "seconds from 1 to 600"),
        ("deadline_s = 601", "seconds from 1 to 600"),
        ('deadline_s = "soon"', "seconds from 1 to 600"),
        ("max_response_bytes = 4095", "bytes from 4096 to 67108864"),
        ("max_response_bytes = 67108865", "bytes from 4096 to 67108864"),
        ("max_response_bytes = 1.5", "bytes from 4096 to 67108864"),
    ],
)
def test_an_out_of_range_bound_is_refused_naming_what_is_allowed(toml, allowed):
    with pytest.raises(ConfigError, match=allowed):
        parse_config(f"[portal]\n{toml}\n")


def test_the_configured_bounds_reach_the_client():
    config = parse_config("[portal]\ndeadline_s = 7\nmax_response_bytes = 8192\n")
    client = portal_client_for(config.portal, "http://127.0.0.1:9")
    try:
        assert (client._deadline_s, client._max_response_bytes) == (7, 8192)
    finally:
        client.close()
