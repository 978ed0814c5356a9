"""API authentication: bearer tokens for programs, the session for pages that call the API."""

from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from heelwijk.neighbourhood.selectors import current_neighbourhood

from .actions import api_token_touch
from .selectors import active_token_for_secret


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        api_token = active_token_for_secret(token)
        if api_token is None:
            return None
        api_token_touch(token=api_token)
        request.user = api_token.user
        # A token acts in the neighbourhood it was made for, whatever the user's session says.
        request.neighbourhood = current_neighbourhood(api_token.user, api_token.neighbourhood_id)
        if request.neighbourhood is None or request.neighbourhood.pk != api_token.neighbourhood_id:
            return None
        request.api_token = api_token
        return api_token.user


class SessionAuth(NinjaSessionAuth):
    """The logged-in session (CSRF-checked on writes), for htmx and the docs page."""
