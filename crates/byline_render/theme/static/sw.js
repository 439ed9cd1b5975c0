/* Byline's service worker: shows the outlet's push notifications (breaking news and,
   for readers who asked, live blogs' key events) and opens the story when one is
   clicked. It does nothing else: no caching, no requests of its own. Served at /sw.js
   (scope /) and registered by byline.js only when a reader turns alerts on. */
'use strict';

self.addEventListener('install', function () {
  self.skipWaiting();
});

self.addEventListener('activate', function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('push', function (event) {
  var data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (e) {
    data = {};
  }
  var title = typeof data.title === 'string' && data.title ? data.title : self.location.host;
  var options = {
    body: typeof data.body === 'string' ? data.body : '',
    // One notification per message: a repeated delivery replaces, never adds.
    tag: 'byline-' + String(data.id || ''),
    lang: typeof data.lang === 'string' ? data.lang : '',
    data: { url: typeof data.url === 'string' ? data.url : '/' },
    renotify: false
  };
  event.waitUntil(self.registration.showNotification(title, options));
});

/* Only this site's pages or https:// links open; anything else opens the front page. */
function target(raw) {
  var url;
  try {
    url = new URL(raw || '/', self.location.origin);
  } catch (e) {
    url = new URL('/', self.location.origin);
  }
  if (url.origin !== self.location.origin && url.protocol !== 'https:') {
    url = new URL('/', self.location.origin);
  }
  return url.href;
}

self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  var href = target(event.notification.data && event.notification.data.url);
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i++) {
        if (windows[i].url === href && 'focus' in windows[i]) return windows[i].focus();
      }
      return self.clients.openWindow(href);
    })
  );
});
