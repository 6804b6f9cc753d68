"""The parts of who may call the API that need no server: proxy lists, `Forwarded`."""

from __future__ import annotations

import pytest

from assistant.settings import Settings, SettingsError
from assistant.web.security import forwarded_as_x_forwarded, parse_proxies


def test_proxies_are_addresses_or_networks() -> None:
    assert parse_proxies("") == []
    assert parse_proxies(" 127.0.0.1, 10.0.0.0/8 ,::1") == ["127.0.0.1", "10.0.0.0/8", "::1"]
    with pytest.raises(ValueError, match=r"'proxy\.example'"):
        parse_proxies("127.0.0.1, proxy.example")


def test_a_bad_proxy_setting_names_the_variable_and_the_entry() -> None:
    with pytest.raises(SettingsError, match=r"PRESSROOM_TRUSTED_PROXIES.*'10\.0\.0\.300'"):
        Settings.from_env({"PRESSROOM_TRUSTED_PROXIES": "10.0.0.300"})


def test_forwarded_gives_its_addresses_in_order_and_the_scheme() -> None:
    assert forwarded_as_x_forwarded('for=192.0.2.43, for="[2001:db8:cafe::17]";proto=HTTPS') == (
        ["192.0.2.43", "[2001:db8:cafe::17]"],
        "https",
    )
    assert forwarded_as_x_forwarded("for=_hidden;by=203.0.113.43") == (["_hidden"], None)
    assert forwarded_as_x_forwarded("proto=http") == ([], "http")
