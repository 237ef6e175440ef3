//! Check-in's camera. The QR codes are read in the page by `quircs` (a Rust port of quirc), so
//! scanning works in every browser with a camera, not only in those with the Shape Detection API
//! (Chromium has `BarcodeDetector` on Android and macOS only). Without JavaScript or a camera the
//! typed-code form is all there is.
use leptos::prelude::*;

/// Where the scanner is, and what it tells the person holding the device.
#[derive(Clone, Debug, PartialEq)]
enum Scan {
    /// No camera API (or no JavaScript yet): the scanner stays hidden.
    Unavailable,
    Ready,
    Opening,
    Looking,
    Refused,
    Read(String),
}

/// What the scanner says, in the page's language; the server gives it to the island (so no
/// translations ship in the WebAssembly).
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ScannerText {
    pub start: String,
    pub opening: String,
    pub looking: String,
    pub refused: String,
    /// `{code}` stands for the code read.
    pub read: String,
}

impl Scan {
    fn message(&self, text: &ScannerText) -> String {
        match self {
            Scan::Unavailable | Scan::Ready => String::new(),
            Scan::Opening => text.opening.clone(),
            Scan::Looking => text.looking.clone(),
            Scan::Refused => text.refused.clone(),
            Scan::Read(code) => text.read.replace("{code}", code),
        }
    }
}

/// Fills the `code` field of the form with id `form_id` with the first QR code the camera reads,
/// and submits the form as if the code had been typed.
#[island]
pub fn TicketScanner(form_id: String, text: ScannerText) -> impl IntoView {
    let (scan, set_scan) = signal(Scan::Unavailable);
    let video = NodeRef::<leptos::html::Video>::new();
    Effect::new(move || {
        if camera::available() {
            set_scan.set(Scan::Ready);
        }
    });
    let start = move |_| {
        set_scan.set(Scan::Opening);
        camera::scan(video, form_id.clone(), set_scan);
    };
    view! {
        <div class="scanner" hidden=move || scan.get() == Scan::Unavailable>
            <button type="button" class="button" on:click=start hidden=move || scan.get() != Scan::Ready>
                {text.start.clone()}
            </button>
            <video node_ref=video playsinline="" muted="" aria-label="Camera"
                hidden=move || scan.get() != Scan::Looking></video>
            <p role="status" aria-live="polite" data-testid="scanner-status">{move || scan.get().message(&text)}</p>
        </div>
    }
}

/// The text of the first QR code found in a greyscale image (one byte per pixel, row by row).
pub fn read_qr(width: usize, height: usize, grey: &[u8]) -> Option<String> {
    if width == 0 || height == 0 || grey.len() < width * height {
        return None;
    }
    let mut decoder = quircs::Quirc::default();
    let codes = decoder.identify(width, height, grey);
    codes
        .flatten()
        .filter_map(|code| code.decode().ok())
        .find_map(|data| String::from_utf8(data.payload).ok())
}

mod camera {
    use std::time::Duration;

