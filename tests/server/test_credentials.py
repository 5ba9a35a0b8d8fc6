"""Where `publish` finds a store's credentials: the environment, then the netrc file; never argv."""

from __future__ import annotations

import pytest

from ofsted_kg.server.store import credentials
from ofsted_kg.server.store.credentials import CredentialsError, for_url

URL = "http://store.example:8890/sparql-graph-crud-auth"


def test_the_environment_comes_first(tmp_path):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine store.example login from-netrc password n\n")
    found = for_url(URL, {credentials.USER: "env-user", credentials.PASSWORD: "p", "NETRC": str(netrc)})
    assert (found.user, found.password) == ("env-user", "p")


def test_netrc_by_host_then_its_default(tmp_path):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine other.example login other password o\ndefault login anyone password d\n")
    assert for_url(URL, {"NETRC": str(netrc)}).user == "anyone"
    netrc.write_text("machine store.example login loader password s3cret\ndefault login anyone password d\n")
    found = for_url(URL, {"NETRC": str(netrc)})
    assert (found.user, found.password) == ("loader", "s3cret") and "store.example" in found.source


def test_none_configured_is_none(tmp_path):
    assert for_url(URL, {"NETRC": str(tmp_path / "missing")}) is None


def test_half_set_and_unreadable_are_errors(tmp_path):
    with pytest.raises(CredentialsError, match="OFSTED_KG_STORE_PASSWORD is not set"):
        for_url(URL, {credentials.USER: "u"})
    broken = tmp_path / "netrc"
    broken.write_text("machine store.example\n  bogus token\n")
    with pytest.raises(CredentialsError, match="cannot read the netrc file"):
        for_url(URL, {"NETRC": str(broken)})


def test_the_password_never_shows_in_a_repr():
    assert "s3cret" not in repr(credentials.Credentials("u", "s3cret", "env"))
