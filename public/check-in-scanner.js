// Check-in: scans ticket QR codes with the camera where the browser has the Shape Detection
// API (BarcodeDetector) and a camera; elsewhere the typed-code form is all there is.
(function () {
  const form = document.getElementById("checkin-form");
  const box = document.getElementById("scanner");
  if (!form || !box || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button";
  button.textContent = "Scan with the camera";
  box.hidden = false;
  box.appendChild(button);
  button.addEventListener("click", async () => {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (e) {
      button.textContent = "The camera is not available: type the code instead";
      button.disabled = true;
      return;
    }
    const video = document.createElement("video");
    video.setAttribute("playsinline", "");
    video.muted = true;
    video.srcObject = stream;
    box.appendChild(video);
    await video.play();
    button.hidden = true;
    const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    const look = async () => {
      try {
        const codes = await detector.detect(video);
        if (codes.length > 0) {
          stream.getTracks().forEach((t) => t.stop());
          form.elements.code.value = codes[0].rawValue;
          form.submit();
          return;
        }
      } catch (e) { /* a frame that was not ready */ }
      setTimeout(look, 250);
    };
    look();
  });
})();
