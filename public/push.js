// Turns web push on or off for this browser on /notifications/preferences. The browser is asked
// for permission only after a click on "Turn on". Kept out of inline script so the CSP stays strict.
(() => {
  const on = document.getElementById("push-on");
  const off = document.getElementById("push-off");
  const status = document.getElementById("push-status");
  if (!on || !off || !status) return;
  const say = (text) => { status.textContent = text; };
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("This browser cannot receive push notifications.");
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
    if (Notification.permission === "denied") say("Notifications are blocked for this site in the browser's settings.");

    on.addEventListener("click", async () => {
      on.disabled = true;
      try {
        const permission = await Notification.requestPermission();
        if (permission !== "granted") {
          say("Push stays off: the browser did not allow notifications.");
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
        say("Push is on for this browser.");
      } catch (error) {
        say(`Push could not be turned on: ${error.message}`);
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
        say("Push is off for this browser.");
      } catch (error) {
        say(`Push could not be turned off: ${error.message}`);
      } finally {
        off.disabled = false;
      }
    });
  });
})();
