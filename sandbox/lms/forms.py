"""The learner registration form of the sandbox's ``/register`` page."""
from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model


class RegistrationForm(forms.Form):
    username = forms.RegexField(regex=r"^[\w.@+-]+$", max_length=150)
    email = forms.EmailField()
    name = forms.CharField(max_length=255, required=False, label="Full name")
    password = forms.CharField(widget=forms.PasswordInput, min_length=4)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username=username).exists():
            raise forms.ValidationError("That username is taken.")
        return username

    def clean_email(self) -> str:
        email = self.cleaned_data["email"]
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email already exists.")
        return email
