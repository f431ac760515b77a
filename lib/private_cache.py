"""Staff pages, API replies and CSV exports hold personal data: no shared cache (a proxy,
a CDN) may keep them. Every response says `Cache-Control: private, no-store` unless it
already says otherwise (static files cache for a year, survey pages never)."""


class PrivateByDefault:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
