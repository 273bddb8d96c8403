from django.urls import path

from . import views

# Mounted at /notifications/ (a person's own inbox spans every vendor they work with).
urlpatterns = [
    path("", views.inbox, name="notification_inbox"),
    path("read-all/", views.mark_all_read, name="notification_mark_all_read"),
    path("preferences/", views.preferences, name="notification_preferences"),
    path("<int:notification_id>/open/", views.open_notification, name="notification_open"),
    path("<int:notification_id>/read/", views.mark_read, name="notification_mark_read"),
]
