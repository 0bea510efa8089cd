from django.urls import path

from partnernet.impact import views

app_name = "impact"
urlpatterns = [
    path("", views.report, name="report"),
    path("print/", views.report_print, name="print"),
    path("report.pdf", views.report_pdf, name="pdf"),
    path("outcomes.csv", views.export_csv, name="csv"),
    path("indicators/", views.indicators, name="indicators"),
    path("partnerships/<slug:key>/", views.partnership, name="partnership"),
    path("fetch/", views.fetch, name="fetch"),
    path("runs/<int:pk>/", views.run, name="run"),
    path("evaluations/", views.evaluations, name="evaluations"),
    path("evaluations/<slug:key>/score/", views.score, name="score"),
    path("rubrics/<slug:key>/", views.rubric, name="rubric"),
]
