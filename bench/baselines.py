"""The baselines `bench.load` measures in the same run as the workloads: what Django on
this machine does at best through the same middleware, server and database, so that the
workloads' figures read as ratios that hold on a noisy machine.

- `constant`: a constant JSON document, no database;
- `insert`: one INSERT of a row into `bench_row` (a table `bench.loaddata` creates with a
  million rows; no model, so the application's migrations know nothing of it);
- `select`: one SELECT of a row of it by its primary key."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

if TYPE_CHECKING:
    from django.http import HttpRequest

TABLE = "bench_row"
CONSTANT = {"service": "servicenav", "baseline": "constant", "ok": True}


@require_GET
def constant(request: HttpRequest) -> JsonResponse:
    return JsonResponse(CONSTANT)


@csrf_exempt  # the baseline of writing, not of the CSRF check
@require_POST
def insert(request: HttpRequest) -> JsonResponse:
    payload = request.POST.get("text", "")[:200]
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (payload) VALUES (%s) RETURNING id", [payload])  # noqa: S608
        (pk,) = cursor.fetchone()
    return JsonResponse({"id": pk}, status=201)


@require_GET
def select(request: HttpRequest, pk: int) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, payload, created_at FROM {TABLE} WHERE id = %s", [pk])  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        raise Http404
    return JsonResponse({"id": row[0], "payload": row[1], "created_at": row[2].isoformat()})
