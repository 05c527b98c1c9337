"""Every refusal answers JSON with a `detail` in the reader's language: the framework's own
wordings are replaced by the tracker's, and invalid query parameters are listed one by one
(and again, by parameter, under `errors`)."""

from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.views import exception_handler as framework_handler

#: The framework's refusals, in the tracker's words.
REWORDED = {
    exceptions.MethodNotAllowed: gettext_lazy("The API only reads: ask with GET."),
    exceptions.NotAcceptable: gettext_lazy("The API answers in JSON only: accept application/json."),
    exceptions.NotAuthenticated: gettext_lazy("This tracker is open to signed-in users only: sign in on the site first."),
    exceptions.AuthenticationFailed: gettext_lazy("This tracker is open to signed-in users only: sign in on the site first."),
    exceptions.PermissionDenied: gettext_lazy("You may not read this."),
    exceptions.UnsupportedMediaType: gettext_lazy("The API reads no request body."),
    exceptions.ParseError: gettext_lazy("The API reads no request body."),
}
NOTHING_HERE = gettext_lazy("There is nothing at this address.")


def exception_handler(exc, context):
    """REST framework's handler (status, Retry-After…), with the tracker's messages."""
    if isinstance(exc, Http404) and not (exc.args and isinstance(exc.args[0], str)):
        exc = exceptions.NotFound(NOTHING_HERE)
    elif type(exc) in REWORDED:
        exc.detail = exceptions.ErrorDetail(str(REWORDED[type(exc)]), code=exc.default_code)
    elif type(exc) is exceptions.NotFound and exc.detail == exceptions.NotFound.default_detail:
        exc.detail = exceptions.ErrorDetail(str(NOTHING_HERE), code="not_found")
    response = framework_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": invalid_parameters(response.data), "errors": response.data}
    return response


def invalid_parameters(errors):
    """One sentence naming each refused parameter and why."""
    if isinstance(errors, dict):
        problems = "; ".join(f"{name}: {' '.join(str(m) for m in _listed(messages))}" for name, messages in errors.items())
    else:
        problems = " ".join(str(m) for m in _listed(errors))
    return _("Invalid query parameters — %(problems)s") % {"problems": problems}


def _listed(messages):
    return messages if isinstance(messages, (list, tuple)) else [messages]


def refusal(detail, status, headers=None):
    """A refusal made outside REST framework's views, written as theirs are."""
    return JsonResponse(
        {"detail": detail}, status=status, headers=headers, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")}
    )


def no_such_address(request, path=""):
    """Any other address under /api/v1/: a JSON 404 pointing to the list of addresses."""
    root = request.build_absolute_uri(reverse("api:api-root"))
    return refusal(_("There is no such address in the API; its addresses are listed at %(root)s.") % {"root": root}, 404)
