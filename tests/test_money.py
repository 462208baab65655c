"""Amounts as people type them (models.money): formats, currencies, refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from models.money import MAX_AMOUNT, Money, MoneyError, parse_amount


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("150000", "150000", "RUB"),
        ("150 000", "150000", "RUB"),
        ("150\u00a0000", "150000", "RUB"),
        ("150к", "150000", "RUB"),
        ("150k", "150000", "RUB"),
        ("150 К", "150000", "RUB"),
        ("150 тыс.", "150000", "RUB"),
        ("1.5м", "1500000", "RUB"),
        ("1,5м", "1500000", "RUB"),
        ("1.5m", "1500000", "RUB"),
        ("1,5 млн", "1500000", "RUB"),
        ("1,5кк", "1500000", "RUB"),
        ("1 млрд", "1000000000", "RUB"),
        ("150000 USD", "150000", "USD"),
        ("150000 usd", "150000", "USD"),
        ("USD 100", "100", "USD"),
        ("$1500", "1500", "USD"),
        ("$ 1 500", "1500", "USD"),
        ("1500$", "1500", "USD"),
        ("150k$", "150000", "USD"),
        ("€ 200", "200", "EUR"),
        ("200 евро", "200", "EUR"),
        ("150 000 руб.", "150000", "RUB"),
        ("150 000 р.", "150000", "RUB"),
        ("10 к руб", "10000", "RUB"),
        ("5000 тенге", "5000", "KZT"),
        ("1 500 000,50 ₽", "1500000.50", "RUB"),
        ("1,500,000.50", "1500000.50", "RUB"),
        ("1.500.000,50", "1500000.50", "RUB"),
        ("150,000", "150000", "RUB"),
        ("150.000", "150000", "RUB"),
        ("1'500", "1500", "RUB"),
        ("12,5", "12.50", "RUB"),
        ("0,5", "0.50", "RUB"),
        ("100.555", "100555", "RUB"),  # three digits after one mark: thousands
        ("10.5555", "10.56", "RUB"),
        ("100.55", "100.55", "RUB"),
        ("1,250 млн", "1250000", "RUB"),
        ("999999999999.99", "999999999999.99", "RUB"),
    ],
)
def test_accepted(text: str, amount: str, currency: str) -> None:
    assert parse_amount(text) == Money(Decimal(amount).quantize(Decimal("0.01")), currency)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("-100", "negative"),
        ("- 5", "negative"),
        ("−100", "negative"),
        ("$-5", "negative"),
        ("0", "zero"),
        ("0.001", "zero"),
        ("abc", "not_a_number"),
        ("сто тысяч", "not_a_number"),
        ("1e5", "not_a_number"),
        ("1,2,3.4.5", "not_a_number"),
        ("10 руб к", "not_a_number"),
        ("+7 999 123-45-67", "not_a_number"),
        ("<b>100</b>", "not_a_number"),
        ("1" * 100, "not_a_number"),
        ("100 XYZ", "currency"),
        ("10 abc", "currency"),
        ("$100 EUR", "currency"),
        ("9999999999999", "too_big"),
        ("5 000 000 000 000", "too_big"),
        ("1000 млрд", "too_big"),
    ],
)
def test_refused(text: str, reason: str) -> None:
    with pytest.raises(MoneyError) as caught:
        parse_amount(text)
    assert caught.value.reason == reason


def test_default_currency_and_limit() -> None:
    assert parse_amount("10", default_currency="USD").currency == "USD"
    assert parse_amount("999 999 999 999,99").amount == MAX_AMOUNT
