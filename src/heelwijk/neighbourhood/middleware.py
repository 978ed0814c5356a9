"""Attach the neighbourhood the user is working in to every request."""

from .selectors import current_neighbourhood


class CurrentNeighbourhoodMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.neighbourhood = current_neighbourhood(
            request.user, request.session.get("neighbourhood_id")
        )
        return self.get_response(request)
