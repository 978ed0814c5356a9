"""API authentication: bearer tokens for programs, the session for pages that call the API."""

from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from heelwijk.neighbourhood.selectors import current_neighbourhood

from .actions import api_token_touch
from .selectors import active_token_for_secret


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        """A bearer token that fails is refused outright (401), never passed on to the session:
        a program that sends a revoked token must notice, even from a logged-in browser."""
        api_token = active_token_for_secret(token.strip())
        if api_token is None:
            raise AuthenticationError
        # A token acts in the neighbourhood it was made for, whatever the user's session says,
        # and only while its user still belongs there.
        neighbourhood = current_neighbourhood(api_token.user, api_token.neighbourhood_id)
        if neighbourhood is None or neighbourhood.pk != api_token.neighbourhood_id:
            raise AuthenticationError
        api_token_touch(token=api_token)
        request.user = api_token.user
        request.neighbourhood = neighbourhood
        request.api_token = api_token
        return api_token.user


class SessionAuth(NinjaSessionAuth):
    """The logged-in session (CSRF-checked on writes), for htmx and the docs page."""
