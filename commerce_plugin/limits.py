"""Input length limits shared by the serializers that accept a value and the columns that store it.

One constant per kind of text, so an API can never accept more than its column holds: SQLite
ignores column lengths, MariaDB/MySQL refuse the row (a 500 after part of the work was done, as
a 1,000-character staff reason did against a 500-character history column).
"""
from __future__ import annotations

__all__ = [
    "BULK_MEMBERS_MAX",
    "NAME_MAX_LENGTH",
    "NOTE_MAX_LENGTH",
    "ORDER_NUMBER_MAX_LENGTH",
    "STRIPE_EVENT_TYPE_MAX_LENGTH",
    "STRIPE_ID_MAX_LENGTH",
]

#: A reason or note a person writes (staff refund reasons, decision notes, cancel-sales reasons).
#: Stored in full in status histories (``StatusChange.reason``) and refunds (``Refund.note``).
NOTE_MAX_LENGTH = 1000

#: An order number as a query parameter (the column holds 32; numbers are ``CP-`` + 10).
ORDER_NUMBER_MAX_LENGTH = 32

#: A Stripe object or event id as we store it (Stripe's own ids are far shorter).
STRIPE_ID_MAX_LENGTH = 255

#: A Stripe event type (``checkout.session.completed``).
STRIPE_EVENT_TYPE_MAX_LENGTH = 100

#: A name people choose: workgroup and rule names, first and last names, usernames in audit rows.
NAME_MAX_LENGTH = 255

#: Rows in one bulk member request: validated all at once and applied in one transaction.
BULK_MEMBERS_MAX = 1000
