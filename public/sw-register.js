// Registers the service worker (kept out of inline script so the CSP stays strict) and offers a
// new version when one is waiting: the page reloads only when the person says so, so nothing
// they are typing is lost.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", async () => {
    let registration;
    try {
      registration = await navigator.serviceWorker.register("/sw.js");
    } catch (err) {
      console.warn("service worker:", err);
      return;
    }
    const hadController = Boolean(navigator.serviceWorker.controller);
    let consented = false;
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      if (consented) window.location.reload();
    });
    // the page's words, in its language (the layout's #script-words)
    const words = (document.getElementById("script-words") || {}).dataset || {};
    const offer = (worker) => {
      if (!worker || !hadController || document.getElementById("update-ready")) return;
      const bar = document.createElement("div");
      bar.id = "update-ready";
      bar.className = "update-ready";
      bar.setAttribute("role", "status");
      const text = document.createElement("span");
      text.textContent = words.updateReady || "A new version of Lineup is ready.";
      const reload = document.createElement("button");
      reload.type = "button";
      reload.className = "button primary";
      reload.textContent = words.reload || "Reload";
      reload.addEventListener("click", () => {
        consented = true;
        worker.postMessage({ type: "take-over" });
      });
      const later = document.createElement("button");
      later.type = "button";
      later.className = "button";
      later.textContent = words.later || "Later";
      later.addEventListener("click", () => bar.remove());
      bar.append(text, reload, later);
      document.body.append(bar);
    };
    if (registration.waiting) offer(registration.waiting);
    registration.addEventListener("updatefound", () => {
      const incoming = registration.installing;
      if (!incoming) return;
      incoming.addEventListener("statechange", () => {
        if (incoming.state === "installed") offer(incoming);
      });
    });
  });
}
