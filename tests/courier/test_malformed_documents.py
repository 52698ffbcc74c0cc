"""Every malformed courier request body is a 400 in the JSON:API errors envelope (issue 8, item 7).

djangorestframework-jsonapi reads the document's members assuming their types: `attributes` as a list, a
relationship that is not an object, … raised AttributeError inside the parser — a 500.
"""

import pytest

from tests.courier.conftest import JSONAPI, errors_of

pytestmark = pytest.mark.django_db

MALFORMED = [
    '{"data":{"type":"texts","attributes":[null,null]}}',
    '{"data":{"type":"texts","attributes":"message"}}',
    '{"data":{"type":"texts","attributes":7}}',
    '{"data":{"type":"texts","attributes":{},"relationships":[1]}}',
    '{"data":{"type":"texts","attributes":{},"relationships":{"account":1}}}',
    '{"data":{"type":"texts","attributes":{},"relationships":{"account":{"data":[1]}}}}',
    '{"data":{"type":"texts","attributes":{},"relationships":{"account":{"links":{}}}}}',
    '{"data":{"type":"texts","attributes":{},"meta":[]}}',
    '{"data":{"type":["texts"],"attributes":{}}}',
    '{"data":{"type":"texts","id":{"x":1},"attributes":{}}}',
    '{"meta":"x","data":{"type":"texts","attributes":{}}}',
    '{"data":[{"type":"texts"}]}',
    '{"data":null}',
    '{"data":"texts"}',
    '{"data":{}}',
    "{}",
    "[]",
    '"texts"',
    "null",
    "{",
    '{"data":{"type":"texts","attributes":{"message":1e400}}}',
    '{"data":{"type":"texts","attributes":{"callback-json":' + "[" * 5000 + "]" * 5000 + "}}}",
]


@pytest.mark.parametrize("media_type", [JSONAPI, "application/json"])
@pytest.mark.parametrize("body", MALFORMED)
def test_malformed_text_documents_are_400_in_the_courier_envelope(bearer_client, body, media_type):
    response = bearer_client.post("/courier/v1/texts/", body, content_type=media_type)
    assert response.status_code == 400, response.content
    assert errors_of(response)[0]["code"] == "BAD_REQUEST"


@pytest.mark.parametrize("body", MALFORMED[:8])
def test_malformed_text_account_updates_are_400(bearer_client, account, body):
    body = body.replace('"texts"', '"text-accounts"').replace(
        '"type":"text-accounts"', f'"type":"text-accounts","id":"{account.uid}"'
    )
    response = bearer_client.patch(f"/courier/v1/text-accounts/{account.uid}/", body, content_type=JSONAPI)
    assert response.status_code == 400, response.content
    errors_of(response)
