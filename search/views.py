"""The public search page."""

from django.shortcuts import render

from core.middleware import cache_public_page, skip_public_cache
from core.paging import PAGE_PARAM, page_of
from search import selectors


@cache_public_page(params=("q", PAGE_PARAM))
def search(request):
    raw = request.GET.get("q", "")
    query = raw[: selectors.MAX_QUERY_CHARS]
    terms = selectors.search_terms(query)
    matches = selectors.search_matches(query)
    page = page_of(request, count=matches.count, per_page=selectors.PAGE_SIZE, keep=("q",))
    hits = selectors.search_hits(matches, offset=page.offset, limit=page.limit)
    response = render(
        request,
        "search/search.html",
        {
            "query": query,
            "terms": terms,
            "hits": hits,
            "total": matches.count,
            "more": matches.more,
            "page": page,
        },
    )
    if raw and (not hits or raw != " ".join(query.split())) or not page.asked_as(request):
        # Only a normalised query that found something, on a page that exists asked for
        # as the links ask for it, is kept in the shared cache.
        skip_public_cache(response)
    return response
