// django-recurrence's widget calls django.jQuery, which the Django admin would define;
// the Wagtail admin has already loaded jQuery, so point to it.
window.django = window.django || {};
window.django.jQuery = window.django.jQuery || window.jQuery;
