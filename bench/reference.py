"""The reference for page benchmarks: the cheapest Django view, through the same middleware."""

from django.http import HttpResponse


def bare(request):
    return HttpResponse("ok", content_type="text/plain")
