"""The public search page."""

from django.shortcuts import render

from core.middleware import cache_public_page, skip_public_cache
from search import selectors


@cache_public_page(params=("q",))
def search(request):
    raw = request.GET.get("q", "")
    query = raw[: selectors.MAX_QUERY_CHARS]
    terms = selectors.search_terms(query)
    hits = selectors.search_public(query) if terms else []
    response = render(
        request,
        "search/search.html",
        {"query": query, "terms": terms, "hits": hits, "max_results": selectors.MAX_RESULTS},
    )
    if raw and (not hits or raw != " ".join(query.split())):
        # Only a normalised query that found something is kept in the shared cache.
        skip_public_cache(response)
    return response
