"""`POST /api/policy/evaluate/`: evaluate a facts document (the JSON body) under the active policy.

Callers authenticate either with a Django session of a user holding
`policy_rules.view_policyversion` (CSRF enforced) or with `Authorization: Bearer
<token>` where the token is one of POLICY_RULES["API_TOKENS"] (no CSRF: no cookie
is involved). Answers: 200 outcomes; 400 `{"errors": [{"path", "message"}]}` (also for
a body nested more than `transfer.MAX_DEPTH` deep, and a malformed `?scope=`); 401 / 403; 413 over 16 MB; 503 when
the scope has no active version.
"""

import json
import secrets

from django.http import JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .bounds import SCOPE_RULE
from .conf import get_conf
from .document import is_scope
from .evaluation import evaluate
from .facts_document import MAX_FACTS_BYTES, FactsDocumentError, parse_facts
from .facts_errors import error_text
from .models import PolicyVersion
from .transfer import FormatError, check_depth

MAX_BODY_BYTES = MAX_FACTS_BYTES
PERMISSION = "policy_rules.view_policyversion"


def _errors(status, message, path=""):
    response = JsonResponse({"errors": [{"path": path, "message": message}]}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="policy"'
    return response


def _bearer_valid(token):
    token = token.strip().encode()
    valid = False
    for configured in get_conf("API_TOKENS"):
        # Compare against every token, so the time taken does not tell which one nearly matched.
        if configured and secrets.compare_digest(token, str(configured).encode()):
            valid = True
    return valid


def _csrf_refusal(request):
    """A 403 response when a session request fails Django's CSRF check, else None."""
    check = CsrfViewMiddleware(lambda request: None)
    check.process_request(request)
    return check.process_view(request, None, (), {})


def _refusal(request):
    """None when the caller may evaluate, else the 401/403 response."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return None if _bearer_valid(token) else _errors(401, "invalid bearer token")
    if not request.user.is_authenticated:
        return _errors(401, "authentication required: a session or a bearer token")
    if not request.user.has_perm(PERMISSION):
        return _errors(403, "you may not evaluate policy facts")
    if _csrf_refusal(request) is not None:
        return _errors(403, "CSRF check failed")
    return None


def _body(request):
    """The body as JSON data, or an error response (413 too large, 400 not JSON)."""
    try:
        declared = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return None, _errors(400, "invalid Content-Length")
    if declared > MAX_BODY_BYTES:
        return None, _errors(413, f"the body is over {MAX_BODY_BYTES // (1024 * 1024)} MB")
    # Read the stream, not request.body: DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) is for forms, not this limit.
    raw = request.read(MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        return None, _errors(413, f"the body is over {MAX_BODY_BYTES // (1024 * 1024)} MB")
    try:
        check_depth(raw, "json")  # json.loads recurses once per level: 2 KB of "[" would be a RecursionError
    except FormatError as error:
        return None, _errors(400, error.message)
    try:
        return json.loads(raw), None
    except (ValueError, UnicodeDecodeError) as error:
        return None, _errors(400, f"the body is not JSON: {error}")


@csrf_exempt  # the session path is checked in _refusal; the bearer path carries no cookie
@require_POST
def evaluate_facts(request):
    """Outcomes of the facts document in the body, under the active version of `?scope=` (default scope)."""
    refusal = _refusal(request)
    if refusal is not None:
        return refusal
    data, error = _body(request)
    if error is not None:
        return error
    try:
        facts = parse_facts(data)
    except FactsDocumentError as invalid:
        # Each error also in words, in the language of the request (docs/facts-document.md).
        return JsonResponse({"errors": [{**e, "text": error_text(e)} for e in invalid.errors]}, status=400)
    scope = request.GET.get("scope") or get_conf("DEFAULT_SCOPE")
    if not is_scope(scope):
        return _errors(400, str(SCOPE_RULE), path="scope")
    version = PolicyVersion.active_for(scope)
    if version is None:
        return _errors(503, f"no active policy version for scope {scope!r}")
    return JsonResponse(evaluate(version, facts), json_dumps_params={"ensure_ascii": False})
