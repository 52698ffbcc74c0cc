"""GET/PUT /devices/{device_id}/address-book: free-form contacts; phones normalised; `account` on a user match."""

import pytest

from accounts.models import Device, User
from core.phones import display_phone
from tests.factories import DeviceFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v3/devices/{}/address-book"


@pytest.fixture
def device(owner):
    return DeviceFactory(user=owner, device_id="ios-1")


def test_get_is_empty_list_for_a_new_device(tada_client, device):
    response = tada_client.get(URL.format("ios-1"))
    assert response.status_code == 200
    assert response.json()["result"] == []


def test_put_matches_registered_users_and_normalises_phones(tada_client, device, teammate):
    teammate.first_name, teammate.last_name = "dfg", "dfgdfg"
    teammate.save()
    body = {
        "contacts": [
            {"name": "Tim at work", "phones": ["not a phone", display_phone(teammate.phone)], "emails": ["t@x.io"]},
            {"name": "Nobody", "phones": ["+7 999 000-00-00"]},
            {"name": "No phones"},
        ]
    }
    response = tada_client.put(URL.format("ios-1"), body, format="json")
    assert response.status_code == 200
    tim, nobody, no_phones = response.json()["result"]["contacts"]
    assert tim == {
        "name": "Tim at work",
        "phones": ["not a phone", teammate.phone],
        "emails": ["t@x.io"],
        "account": {"family_name": "dfgdfg", "given_name": "dfg", "phone": teammate.phone},
    }
    assert nobody == {"name": "Nobody", "phones": ["+79990000000"]}
    assert no_phones == {"name": "No phones"}
    device.refresh_from_db()
    assert device.address_book[0]["phones"] == ["not a phone", teammate.phone]
    assert "account" not in device.address_book[0]


def test_get_returns_the_stored_book_with_accounts(tada_client, device, teammate):
    tada_client.put(URL.format("ios-1"), {"contacts": [{"phones": [teammate.phone]}]}, format="json")
    result = tada_client.get(URL.format("ios-1") + "/").json()["result"]
    assert result == [
        {
            "phones": [teammate.phone],
            "account": {"family_name": teammate.last_name, "given_name": teammate.first_name, "phone": teammate.phone},
        }
    ]


def test_account_appears_once_the_phone_registers(tada_client, device):
    tada_client.put(URL.format("ios-1"), {"contacts": [{"phones": ["+79162255059"]}]}, format="json")
    assert "account" not in tada_client.get(URL.format("ios-1")).json()["result"][0]
    UserFactory(phone="+79162255059", first_name="dfg", last_name="dfgdfg")
    assert tada_client.get(URL.format("ios-1")).json()["result"][0]["account"]["given_name"] == "dfg"


def test_pending_users_are_not_matched(tada_client, device):
    UserFactory(phone="+79162255059", status=User.Status.PENDING)
    result = tada_client.put(URL.format("ios-1"), {"contacts": [{"phones": ["+79162255059"]}]}, format="json")
    assert "account" not in result.json()["result"]["contacts"][0]


def test_put_replaces_the_stored_book_and_ignores_client_accounts(tada_client, device):
    tada_client.put(URL.format("ios-1"), {"contacts": [{"name": "a"}, {"name": "b"}]}, format="json")
    forged = {"contacts": [{"name": "c", "account": {"given_name": "forged"}}]}
    assert tada_client.put(URL.format("ios-1"), forged, format="json").json()["result"] == {"contacts": [{"name": "c"}]}
    device.refresh_from_db()
    assert device.address_book == [{"name": "c"}]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "contacts"),
        ({"contacts": "nope"}, "contacts"),
        ({"contacts": ["nope"]}, "contacts.0"),
        ({"contacts": [{"phones": "+79162255059"}]}, "contacts.0.phones"),
        ({"contacts": [{"phones": [79162255059]}]}, "contacts.0.phones"),
    ],
)
def test_invalid_body_is_400_in_envelope(tada_client, device, body, field):
    device.address_book = [{"name": "kept"}]
    device.save()
    response = tada_client.put(URL.format("ios-1"), body, format="json")
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert field in response.json()["details"]
    device.refresh_from_db()
    assert device.address_book == [{"name": "kept"}]


@pytest.mark.parametrize("method", ["get", "put"])
def test_another_users_device_is_404(tada_client, outsider, method):
    DeviceFactory(user=outsider, device_id="theirs", address_book=[{"name": "secret"}])
    response = getattr(tada_client, method)(URL.format("theirs"), {"contacts": []}, format="json")
    assert response.status_code == 404
    assert response.json()["ok"] is False
    assert Device.objects.get(device_id="theirs").address_book == [{"name": "secret"}]


@pytest.mark.parametrize("method", ["get", "put"])
def test_unauthenticated_is_401(client, device, method):
    response = getattr(client, method)(URL.format("ios-1"), {"contacts": []}, format="json")
    assert response.status_code == 401
    assert response.json()["ok"] is False


@pytest.mark.parametrize("count", [2, 40])
def test_matching_is_one_query_whatever_the_book_size(tada_client, device, owner, django_assert_max_num_queries, count):
    users = UserFactory.create_batch(count)
    contacts = [{"phones": [u.phone, "+7 000"]} for u in users]
    # token, 2 presence writes, device, savepoint, update, ONE user match, release
    with django_assert_max_num_queries(8):
        response = tada_client.put(URL.format("ios-1"), {"contacts": contacts}, format="json")
    assert all("account" in c for c in response.json()["result"]["contacts"])
    with django_assert_max_num_queries(5):
        response = tada_client.get(URL.format("ios-1"))
    assert len(response.json()["result"]) == count
