"""The public search page."""

from django.shortcuts import render

from core.middleware import cache_public_page
from search import selectors


@cache_public_page(params=("q",))
def search(request):
    query = request.GET.get("q", "")[: selectors.MAX_QUERY_CHARS]
    terms = selectors.search_terms(query)
    hits = selectors.search_public(query) if terms else []
    return render(
        request,
        "search/search.html",
        {"query": query, "terms": terms, "hits": hits, "max_results": selectors.MAX_RESULTS},
    )
