from django.urls import path

from partnernet.sustainability import plan_views, views

app_name = "sustainability"
urlpatterns = [
    path("", views.need_list, name="needs"),
    path("new/", views.need_new, name="need-new"),
    path("export/<slug:kind_name>.<str:fmt>", views.export, name="export"),
    path("plans/<slug:key>/", plan_views.plan, name="plan"),
    path("<slug:key>/", views.need_detail, name="need"),
    path("<slug:key>/edit/", views.need_edit, name="need-edit"),
    path("<slug:key>/withdraw/", views.need_withdraw, name="need-withdraw"),
    path("<slug:key>/pledge/", views.pledge_new, name="pledge-new"),
    path("pledges/<slug:key>/<slug:step>/", views.pledge_step, name="pledge-step"),
]
