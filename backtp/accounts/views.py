from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic.edit import FormMixin

from backtp.accounts.forms import (
    DeleteAccountForm,
    SettingsForm,
    SignupForm,
    ThrottledAuthenticationForm,
)
from backtp.accounts.http import AuthenticatedHttpRequest
from backtp.accounts.services import account_delete, account_export_json
from backtp.core.redirects import next_path


def _safe_next(request: HttpRequest) -> str:
    return next_path(request) or ""


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("pages:home")
    # Bound on every POST, even an empty one, so that one says what is missing.
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            user = form.save()
            login(request, user)  # the one backend in AUTHENTICATION_BACKENDS
            # The email, not the username: that is generated, and nobody should see it.
            messages.success(request, f"Welcome! Your account ({user.email}) is ready.")
            target = _safe_next(request)
            return HttpResponseRedirect(target) if target else redirect("pages:home")
        return render(
            request, "accounts/signup.html", {"form": form, "next": _safe_next(request)}, status=400
        )
    return render(request, "accounts/signup.html", {"form": form, "next": _safe_next(request)})


class RefusedIsBadRequest(FormMixin):
    """A form sent with mistakes is answered 400, as every other form of the site."""

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class LoginView(RefusedIsBadRequest, auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        if isinstance(form, ThrottledAuthenticationForm) and form.locked:
            response.status_code = 429
        return response


login_view = LoginView.as_view()


class PasswordChangeView(RefusedIsBadRequest, auth_views.PasswordChangeView):
    pass


class PasswordResetConfirmView(RefusedIsBadRequest, auth_views.PasswordResetConfirmView):
    pass


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SettingsForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Your settings are saved.")
            return redirect("accounts:settings")
        return render(request, "accounts/settings.html", {"form": form}, status=400)
    return render(request, "accounts/settings.html", {"form": form})


@login_required
@require_safe
def export_json(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """Everything about the person, from every app, streamed as it is read."""
    response = StreamingHttpResponse(
        account_export_json(user=request.user), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="backtp-data.json"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            user = request.user
            logout(request)
            account_delete(user=user)
            messages.success(request, "Your account and everything in it have been deleted.")
            return redirect("pages:home")
        return render(request, "accounts/delete.html", {"form": form}, status=400)
    return render(request, "accounts/delete.html", {"form": form})