    use leptos::{html::Video, prelude::*};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        CanvasRenderingContext2d, HtmlCanvasElement, HtmlFormElement, HtmlInputElement,
        HtmlVideoElement, MediaStream, MediaStreamConstraints, MediaStreamTrack,
    };

    use super::{read_qr, Scan};

    /// Frames are scaled down to this many pixels on their long side before reading: a ticket
    /// held up to the camera is large in the frame, and smaller frames read faster.
    const FRAME_SIDE: u32 = 640;
    const BETWEEN_FRAMES: Duration = Duration::from_millis(200);

    pub fn available() -> bool {
        let navigator = window().navigator();
        js_sys::Reflect::get(&navigator, &JsValue::from_str("mediaDevices"))
            .is_ok_and(|devices| !devices.is_undefined() && !devices.is_null())
    }

    pub fn scan(video: NodeRef<Video>, form_id: String, set_scan: WriteSignal<Scan>) {
        leptos::task::spawn_local(async move {
            let Some(video) = video.get_untracked() else {
                return;
            };
            let Ok(stream) = open_camera().await else {
                set_scan.set(Scan::Refused);
                return;
            };
            video.set_src_object(Some(&stream));
            if let Ok(playing) = video.play() {
                let _ = JsFuture::from(playing).await;
            }
            set_scan.set(Scan::Looking);
            let Some((canvas, context)) = canvas() else {
                stop(&stream);
                set_scan.set(Scan::Refused);
                return;
            };
            // until a code is read or the page goes away
            while video.is_connected() {
                if let Some(code) = read_frame(&video, &canvas, &context) {
                    stop(&stream);
                    set_scan.set(Scan::Read(code.clone()));
                    submit(&form_id, &code);
                    return;
                }
                sleep(BETWEEN_FRAMES).await;
            }
            stop(&stream);
        });
    }

    async fn open_camera() -> Result<MediaStream, JsValue> {
        let devices = window().navigator().media_devices()?;
        let constraints = MediaStreamConstraints::new();
        // the back camera on phones, whichever there is elsewhere
        let video = js_sys::Object::new();
        js_sys::Reflect::set(&video, &"facingMode".into(), &"environment".into())?;
        constraints.set_video(&video);
        let stream = JsFuture::from(devices.get_user_media_with_constraints(&constraints)?).await?;
        stream.dyn_into()
    }

    fn canvas() -> Option<(HtmlCanvasElement, CanvasRenderingContext2d)> {
        let canvas: HtmlCanvasElement =
            document().create_element("canvas").ok()?.dyn_into().ok()?;
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &"willReadFrequently".into(), &true.into()).ok()?;
        let context = canvas
            .get_context_with_context_options("2d", &options)
            .ok()??
            .dyn_into()
            .ok()?;
        Some((canvas, context))
    }

    fn read_frame(
        video: &HtmlVideoElement,
        canvas: &HtmlCanvasElement,
        context: &CanvasRenderingContext2d,
    ) -> Option<String> {
        let (width, height) = (video.video_width(), video.video_height());
        if width == 0 || height == 0 {
            return None;
        }
        let scale = (FRAME_SIDE as f64 / width.max(height) as f64).min(1.0);
        let (w, h) = (
            ((width as f64 * scale) as u32).max(1),
            ((height as f64 * scale) as u32).max(1),
        );
        canvas.set_width(w);
        canvas.set_height(h);
        context
            .draw_image_with_html_video_element_and_dw_and_dh(video, 0.0, 0.0, w as f64, h as f64)
            .ok()?;
        let rgba = context
            .get_image_data(0.0, 0.0, w as f64, h as f64)
            .ok()?
            .data();
        let grey: Vec<u8> = rgba
            .chunks_exact(4)
            .map(|p| ((p[0] as u32 * 77 + p[1] as u32 * 150 + p[2] as u32 * 29) >> 8) as u8)
            .collect();
        read_qr(w as usize, h as usize, &grey)
    }

    fn stop(stream: &MediaStream) {
        for track in stream.get_tracks() {
            if let Ok(track) = track.dyn_into::<MediaStreamTrack>() {
                track.stop();
            }
        }
    }

    fn submit(form_id: &str, code: &str) {
        let Some(form) = document()
            .get_element_by_id(form_id)
            .and_then(|f| f.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        if let Some(input) = form
            .query_selector("input[name=code]")
            .ok()
            .flatten()
            .and_then(|i| i.dyn_into::<HtmlInputElement>().ok())
        {
            input.set_value(code);
        }
        let _ = form.request_submit();
    }

    async fn sleep(duration: Duration) {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                duration.as_millis() as i32,
            );
        });
        let _ = JsFuture::from(promise).await;
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::read_qr;

    /// A QR code as the camera might see it: dark modules on white, `scale` pixels per module,
    /// placed at an offset in a larger frame with a grey background.
    fn frame(text: &str, scale: usize, width: usize, height: usize) -> Vec<u8> {
        let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
        let modules = code.width();
        let colors = code.to_colors();
        let side = (modules + 8) * scale;
        let (left, top) = ((width - side) / 3, (height - side) / 2);
        let mut grey = vec![170u8; width * height];
        for y in 0..side {
            for x in 0..side {
                let (mx, my) = ((x / scale) as isize - 4, (y / scale) as isize - 4);
                let dark = mx >= 0
                    && my >= 0
                    && (mx as usize) < modules
                    && (my as usize) < modules
                    && colors[my as usize * modules + mx as usize] == qrcode::Color::Dark;
                grey[(top + y) * width + left + x] = if dark { 20 } else { 240 };
            }
        }
        grey
    }

    #[test]
    fn a_ticket_code_is_read_from_a_camera_frame() {
        let grey = frame("K7Q2M9XA4TPW3HZD", 6, 640, 480);
        assert_eq!(
            read_qr(640, 480, &grey).as_deref(),
            Some("K7Q2M9XA4TPW3HZD")
        );
    }

    #[test]
    fn a_frame_without_a_code_or_too_short_reads_nothing() {
        assert_eq!(read_qr(640, 480, &vec![170u8; 640 * 480]), None);
        assert_eq!(read_qr(640, 480, &[0u8; 10]), None);
        assert_eq!(read_qr(0, 0, &[]), None);
    }
}
