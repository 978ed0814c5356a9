"""Numbers typed the Dutch or the English way are read exactly, and shown so they read back."""

from decimal import Decimal as D

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from heelwijk.businesscase.forms import NumberField, parse_number


@pytest.mark.parametrize(
    ("text", "language", "value"),
    [
        ("2.000.000", "nl", D("2000000")),
        ("2.000.000,50", "nl", D("2000000.50")),
        ("1345,45", "nl", D("1345.45")),
        ("1345.45", "nl", D("1345.45")),  # a lone point before two digits is a decimal point
        ("€ 14.000", "nl", D("14000")),
        ("23,4 %", "nl", D("23.4")),
        ("2,000,000.50", "en", D("2000000.50")),
        ("1,000", "en", D("1000")),
        ("1,5", "en", D("1.5")),
        ("-5", "nl", D("-5")),
    ],
)
def test_parse_number(text, language, value):
    assert parse_number(text, language) == value


@pytest.mark.parametrize("text", ["abc", "1,2,3", "1.2.3,4,5", "1e5", "", "--1", "1..2"])
def test_parse_number_refuses_nonsense(text):
    with pytest.raises(ValueError):
        parse_number(text, "nl")


@given(
    st.decimals(min_value=0, max_value=D(10) ** 12, places=4, allow_nan=False),
    st.sampled_from(["nl", "en"]),
)
def test_what_a_form_shows_reads_back_the_same(value, language):
    with translation.override(language):
        assert parse_number(NumberField().prepare_value(value), language) == value
