"""The address of the person making a request, as every limit and lock-out counts it.

Behind a load balancer or TLS proxy, REMOTE_ADDR is the proxy's own address: counting
sign-in failures by it would let anyone lock everyone out. With TRUSTED_PROXY_COUNT set to
the number of proxies in front of the application, the client is the address the outermost
trusted proxy saw, read from the right-hand end of X-Forwarded-For (the left-hand entries
are whatever the client chose to send, so they are never trusted).
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the trusted proxies' view of it."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    # The nearest proxy appends the address it saw; with `count` proxies, the client is the
    # `count`-th entry from the right. A shorter header means a proxy was bypassed.
    if len(hops) < count:
        return remote
    return hops[-count]
