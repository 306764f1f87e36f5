"""Learner-facing HTML pages of the sandbox: home, login, logout, register, dashboard.

Just enough LMS for a person to try the demo: see the courses, create an account, log in, and see
the enrollments the plugin made.
"""
from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from sandbox.lms.forms import RegistrationForm
from sandbox.lms.models import CourseEnrollment, CourseOverview
from sandbox.lms.registration import activate_user, register_user


def home(request: HttpRequest) -> HttpResponse:
    courses = CourseOverview.objects.prefetch_related("modes").order_by("course_id")
    return render(request, "sandbox_lms/home.html", {"courses": courses})


class SandboxLoginView(LoginView):
    template_name = "sandbox_lms/login.html"
    redirect_authenticated_user = True


class SandboxLogoutView(LogoutView):
    next_page = "/"


def register(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = register_user(
            form.cleaned_data["username"],
            form.cleaned_data["email"],
            form.cleaned_data["password"],
            name=form.cleaned_data.get("name", ""),
        )
        if not user.is_active:  # the LMS's default: the account waits for its activation link
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            activation_url = reverse("activate", args=[uid, default_token_generator.make_token(user)])
            return render(request, "sandbox_lms/activate.html", {"activation_url": activation_url})
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("/dashboard")
    return render(request, "sandbox_lms/register.html", {"form": form})


def activate(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The activation link of the registration email: activate, enroll from invitations, log in."""
    from django.contrib.auth import get_user_model

    try:
        user = get_user_model().objects.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (ValueError, get_user_model().DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "sandbox_lms/activate.html", {"activation_url": ""}, status=400)
    activate_user(user)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("/dashboard")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    enrollments = (
        CourseEnrollment.objects.select_related("course")
        .filter(user=request.user, is_active=True)
        .order_by("created", "id")
    )
    return render(request, "sandbox_lms/dashboard.html", {"enrollments": enrollments})


@login_required
def courseware(request: HttpRequest, course_id: str) -> HttpResponse:
    """A stand-in for the course itself: what "go to the course" opens. Enrolled learners only."""
    enrollment = (CourseEnrollment.objects.select_related("course")
                  .filter(user=request.user, course__course_id=course_id, is_active=True).first())
    if enrollment is None:
        return render(request, "sandbox_lms/courseware.html", {"course_id": course_id}, status=403)
    return render(request, "sandbox_lms/courseware.html", {"enrollment": enrollment, "course_id": course_id})


@login_required
def change_enrollment(request: HttpRequest) -> HttpResponse:
    """``POST /change_enrollment`` (``course_id``, ``enrollment_action=enroll``): the about page's "Enroll".

    As the LMS's ``student.views.change_enrollment``: the learner enrolls themselves through
    ``CourseEnrollment.enroll``, so the ``CourseEnrollmentStarted`` filter (and the plugin's
    gate) decides; a refusal shows its message (and the link to buy, when there is one).
    """
    from django.http import HttpResponseNotAllowed

    from sandbox.lms.enrollment.errors import EnrollmentServiceError
    from sandbox.lms.enrollment.service import enroll, get_course

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    course = get_course(request.POST.get("course_id", ""))
    if course is None or request.POST.get("enrollment_action") != "enroll":
        return render(request, "sandbox_lms/enroll_refused.html", {"message": "Unknown course or action."},
                      status=400)
    try:
        enroll(request.user, course)
    except EnrollmentServiceError as exc:
        return render(request, "sandbox_lms/enroll_refused.html", {"message": exc.message, "course": course,
                                                                   "redirect_to": _redirect_of(exc)}, status=403)
    return redirect("/dashboard")


def _redirect_of(exc: Exception) -> str:
    cause = exc.__cause__
    return str(getattr(cause, "redirect_to", "") or "")
