"""Credentials for a store that wants them (`publish --to`): from the environment or a netrc file.

Never from the command line, where they would land in shell history and in `ps` for every
user of the machine to read. Looked up in this order:

1. `OFSTED_KG_STORE_USER` and `OFSTED_KG_STORE_PASSWORD` (both set, or neither);
2. the netrc file (`NETRC` if set, else `~/.netrc`): the `machine` entry for the store's host
   (curl's and requests' convention), else its `default` entry.

Which scheme the store asks for (HTTP Basic or Digest) is read from its challenge
(publish.py), so the same credentials serve Fuseki behind Basic auth and Virtuoso's
Digest-only Graph Store endpoint.
"""

from __future__ import annotations

import netrc
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ofsted_kg.graph.model.user_errors import OfstedKGError

USER, PASSWORD = "OFSTED_KG_STORE_USER", "OFSTED_KG_STORE_PASSWORD"


class CredentialsError(OfstedKGError):
    """Credentials set half-way, or a netrc file that cannot be read."""


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str
    source: str  # where they came from, for messages (never the password itself)

    def __repr__(self) -> str:  # a traceback or a log line never shows the password
        return f"Credentials(user={self.user!r}, source={self.source!r})"


def for_url(url: str, environ=os.environ) -> Credentials | None:
    """The credentials for the store at `url`, or None when none are configured."""
    user, password = environ.get(USER), environ.get(PASSWORD)
    if (user is None) != (password is None):
        missing = PASSWORD if password is None else USER
        raise CredentialsError(f"{missing} is not set: set both {USER} and {PASSWORD}, or neither")
    if user is not None and password is not None:
        return Credentials(user, password, f"{USER}/{PASSWORD}")
    return _from_netrc(urlsplit(url).hostname or "", environ)


def _from_netrc(host: str, environ) -> Credentials | None:
    path = Path(environ["NETRC"]) if environ.get("NETRC") else Path.home() / ".netrc"
    if not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except netrc.NetrcParseError as error:  # its message quotes the token, which may be part of a password
        raise CredentialsError(f"{path}: cannot read the netrc file (line {error.lineno} is not netrc syntax)") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CredentialsError(f"{path}: cannot read the netrc file ({type(error).__name__})") from None
    if entry is None:
        return None
    login, _, password = entry
    return Credentials(login, password or "", f"{path} (machine {host})")
