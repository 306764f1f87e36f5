"""``GET /api/certificates/v0/certificates/{username}/courses/{course_id}/`` (the LMS's ``CertificatesDetailView``).

Same authentication and permission as the LMS (``lms/djangoapps/certificates/apis/v0/views.py``):
JWT or session; ``JWT_RESTRICTED_APPLICATION_OR_USER_ACCESS`` from edx-drf-extensions, i.e. global
staff or the user named in the URL (anyone else: **403**, a permission failure, not a 404), or a
restricted JWT application with the ``certificates:read`` scope and matching filters. The LMS's
``BearerAuthenticationAllowInactiveUser`` (DOT bearer tokens) is left out: the sandbox issues JWTs only.

404 bodies carry only ``error_code`` (no message): ``course_id_not_valid`` for a malformed key,
``no_certificate_for_user`` for no (eligible) certificate, an unknown user included.
"""
from __future__ import annotations

from edx_rest_framework_extensions.auth.jwt.authentication import JwtAuthentication
from edx_rest_framework_extensions.auth.session.authentication import SessionAuthenticationAllowInactiveUser
from edx_rest_framework_extensions.permissions import JWT_RESTRICTED_APPLICATION_OR_USER_ACCESS
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sandbox.lms.certificates import certificate_dict


class CertificatesDetailView(APIView):
    authentication_classes = (JwtAuthentication, SessionAuthenticationAllowInactiveUser)
    permission_classes = (JWT_RESTRICTED_APPLICATION_OR_USER_ACCESS,)
    required_scopes = ["certificates:read"]

    def get(self, request: Request, username: str, course_id: str, **_: str) -> Response:
        try:
            course_key = CourseKey.from_string(course_id)
        except InvalidKeyError:
            return Response({"error_code": "course_id_not_valid"}, status=status.HTTP_404_NOT_FOUND)
        certificate = certificate_dict(username, str(course_key))
        if certificate is None:
            return Response({"error_code": "no_certificate_for_user"}, status=status.HTTP_404_NOT_FOUND)
        return Response(certificate)
