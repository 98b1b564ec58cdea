"""Cursor pagination for case lists: stable while new cases arrive, and one query a page
however deep the client pages."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class CasePagination(CursorPagination):
    ordering = ("-received_at", "-id")
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
