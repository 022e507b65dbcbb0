"""Limits that the API schemas check and the services rely on: one module both may import.

Schemas are the HTTP side of the layers and do not import services; a limit both need lives here.
"""

from __future__ import annotations

MAX_SEARCH_PAGE_SIZE = 100
"""Largest page of search results."""

MAX_SEARCH_PAGE = 10000
"""Highest search page number accepted (deeper pages are a crawl, not a search)."""

MAX_FILTER_VALUES = 50
"""Values of one filter accepted in one search or list."""

MAX_MIN_ADOPTERS = 1000
"""Highest "used by at least N" a search accepts (more than any country has kommuner)."""

MAX_WEBHOOKS_PER_ORGANISATION = 10
"""Webhooks one organisation may register."""

MAX_WEBHOOK_URL_LENGTH = 500
"""Longest webhook URL accepted (the column's length)."""

ORGANISATION_EMBED_LIMIT = 100
"""How many of its solutions, and of its adoptions, an organisation's detail embeds unless
asked for every row (``?embed=all``); the rest are in the paged collections it links to."""
