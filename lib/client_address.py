"""The client's address, also behind reverse proxies. REMOTE_ADDR is the nearest proxy
there, the same for every customer; X-Forwarded-For holds the chain, but its first
entries are whatever the client wrote. With TRUSTED_PROXY_HOPS proxies of our own in
front, each appending the address it was reached from, the client is the entry that many
places from the right: nothing the client writes can move it."""

from django.conf import settings


def client_address(request) -> str:
    hops = settings.TOUCHSTONE_TRUSTED_PROXY_HOPS
    if hops:
        chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        chain = [address for address in chain if address]
        if len(chain) >= hops:
            return chain[-hops]
    return request.META.get("REMOTE_ADDR", "")
