"""Reminder settings: the person's times, their devices for push reminders, and the
calendar (a download, and a feed a calendar app subscribes to)."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from backtp.accounts.http import AuthenticatedHttpRequest
from backtp.reminders import push, schedule, selectors, services, tasks
from backtp.reminders.calendar import reminder_calendar
from backtp.reminders.forms import DeviceForm, ScheduleForm
from backtp.reminders.models import Schedule
from backtp.reminders.useragent import device_name


def _page(request: AuthenticatedHttpRequest, form: ScheduleForm, status: int = 200) -> HttpResponse:
    user = request.user
    saved = selectors.schedule_for(user)
    devices = list(selectors.devices_for(user))
    mine = services.session_hash(request.session.session_key)
    here = {device.pk for device in devices if mine and device.session_hash == mine}
    tz = saved.zone()
    times = saved.times_of_day(user.sessions_per_day) if saved.pk else []
    upcoming = schedule.next_due(times, saved.weekdays, tz, timezone.now()) if times else None
    feed_url = (
        request.build_absolute_uri(reverse("reminders:feed", args=[saved.feed_token]))
        if saved.feed_token
        else ""
    )
    context = {
        "form": form,
        "schedule": saved,
        "times": times,
        "upcoming": upcoming.astimezone(tz) if upcoming else None,
        # Each device, and whether this browser session added it ("this device").
        "devices": [(device, device.pk in here) for device in devices],
        "push_ready": push.configured(),
        "vapid_public_key": settings.VAPID_PUBLIC_KEY,
        "feed_url": feed_url,
        # The same address for calendar apps: webcal:// opens them to subscribe.
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1] if feed_url else "",
    }
    return render(request, "reminders/settings.html", context, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def settings_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    per_day_range = selectors.plan_per_day(user)
    if request.method == "POST":
        form = ScheduleForm(request.POST, per_day_range=per_day_range)
        if form.is_valid():
            services.schedule_save(
                user=user, per_day=form.cleaned_data["per_day"], **form.schedule_fields()
            )
            messages.success(request, "Your reminder times are saved.")
            return redirect("reminders:settings")
        return _page(request, form, status=400)
    initial = ScheduleForm.initial_for(
        selectors.schedule_for(user), user.sessions_per_day, per_day_range
    )
    return _page(request, ScheduleForm(initial=initial, per_day_range=per_day_range))


@login_required
@require_POST
def device_add(request: AuthenticatedHttpRequest) -> JsonResponse:
    """The browser's push subscription, posted by static/js/reminders.js."""
    if not push.configured():
        return JsonResponse({"error": "Push reminders are not set up on this server."}, status=409)
    form = DeviceForm(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return JsonResponse({"error": first}, status=400)
    device = services.device_add(
        user=request.user,
        endpoint=form.cleaned_data["endpoint"],
        p256dh=form.cleaned_data["p256dh"],
        auth=form.cleaned_data["auth"],
        name=device_name(request.headers.get("User-Agent", "")),
        session_key=request.session.session_key,
    )
    return JsonResponse({"id": device.pk, "name": device.name}, status=201)


@login_required
@require_POST
def device_remove(request: AuthenticatedHttpRequest, device_id: int) -> HttpResponse:
    device = get_object_or_404(selectors.devices_for(request.user), pk=device_id)
    device.delete()
    messages.success(request, f"No more reminders on {device.name}.")
    return redirect("reminders:settings")


@login_required
@require_POST
def devices_test(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Send a test reminder to every device of the person's, through the worker."""
    if not push.configured() or not selectors.devices_for(request.user).exists():
        messages.error(request, "There is no device to send a test to.")
        return redirect("reminders:settings")
    tasks.send_test.enqueue(request.user.pk)
    messages.success(
        request, "A test reminder is on its way to your devices: it should come within a minute."
    )
    return redirect("reminders:settings")


@login_required
@require_POST
def devices_remove_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    count, _ = selectors.devices_for(request.user).delete()
    messages.success(
        request, "No more push reminders on any device." if count else "There were no devices."
    )
    return redirect("reminders:settings")


def _calendar_response(request: HttpRequest, saved: Schedule, per_day: int) -> HttpResponse:
    now = timezone.now()
    tz = saved.zone()
    body = reminder_calendar(
        uid=str(saved.calendar_uid),
        times=saved.times_of_day(per_day),
        weekdays=saved.weekdays,
        tz=tz,
        start=now.astimezone(tz).date() + timedelta(days=1),
        url=request.build_absolute_uri(reverse("journal:plan")),
        stamp=now,
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@login_required
@require_safe
def calendar_download(request: AuthenticatedHttpRequest) -> HttpResponse:
    response = _calendar_response(
        request, selectors.schedule_for(request.user), request.user.sessions_per_day
    )
    response["Content-Disposition"] = 'attachment; filename="backtp-reminders.ics"'
    return response


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscribed calendar: anyone with the secret address may read it, until the
    person revokes it (then 404)."""
    saved = Schedule.objects.select_related("user").filter(feed_token=token).first()
    if saved is None or not saved.user.is_active:
        raise Http404("No such calendar")
    response = _calendar_response(request, saved, saved.user.sessions_per_day)
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def feed_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    had = bool(selectors.schedule_for(request.user).feed_token)
    services.feed_new(user=request.user)
    messages.success(
        request,
        "Here is a new calendar address; the old one no longer works."
        if had
        else "Your calendar address is ready: add it to your calendar app.",
    )
    return redirect("reminders:settings")


@login_required
@require_POST
def feed_revoke(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.feed_revoke(user=request.user)
    messages.success(request, "The calendar address no longer works.")
    return redirect("reminders:settings")
