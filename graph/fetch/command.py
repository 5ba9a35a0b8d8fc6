"""The `fetch` subcommand of `ofsted-kg`: options, progress bars, the summary and exit codes
(0 done; 2 bad option, unknown council, or the mirror's folder cannot be written; 3 some files failed, the rest mirrored; 5 a page's
layout has changed; 6 a listing or provider page could not be fetched; 5 and 6 write nothing;
130 interrupted)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from ..model.user_errors import ExitCode
from .crawl import DEFAULT_SITE


def configure(commands) -> None:
    fetch = commands.add_parser("fetch", help="mirror the reports Ofsted publishes on councils' children's services")
    add_fetch_options(fetch)
    fetch.set_defaults(func=run_fetch)


def add_fetch_options(fetch) -> None:
    """fetch's options, which `update` takes too."""
    fetch.add_argument(
        "--out",
        "-o",
        type=Path,
        default=Path("corpus"),
        metavar="DIR",
        help="the mirror: one folder per council, catalogue.csv, runs/ (default: corpus)",
    )
    fetch.add_argument(
        "--council",
        action="extend",
        nargs="+",
        default=[],
        metavar="NAME|URN",
        help="only these councils: an Ofsted URN, the name as listed, or the folder's short name; repeatable",
    )
    fetch.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD", help="only publications published on or after this date")
    fetch.add_argument(
        "--rate", type=rate, default=1.0, metavar="R", help="at most R requests a second to the site (default: 1; 0: no pause)"
    )
    fetch.add_argument(
        "--site",
        type=site,
        default=DEFAULT_SITE,
        metavar="URL",
        help=f"the report site, or a mirror of it (default: {DEFAULT_SITE})",
    )
    fetch.add_argument(
        "--recheck",
        action="store_true",
        help="also ask, conditionally (ETag, Last-Modified), whether files already mirrored have changed",
    )


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, not {text!r}") from None


def rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected requests a second, 0 or more, not {text!r}")
    return value


def site(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"expected an http(s) URL, not {text!r}")
    return text if text.endswith("/") else text + "/"


def run_fetch(args) -> int:
    from . import fetch

    bars = []

    def progress(stage: str, total: int):
        if not sys.stderr.isatty() or total == 0:
            return None
        from tqdm import tqdm

        bars.append(tqdm(total=total, unit="page" if stage == "councils" else "file", desc=stage, file=sys.stderr))
        return bars[-1].update

    try:
        result = fetch(args.out, args.council, args.since, args.rate, args.site, args.recheck, progress)
    except OSError as error:  # the mirror's folder: not writable, disk full
        print(f"ofsted-kg: error: {error.filename or args.out}: {error.strerror or error}", file=sys.stderr)
        return ExitCode.BAD_INPUT
    except KeyboardInterrupt:
        print(
            f"ofsted-kg: interrupted; {args.out} holds only whole files, each catalogued: run the same command again to carry on",
            file=sys.stderr,
        )
        return ExitCode.INTERRUPTED
    finally:
        for bar in bars:
            bar.close()
    for failure in result.failures:
        print(f"ofsted-kg: error: {failure}", file=sys.stderr)
    record = result.record
    counts = ", ".join(f"{record.count(s)} {s}" for s in ("added", "changed", "skipped", "failed"))
    publications = f"{result.publications} publication{'s' if result.publications != 1 else ''}"
    councils = f"{result.councils} council{'s' if result.councils != 1 else ''}"
    print(
        f"fetched {publications} of {councils} into {args.out}: {counts} ({result.requests} requests); run record: {record.path}"
    )
    return ExitCode.PARTIAL if result.failures else ExitCode.OK
