"""What the tracker adds around django-axes' login throttling (see "Login throttling" in
config/settings.py): the client's address, an attempt counted before its password is
checked, a success that forgets only its own account, and a 429 whose Retry-After is the
time the lockout has left."""

import logging
import math

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import (
    get_client_str, get_client_username, get_cool_off, get_credentials, get_failure_limit, get_lockout_parameters,
    toggleable,
)
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import router, transaction
from django.db.models import F
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker.clients import client_address  # noqa: F401 (AXES_CLIENT_IP_CALLABLE names it here)

log = logging.getLogger("axes.handlers.database")  # beside axes' own lines




class CountFirstHandler(AxesDatabaseHandler):
    """Axes' database handler, with each attempt counted as a failure *before* its
    password is checked (`reserve`). The count is raised under the row's lock and
    committed, then read back: of attempts arriving together, only those whose count is
    within the limit go on to the password check, so parallel guesses cannot pass it
    (axes alone checks the count, then the password, then records the failure). A success
    then forgets its account's count (`forget_the_accounts_failures`)."""

    def reserve(self, request, credentials):
        """Count this attempt; whether it may have its password checked."""
        self.clean_expired_user_attempts(request, credentials)
        username = get_client_username(request, credentials)
        if self.is_whitelisted(request, credentials) or (
            username is None and get_lockout_parameters(request, credentials) == ["username"]
        ):
            return True  # axes records neither
        request.tracker_counted = True
        with transaction.atomic(using=router.db_for_write(AccessAttempt)):
            attempt, created = AccessAttempt.objects.select_for_update().get_or_create(
                username=username, ip_address=request.axes_ip_address, user_agent=request.axes_user_agent,
                defaults={
                    "get_data": "", "post_data": "", "http_accept": request.axes_http_accept,
                    "path_info": request.axes_path_info, "failures_since_start": 1,
                    "attempt_time": request.axes_attempt_time,
                },
            )
            if not created:
                AccessAttempt.objects.filter(pk=attempt.pk).update(
                    failures_since_start=F("failures_since_start") + 1, attempt_time=request.axes_attempt_time
                )
        request.axes_failures_since_start = self.get_failures(request, credentials)
        return request.axes_failures_since_start <= get_failure_limit(request, credentials)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        if not getattr(request, "tracker_counted", False):
            super().user_login_failed(sender, credentials, request, **kwargs)
            return
        client = get_client_str(
            get_client_username(request, credentials), request.axes_ip_address, request.axes_user_agent,
            request.axes_path_info, request,
        )
        log.warning("AXES: Login failure by %s (counted before the password check).", client)
        if request.axes_failures_since_start >= get_failure_limit(request, credentials):
            log.warning("AXES: Locking out %s after repeated login failures.", client)
            request.axes_locked_out = True
            request.axes_credentials = credentials


class CountFirstBackend(AxesStandaloneBackend):
    """Refuses a locked-out account or address (axes), then counts the attempt before the
    next backend checks the password, and refuses it if the count went past the limit."""

    @toggleable
    def authenticate(self, request, username=None, password=None, **kwargs):
        super().authenticate(request, username, password, **kwargs)
        AxesProxyHandler.update_request(request)
        if not AxesProxyHandler.get_implementation().reserve(request, get_credentials(username)):
            request.axes_locked_out = True
            raise AxesBackendPermissionDenied("Counted past the failure limit")


@receiver(user_logged_in, dispatch_uid="tracker_forget_login_failures")
def forget_the_accounts_failures(sender, request, user, **kwargs):
    """A success proves the password of this account only: its failures (from any
    address) are forgotten, other accounts' failures from the same address still count."""
    AxesProxyHandler.reset_attempts(username=user.get_username())


def lockout_ends(request, credentials):
    """When the lockout of this request's account or address ends: for each of them that
    is locked, the time its latest failures (enough of them to reach the limit) leave the
    cool-off window. Refused attempts are not recorded (settings), so this does not move."""
    handler = AxesProxyHandler.get_implementation()
    limit, cool_off = get_failure_limit(request, credentials), get_cool_off(request)
    ends = []
    for attempts in handler.get_user_attempts(request, credentials):
        counted = 0
        for failures, at in attempts.order_by("-attempt_time").values_list("failures_since_start", "attempt_time"):
            counted += failures
            if counted >= limit:
                ends.append(at + cool_off)
                break
    return max(ends, default=timezone.now() + cool_off)


def lockout_response(request, original_response=None, credentials=None):
    """HTTP 429 in the reader's language, with Retry-After: the seconds the lockout has
    left, after which a login is allowed again."""
    seconds = max(math.ceil((lockout_ends(request, credentials) - timezone.now()).total_seconds()), 1)
    message = _("Too many failed logins. Try again in %(minutes)s minutes.") % {
        "minutes": max(math.ceil(seconds / 60), 1)
    }
    response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(seconds)
    return response
