"""Staff pages to create and revoke API tokens (work in progress)."""

from django.http import HttpResponse


def token_list(request):
    return HttpResponse("tokens")


token_revoke = token_list
