from django.urls import path

from backtp.pages import views

app_name = "pages"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("about-the-evidence/", views.evidence, name="evidence"),
    path("safety/", views.safety, name="safety"),
    path("tips/", views.tips, name="tips"),
    path("trigger-points-and-diagnoses/", views.diagnoses, name="diagnoses"),
    path("manifest.webmanifest", views.web_app_manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
]
