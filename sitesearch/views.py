from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from . import selectors
from .forms import SearchForm

RESULTS_PER_PAGE = 10


@require_GET
def search(request):
    """/search/: one search box over projects, partners and pages, with type filters."""
    form = SearchForm(request.GET)
    query, types, page_obj, results, promotions = "", [], None, [], []
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        types = form.cleaned_data["type"]
    if query:
        found = selectors.search_pages(query=query, types=types)
        page_obj = Paginator(found, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        results = selectors.present(page_obj.object_list, query=query)
        if page_obj.number == 1:
            promotions = selectors.promoted_results(query=query)
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "sitesearch/search.html",
        {
            "form": form,
            "query": query,
            "page_obj": page_obj,
            "results": results,
            "promotions": promotions,
            "querystring": querystring.urlencode(),
        },
    )


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /portal/",
        "Disallow: /accounts/",
        "Disallow: /search/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
