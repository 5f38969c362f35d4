from django.urls import path

from backtp.pages import views

app_name = "pages"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
]
