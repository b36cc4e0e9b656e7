from django.urls import path

from esep.programs import views

app_name = "programs"
urlpatterns = [
    path("rules/", views.rule_sets, name="rule_sets"),
    path("rules/new/", views.rule_set_new, name="rule_set_new"),
]
