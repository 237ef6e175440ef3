// The event page's Share button: the system share sheet where the browser has one (Web Share
// API), otherwise the page's address copied to the clipboard. Without JavaScript the button
// stays hidden; the calendar links and the address bar remain.
(() => {
  for (const button of document.querySelectorAll("button[data-share-url]")) {
    if (button.dataset.ready) continue;
    button.dataset.ready = "1";
    const status = button.parentElement.querySelector(".share-status");
    const say = (text) => { if (status) status.textContent = text; };
    const url = button.dataset.shareUrl;
    const title = button.dataset.shareTitle;
    if (!navigator.share && !(navigator.clipboard && navigator.clipboard.writeText)) continue;
    // the page gives the words in its language; the button's own text says "Share"
    if (!navigator.share) button.textContent = button.dataset.copyLabel || "Copy link";
    button.hidden = false;
    button.addEventListener("click", async () => {
      if (navigator.share) {
        try {
          await navigator.share({ title, url });
          return;
        } catch (e) {
          if (e && e.name === "AbortError") return;
        }
      }
      try {
        await navigator.clipboard.writeText(url);
        say(button.dataset.copied || "Link copied.");
      } catch (_) {
        say((button.dataset.copyByHand || "Copy the address from the address bar:") + " " + url);
      }
    });
  }
})();
