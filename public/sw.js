// Lineup service worker.
// - The app shell is cached at install; navigations go to the network and fall back to the
//   offline page.
// - A person's tickets (My tickets, each registration with its QR code, guest ticket pages) are
//   kept when viewed and refreshed whenever they are viewed online; offline, the kept copy is
//   shown with a note of when it was last updated. Signing out deletes them. Other pages are
//   not kept: they can be personal, and stale event details would mislead.
// - A new version waits until the page asks it to take over (`sw-register.js` offers a reload).
const VERSION = "lineup-shell-v3";
const TICKETS = "lineup-tickets-v1";
const SHELL = [
  "/offline.html",
  "/pkg/lineup.css",
  "/manifest.webmanifest",
  "/icons/icon-192.png",
  "/icons/icon-512.png",
];
const SAVED_AT = "x-lineup-saved-at";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(VERSION).then((cache) => cache.addAll(SHELL)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION && k !== TICKETS).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "take-over") self.skipWaiting();
});

function isTicketPage(url) {
  return url.pathname === "/my/tickets" || url.pathname.startsWith("/my/tickets/") || url.pathname === "/guest/tickets";
}

function isSignOut(url) {
  return url.pathname === "/api/accounts/sign_out" || url.pathname === "/api/accounts/sign_out_everywhere";
}

// The kept copy, marked as such: a note at the top of the page with when it was saved.
async function offlineCopy(request) {
  const cache = await caches.open(TICKETS);
  const kept = await cache.match(request);
  if (!kept) return null;
  const savedAt = new Date(Number(kept.headers.get(SAVED_AT)) || Date.now());
  const page = await kept.text();
  // the kept page says its language and carries the note's words in it (#script-words)
  const lang = (page.match(/<html lang="([^"]+)"/) || [])[1];
  let when;
  try {
    when = savedAt.toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" });
  } catch (_) {
    when = savedAt.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  }
  const words = (page.match(/data-offline-copy="([^"]*)"/) || [])[1]
    || "Offline copy, last updated {when}. It will refresh when you are back online.";
  const note = `<p class="offline-copy" role="status" data-testid="offline-copy">${words.replace("{when}", when)}</p>`;
  const html = page.replace(/<main([^>]*)>/, (m) => m + note);
  return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } });
}

async function keep(request, response) {
  const headers = new Headers(response.headers);
  headers.set(SAVED_AT, String(Date.now()));
  const body = await response.blob();
  const cache = await caches.open(TICKETS);
  await cache.put(request, new Response(body, { status: response.status, headers }));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.method === "POST" && isSignOut(url)) {
    // the request goes on as usual; the kept tickets go now
    event.waitUntil(caches.delete(TICKETS));
    return;
  }
  if (request.method !== "GET") return;

  if (request.mode === "navigate" && isTicketPage(url)) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          // a signed-out visitor is sent to sign in: nothing of theirs to keep
          if (response.ok && !response.redirected && response.type === "basic") {
            event.waitUntil(keep(request, response.clone()));
          }
          return response;
        })
        .catch(async () => (await offlineCopy(request)) || (await caches.match("/offline.html")) || new Response("Offline", { status: 503 }))
    );
    return;
  }
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
