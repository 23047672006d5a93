from django.urls import path

from kefu.audit import views

urlpatterns = [path("desk/audit/export", views.export_audit, name="audit_export")]
