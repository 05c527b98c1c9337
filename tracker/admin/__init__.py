"""The editors' admin: one module per family of records, the worklist, the cycle lock's
form and admin mixins (README "What you can do")."""

from . import evidence, followup, news, projects, ratings, sources  # noqa: F401 (register the model admins)
from . import site  # noqa: F401 (the admin site's look)
