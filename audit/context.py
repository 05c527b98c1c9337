"""Who is acting, and through which door, for the audit trail and the cycle locks.

Requests set it in middleware; commands and imports set it with `acting(...)`. Outside
both (a shell, a migration) the actor is the system: no user."""

import contextlib
import contextvars

_actor = contextvars.ContextVar("audit_actor", default=(None, "system"))


def current_user():
    return _actor.get()[0]


def current_source():
    return _actor.get()[1]


@contextlib.contextmanager
def acting(user, source):
    token = _actor.set((user if getattr(user, "pk", None) else None, source))
    try:
        yield
    finally:
        _actor.reset(token)


class ActorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user if request.user.is_authenticated else None
        source = "admin" if request.path.startswith("/admin/") else "web"
        with acting(user, source):
            return self.get_response(request)
