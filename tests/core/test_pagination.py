"""Pagination helpers: tommy page/per with headers, courier page[limit]/page[offset] bounds."""

import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from accounts.models import User
from core.api.pagination import PageLimitOffsetPagination, PagePerPagination
from core.exceptions import InvalidQueryParameter
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def request_for(query: str) -> Request:
    return Request(APIRequestFactory().get(f"/api/v1/things?{query}"))


def test_page_per_slices_and_sets_total_and_links():
    UserFactory.create_batch(5)
    pager = PagePerPagination()
    rows = pager.paginate_queryset(User.objects.order_by("id"), request_for("page=2&per=2"))
    assert [u.pk for u in rows] == list(User.objects.order_by("id").values_list("pk", flat=True)[2:4])
    response = pager.get_paginated_response([])
    assert response["X-Total-Count"] == "5"
    assert 'rel="next"' in response["Link"]
    assert 'rel="prev"' in response["Link"]
    assert "page=3" in response["Link"]


@pytest.mark.parametrize("query", ["per=0", "per=1001", "page=0", "page=x", "page=99999999999999999999"])
def test_page_per_rejects_out_of_range_values(query):
    with pytest.raises(InvalidQueryParameter):
        PagePerPagination().paginate_queryset(User.objects.all(), request_for(query))


def test_limit_offset_reports_documented_meta_keys():
    UserFactory.create_batch(3)
    pager = PageLimitOffsetPagination()
    rows = pager.paginate_queryset(User.objects.order_by("id"), request_for("page[limit]=2&page[offset]=1"))
    assert len(rows) == 2
    assert pager.get_paginated_response([]).data["meta"] == {"page[limit]": 2, "page[offset]": 1, "page[total]": 3}


@pytest.mark.parametrize(
    "query", ["page[limit]=0", "page[limit]=1001", "page[offset]=-1", "page[limit]=ten", "page[offset]=" + "9" * 20]
)
def test_limit_offset_rejects_out_of_range_values(query):
    with pytest.raises(InvalidQueryParameter) as caught:
        PageLimitOffsetPagination().paginate_queryset(User.objects.all(), request_for(query))
    assert caught.value.location == "query"
