"""A customer sets their phone PIN in the portal: 4 to 8 digits, else a 422 naming the rule in
their language; the PIN is kept only as a hash and never shown; changing it keeps the account
id. Agents have no such page."""

import pytest
from django.contrib.auth.hashers import check_password

from kefu.intake.phone.models import PhonePin


@pytest.mark.django_db
def test_phone_pin_is_hashed_never_shown_and_checked(client, personas):
    client.force_login(personas.otto)
    for bad in ("12", "123456789", "12ab"):
        refused = client.post("/portal/phone-pin/", {"pin": bad, "pin_again": bad},
                              HTTP_ACCEPT_LANGUAGE="zh-hans")  # fmt: skip
        assert refused.status_code == 422
        assert "电话 PIN 必须是 4 到 8 位数字。" in refused.content.decode()
    differ = client.post("/portal/phone-pin/", {"pin": "2468", "pin_again": "2469"},
                         HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert differ.status_code == 422 and "The two PINs differ." in differ.content.decode()
    assert not PhonePin.objects.exists()

    done = client.post("/portal/phone-pin/", {"pin": "2468", "pin_again": "2468"}, follow=True)
    pin = PhonePin.objects.get(user=personas.otto)
    page = done.content.decode()
    assert pin.account_number in page and "2468" not in page
    assert "2468" not in pin.pin_hash and check_password("2468", pin.pin_hash)
    assert len(pin.account_number) == 8 and pin.account_number.isdigit()

    client.post("/portal/phone-pin/", {"pin": "97531", "pin_again": "97531"})
    changed = PhonePin.objects.get(user=personas.otto)
    assert changed.account_number == pin.account_number
    assert check_password("97531", changed.pin_hash) and not check_password(
        "2468", changed.pin_hash
    )


@pytest.mark.django_db
def test_agents_have_no_phone_pin_page(client, personas):
    client.force_login(personas.alice)
    assert client.get("/portal/phone-pin/").status_code == 404
