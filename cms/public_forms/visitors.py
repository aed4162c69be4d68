"""Who sent a public form: the client's address, as the rate limits count it."""


def client_ip(request):
    """The address the request came from. Behind a proxy, the deployment sets REMOTE_ADDR from the proxy's header
    (docs/operations.md); a header a visitor can write is never read here."""
    return request.META.get("REMOTE_ADDR", "")
