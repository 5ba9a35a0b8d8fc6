"""Text written for the pages in the project's own files (saved queries' descriptions), shown as
people read it: `code` between backticks becomes <code>, everything else is escaped."""

from __future__ import annotations

import re

from flask import Blueprint
from markupsafe import Markup, escape

blueprint = Blueprint("page_text", __name__)
CODE = re.compile(r"`([^`\n]+)`")


@blueprint.app_template_filter("code_spans")
def code_spans(text: str | None) -> Markup:
    return Markup(CODE.sub(lambda m: f"<code>{m[1]}</code>", str(escape(text or ""))))
