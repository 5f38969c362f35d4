from django.urls import path

from backtp.guide import views

app_name = "guide"
urlpatterns = [
    path("", views.start, name="start"),
]
