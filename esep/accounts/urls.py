from django.urls import path

from esep.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("register/", views.register, name="register"),
    path("me/", views.me, name="me"),
    path("roles/", views.roles, name="roles"),
    path("roles/<int:assignment_id>/revoke/", views.role_revoke, name="role_revoke"),
]
