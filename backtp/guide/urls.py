from django.urls import path

from backtp.guide import views

app_name = "guide"
urlpatterns = [
    path("", views.start, name="start"),
    path("safety/", views.safety, name="safety"),
    path("stop/", views.stop, name="stop"),
    path("body-map/", views.body_map, name="body_map"),
    path("how-it-feels/", views.feel, name="feel"),
    path("what-you-have/", views.have, name="have"),
    path("start-again/", views.restart, name="restart"),
    path("results/<uuid:assessment_id>/", views.results, name="results"),
    path("results/<uuid:assessment_id>/plan/", views.plan_from_results, name="plan_from_results"),
]
