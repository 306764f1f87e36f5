"""The sandbox LMS's public JWT signing key set (public half only; the private half was discarded).

Why it exists: edx-drf-extensions 10.9 first tries ``JWT_AUTH['JWT_PUBLIC_SIGNING_JWK_SET']`` alone and,
when that set is empty, treats the signature as verified without checking anything; only a non-empty
set makes it fall back to the symmetric ``JWT_ISSUERS[0]['SECRET_KEY']`` check. The LMS and Tutor always
configure an RSA key set, so setting this one restores the LMS's behaviour: HS256 tokens signed with
the wrong key are rejected. Nothing can be signed with it, since nobody holds the private key.
"""
from __future__ import annotations

SANDBOX_JWT_PUBLIC_SIGNING_JWK_SET = (
    '{"keys": [{"kty": "RSA", "key_ops": ["verify"], "kid": "sandbox", "e": "AQAB", "n": '
    '"jpx9dy7An-HlBIb1iQdJPwrV7wBrywj2dCp-_jb7krh2HRB7vQ7Vbcaf3sjHu18nc-eEbWClDjYqJEsiONM2cFurbu3nLkvOY9s2'
    "15M4g2-_2t47qeeWlfa7ayyvQFQ-KV2zitKuKyiiYnN53y5sJWWrljxAEimE52m1sjvYyFZwfKNM9XMwJMeQj3yO0wTYZ6l-dY1n1"
    "viDmzIjUU3X3Xb0sreqPMwStdgpV94dWIv_-D4QFoox9RgRGhR3UDZZKotna9zuLWiF21uxDlCWm7Mx9Zb3dWpD9C_AqSsMCJwvlq"
    'jbbSWmfFmVEmsL_OPPKEEqjQaZM4tvbttHjyxzgw"}]}'
)
