//! A local stand-in for a browser's push service (RFC 8030) and the browser behind it: it holds
//! the subscriptions' private keys, and for every message it receives checks the VAPID token
//! against the platform's public key and its audience against its own origin (RFC 8292), then
//! decrypts the body (RFC 8291) as the browser would. `/send/gone-…` answers 410 Gone.
use std::sync::{Arc, Mutex};

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    routing::post,
    Router,
};
use base64ct::{Base64UrlUnpadded, Encoding};
use web_push_native::{
    jwt_simple::{
        algorithms::ES256PublicKey,
        prelude::{ECDSAP256PublicKeyLike, NoCustomClaims, VerificationOptions},
    },
    p256, Auth,
};

/// A message as the browser would have it.
#[derive(Debug, Clone)]
pub struct Received {
    /// The VAPID key the message was signed with (`k=`).
    pub vapid_key: String,
    pub ttl: Option<String>,
    /// The decrypted body.
    pub plain: Vec<u8>,
}

/// A browser's name, private key and authentication secret, which only it (and this stub) hold.
type BrowserKeys = (String, p256::SecretKey, [u8; 16]);

/// One subscribed browser: its endpoint and the keys it gives the server.
pub struct Browser {
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
}

#[derive(Clone, Default)]
pub struct PushStub {
    pub url: String,
    keys: Arc<Mutex<Vec<BrowserKeys>>>,
    received: Arc<Mutex<Vec<Received>>>,
    /// Messages refused: a bad signature, a wrong audience, a body that does not decrypt.
    pub refused: Arc<Mutex<Vec<String>>>,
}

impl PushStub {
    pub async fn start() -> PushStub {
        let mut stub = PushStub::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind stub");
        stub.url = format!("http://{}", listener.local_addr().expect("address"));
        let router = Router::new()
            .route("/send/{browser}", post(receive))
            .with_state(stub.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        stub
    }

    /// A new browser with its own key pair and secret, as `PushManager.subscribe` makes.
    pub fn browser(&self, name: &str) -> Browser {
        let secret = p256::SecretKey::random(&mut rand::rngs::OsRng);
        let auth: [u8; 16] = rand::random();
        let browser = Browser {
            endpoint: format!("{}/send/{name}", self.url),
            p256dh: Base64UrlUnpadded::encode_string(&secret.public_key().to_sec1_bytes()),
            auth: Base64UrlUnpadded::encode_string(&auth),
        };
        self.keys
            .lock()
            .expect("lock")
            .push((name.to_owned(), secret, auth));
        browser
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }
}

async fn receive(
    State(stub): State<PushStub>,
    Path(browser): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    if browser.starts_with("gone") {
        return StatusCode::GONE;
    }
    match open(&stub, &browser, &headers, &body) {
        Ok(received) => {
            stub.received.lock().expect("lock").push(received);
            StatusCode::CREATED
        }
        Err(why) => {
            stub.refused.lock().expect("lock").push(why);
            StatusCode::UNAUTHORIZED
        }
    }
}

fn open(
    stub: &PushStub,
    browser: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Received, String> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if header("content-encoding") != Some("aes128gcm") {
        return Err("not aes128gcm".into());
    }
    let authorization = header("authorization").ok_or("no Authorization")?;
    let rest = authorization
        .strip_prefix("vapid ")
        .ok_or("not a VAPID authorization")?;
    let (mut token, mut key) = (None, None);
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => token = Some(t),
            Some(("k", k)) => key = Some(k),
            _ => {}
        }
    }
    let (token, key) = (token.ok_or("no t=")?, key.ok_or("no k=")?);
    let public =
        ES256PublicKey::from_bytes(&Base64UrlUnpadded::decode_vec(key).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    // the origin, as web-push-native writes it: scheme and host (real push services are all
    // on the default port, so the port this stub listens on is left out)
    let origin = url::Url::parse(&stub.url).map_err(|e| e.to_string())?;
    let audience = format!(
        "{}://{}",
        origin.scheme(),
        origin.host_str().unwrap_or_default()
    );
    let options = VerificationOptions {
        allowed_audiences: Some([audience].into_iter().collect()),
        ..Default::default()
    };
    public
        .verify_token::<NoCustomClaims>(token, Some(options))
        .map_err(|e| format!("VAPID token: {e}"))?;
    let keys = stub.keys.lock().expect("lock");
    let (_, secret, auth) = keys
        .iter()
        .find(|(name, _, _)| name == browser)
        .ok_or("an unknown browser")?;
    let plain = web_push_native::decrypt(body.to_vec(), secret, &Auth::clone_from_slice(auth))
        .map_err(|e| format!("decrypting: {e}"))?;
    Ok(Received {
        vapid_key: key.to_owned(),
        ttl: header("ttl").map(str::to_owned),
        plain,
    })
}
