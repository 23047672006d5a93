"""The signature check agrees with Twilio's published vectors (twilio-python's own tests) and
refuses every change to the URL, a field, or the secret. Pure: no database."""

from kefu.intake.phone.signature import compute, is_valid

TOKEN = "12345"
URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PARAMS = [("CallSid", "CA1234567890ABCDE"), ("Digits", "1234"), ("From", "+14158675309"),
          ("To", "+18005551212"), ("Caller", "+14158675309")]  # fmt: skip
EXPECTED = "RSOYDt4T1cUTdK1PDd93/VVr8B8="


def test_twilio_vector_is_computed_and_accepted():
    assert compute(TOKEN, URL, PARAMS) == EXPECTED
    assert is_valid(TOKEN, URL, PARAMS, EXPECTED)


def test_repeated_fields_sort_by_name_then_value():
    params = [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234")]
    assert compute(TOKEN, URL, params) == "IK+Dwps556ElfBT0I3Rgjkr1wJU="


def test_default_port_added_or_removed_by_a_proxy_still_matches():
    assert is_valid(TOKEN, URL.replace(".com", ".com:443"), PARAMS, EXPECTED)
    # Twilio's vector for the same request signed with the port spelled out.
    assert is_valid(TOKEN, URL, PARAMS, "kvajT1Ptam85bY51eRf/AJRuM3w=")


def test_any_change_is_refused():
    assert not is_valid("54321", URL, PARAMS, EXPECTED)
    assert not is_valid(TOKEN, URL.replace("foo=1", "foo=2"), PARAMS, EXPECTED)
    assert not is_valid(TOKEN, URL, [*PARAMS[:1], ("Digits", "9999"), *PARAMS[2:]], EXPECTED)
    assert not is_valid(TOKEN, URL, [*PARAMS, ("Extra", "1")], EXPECTED)
    assert not is_valid(TOKEN, URL, PARAMS, "")
    assert not is_valid("", URL, PARAMS, compute("", URL, PARAMS))  # no secret: nothing passes
    assert not is_valid(TOKEN, URL, PARAMS, "not base64 ✓")
