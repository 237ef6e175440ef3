// Lineup service worker: caches the app shell, answers navigations from the network and falls
// back to the offline page when there is none. Pages themselves are not cached: they can be
// personal, and stale event details would mislead.
const VERSION = "lineup-shell-v1";
const SHELL = [
  "/offline.html",
  "/pkg/lineup.css",
  "/manifest.webmanifest",
  "/icons/icon-192.png",
  "/icons/icon-512.png",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(VERSION).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request).catch(() =>
        caches.match("/offline.html").then((page) => page || new Response("Offline", { status: 503 }))
      )
    );
    return;
  }
  if (SHELL.includes(url.pathname)) {
    // shell assets: cached copy first, refreshed in the background
    event.respondWith(
      caches.match(request).then((cached) => {
        const refresh = fetch(request)
          .then((response) => {
            if (response.ok) caches.open(VERSION).then((cache) => cache.put(request, response.clone()));
            return response;
          })
          .catch(() => cached);
        return cached || refresh;
      })
    );
  }
});

// Web push: show what the server sent (title, first line, the page it is about) and open that
// page on a click, focusing a tab that has it already.
self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (_) {
    message = { body: event.data ? event.data.text() : "" };
  }
  const link = message.link || "/notifications";
  event.waitUntil(
    self.registration.showNotification(message.title || "Lineup", {
      body: message.body || "",
      icon: "/icons/icon-192.png",
      tag: link,
      data: { link },
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.link) || "/notifications", self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => w.url === target);
      return open ? open.focus() : self.clients.openWindow(target);
    })
  );
});
