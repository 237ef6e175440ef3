//! Puts the client's address (through the trusted proxies) on every request, for the sign-in
//! throttle and the request limits.
use std::net::SocketAddr;

use axum::{
    extract::{ConnectInfo, Request, State},
    middleware::Next,
    response::Response,
};

use app::domain::{client::ClientAddress, context::AppState};

pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
    let client = ClientAddress::resolve(peer, request.headers(), &state.settings.trusted_proxies);
    request.extensions_mut().insert(client);
    next.run(request).await
}
