// Turns web push on or off for this browser on /notifications/preferences. The browser is asked
// for permission only after a click on "Turn on". Kept out of inline script so the CSP stays strict.
// What it says comes from the status element's data- attributes, in the page's language.
(() => {
  const on = document.getElementById("push-on");
  const off = document.getElementById("push-off");
  const status = document.getElementById("push-status");
  if (!on || !off || !status) return;
  const text = status.dataset;
  const say = (message) => { status.textContent = message; };
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say(text.unsupported);
    return;
  }

  const post = async (path, fields) => {
    const response = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams(fields),
    });
    if (!response.ok) throw new Error(await response.text() || `HTTP ${response.status}`);
    return response.json();
  };
  // base64url → the bytes PushManager wants as applicationServerKey
  const bytes = (text) => {
    const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
    return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  };
  const show = (subscribed) => {
    on.hidden = subscribed;
    off.hidden = !subscribed;
  };

  navigator.serviceWorker.ready.then(async (registration) => {
    const current = await registration.pushManager.getSubscription();
    show(Boolean(current));
    if (Notification.permission === "denied") say(text.blocked);

    on.addEventListener("click", async () => {
      on.disabled = true;
      try {
        const permission = await Notification.requestPermission();
        if (permission !== "granted") {
          say(text.denied);
          return;
        }
        const setup = await post("/api/notifications/push/key", {});
        const subscription = await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: bytes(setup.public_key),
        });
        const json = subscription.toJSON();
        await post("/api/notifications/push/subscribe", {
          endpoint: json.endpoint,
          p256dh: json.keys.p256dh,
          auth: json.keys.auth,
        });
        show(true);
        say(text.on);
      } catch (error) {
        say(text.onFailed.replace("{error}", () => error.message));
      } finally {
        on.disabled = false;
      }
    });

    off.addEventListener("click", async () => {
      off.disabled = true;
      try {
        const subscription = await registration.pushManager.getSubscription();
        if (subscription) {
          await post("/api/notifications/push/unsubscribe", { endpoint: subscription.endpoint });
          await subscription.unsubscribe();
        }
        show(false);
        say(text.off);
      } catch (error) {
        say(text.offFailed.replace("{error}", () => error.message));
      } finally {
        off.disabled = false;
      }
    });
  });
})();
