from django.urls import path

from backtp.catalog import views

app_name = "catalog"
urlpatterns = [
    path("muscles/", views.muscle_list, name="muscle_list"),
    path("muscles/<slug:slug>/", views.muscle_detail, name="muscle_detail"),
    path("techniques/<slug:slug>/", views.technique_detail, name="technique_detail"),
    path("routines/", views.routine_list, name="routine_list"),
    path("routines/<slug:slug>/", views.routine_detail, name="routine_detail"),
    path("search/", views.search, name="search"),
    path("sources/", views.source_list, name="sources"),
]
