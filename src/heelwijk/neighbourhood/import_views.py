"""Staff pages to import households, people and organisations (work in progress)."""

from django.http import HttpResponse


def import_upload(request):
    return HttpResponse("import")


import_review = import_upload
