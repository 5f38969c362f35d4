{% load static %}{% autoescape off %}/* backtp's service worker: made by backtp.pages.views.service_worker from
   templates/pages/sw.js. What it keeps and the cache's version (catalogue + static
   files) are below; how it serves is static/js/service-worker.js. */
self.BACKTP_SW = {{ config }};
importScripts("{% static 'js/service-worker.js' %}");
{% endautoescape %}
