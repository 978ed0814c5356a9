"""Staff pages for the neighbourhood (work in progress)."""

from django.http import HttpResponse


def overview(request):
    return HttpResponse("overview")


household_list = person_list = organisation_list = overview
