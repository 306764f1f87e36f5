"""Views of ``/api/user/v1/accounts``: lookups by email (staff), username list, id (staff), or name.

As in the LMS's ``AccountViewSet``: email and ``lms_user_id`` queries need staff (403 otherwise), an
unknown email is a 404 with an empty body, and a found account comes back as a list of one.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sandbox.lms import accounts
from sandbox.lms.enrollment.service import is_global_staff


class AccountListView(APIView):
    """``GET accounts?email=`` | ``?lms_user_id=`` | ``?username=a,b``."""

    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        params = request.query_params
        staff = is_global_staff(request.user)
        if ("email" in params or "lms_user_id" in params) and not staff:
            return Response(
                {"detail": "You do not have permission to perform this action."}, status=status.HTTP_403_FORBIDDEN
            )
        if "email" in params:
            users = accounts.users_by_email(params["email"])
        elif "lms_user_id" in params:
            try:
                user_id = int(params["lms_user_id"])
            except ValueError:
                return Response(status=status.HTTP_400_BAD_REQUEST)
            users = accounts.users_by_id(user_id)
        elif params.get("username"):
            usernames = [name.strip() for name in params["username"].split(",") if name.strip()]
            users = accounts.users_by_usernames(usernames)
        else:
            return Response(status=status.HTTP_400_BAD_REQUEST)
        if not users:
            return Response(status=status.HTTP_404_NOT_FOUND)
        return Response(
            [
                accounts.account_dict(user, request=request, full=staff or user.pk == request.user.pk)
                for user in users
            ]
        )


class AccountDetailView(APIView):
    """``GET accounts/{username}``."""

    permission_classes = [IsAuthenticated]

    def get(self, request: Request, username: str) -> Response:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            return Response(status=status.HTTP_404_NOT_FOUND)
        full = is_global_staff(request.user) or user.pk == request.user.pk
        return Response(accounts.account_dict(user, request=request, full=full))
