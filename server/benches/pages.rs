//! `cargo bench -p server --bench pages`: requests per second and latency of the home page and
//! an event page, served by the real router over loopback with the demo dataset, from 16
//! keep-alive connections. Each page runs for BENCH_SECONDS (default 5) after a 1 s warm-up.
//! Requests carry no cookie and no Accept-Encoding: an anonymous visitor, uncompressed.
//! The last line of output is one JSON object with every figure.
use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::TcpStream,
};

use server::{cli::demo, config::Config, startup};

const CONNECTIONS: usize = 16;

fn main() -> anyhow::Result<()> {
    let seconds: u64 = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let dir = tempfile::tempdir()?;
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        site_addr: "127.0.0.1:0".parse()?,
        database_url: format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("bench.db").display()
        ),
        surreal_url: "mem://".into(),
        surreal_root: None,
        meili: None,
        stripe: None,
        platform_fee_bps: server::config::DEFAULT_PLATFORM_FEE_BPS,
        public_url: "http://127.0.0.1".into(),
        fast_track_reputation: None,
        time_zone: server::config::DEFAULT_TIME_ZONE,
    };

    // The server gets its own runtime with two workers, as `lineup serve` would on this machine.
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let (addr, event_id) = server_rt.block_on(async {
        let state = startup::build_state(&config).await?;
        demo::seed(&state.db, chrono::Utc::now()).await?;
        let event = entity::event::Entity::find()
            .filter(entity::event::Column::Status.eq("published"))
            .order_by_asc(entity::event::Column::StartsAt)
            .one(&state.db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no published event"))?;
        let router = startup::router(state, startup::leptos_options(&config), false);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        tokio::spawn(async move {
            let _ = startup::serve(listener, router).await;
        });
        Ok::<_, anyhow::Error>((addr, event.id))
    })?;

    let client_rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut results = Vec::new();
    for (name, path) in [
        ("home", "/".to_owned()),
        ("event", format!("/events/{event_id}")),
    ] {
        let bytes = client_rt
            .block_on(load(addr, &path, Duration::from_secs(1)))?
            .bytes;
        let run = client_rt.block_on(load(addr, &path, Duration::from_secs(seconds)))?;
        let line = serde_json::json!({
            "page": name,
            "path": path,
            "connections": CONNECTIONS,
            "requests": run.latencies_us.len(),
            "errors": run.errors,
            "rps": (run.latencies_us.len() as f64 / run.elapsed.as_secs_f64()).round(),
            "p50_ms": percentile(&run.latencies_us, 0.50),
            "p99_ms": percentile(&run.latencies_us, 0.99),
            "bytes": bytes,
        });
        println!("{line}");
        results.push(line);
    }
    println!(
        "{}",
        serde_json::json!({ "bench": "pages", "seconds": seconds, "pages": results })
    );
    drop(server_rt);
    Ok(())
}

struct Run {
    latencies_us: Vec<u64>,
    errors: u64,
    elapsed: Duration,
    bytes: usize,
}

fn percentile(sorted_us: &[u64], p: f64) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let i = ((sorted_us.len() as f64 - 1.0) * p).round() as usize;
    (sorted_us[i] as f64 / 10.0).round() / 100.0
}

async fn load(addr: std::net::SocketAddr, path: &str, duration: Duration) -> anyhow::Result<Run> {
    let deadline = Instant::now() + duration;
    let started = Instant::now();
    let request: Arc<[u8]> =
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/html\r\n\r\n")
            .into_bytes()
            .into();
    let mut tasks = Vec::new();
    for _ in 0..CONNECTIONS {
        let request = request.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            let mut size = 0;
            let mut conn = BufReader::new(TcpStream::connect(addr).await?);
            while Instant::now() < deadline {
                let sent = Instant::now();
                conn.get_mut().write_all(&request).await?;
                match read_response(&mut conn).await? {
                    (200, len) => {
                        latencies.push(sent.elapsed().as_micros() as u64);
                        size = len;
                    }
                    _ => errors += 1,
                }
            }
            Ok::<_, anyhow::Error>((latencies, errors, size))
        }));
    }
    let mut run = Run {
        latencies_us: Vec::new(),
        errors: 0,
        elapsed: Duration::ZERO,
        bytes: 0,
    };
    for task in tasks {
        let (latencies, errors, size) = task.await??;
        run.latencies_us.extend(latencies);
        run.errors += errors;
        run.bytes = size;
    }
    run.elapsed = started.elapsed();
    run.latencies_us.sort_unstable();
    Ok(run)
}

/// Reads one HTTP/1.1 response (Content-Length or chunked); returns the status and body size.
async fn read_response(conn: &mut BufReader<TcpStream>) -> anyhow::Result<(u16, usize)> {
    let mut line = String::new();
    conn.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let (mut length, mut chunked) = (None, false);
    loop {
        line.clear();
        if conn.read_line(&mut line).await? == 0 {
            anyhow::bail!("connection closed");
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let lower = header.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse::<usize>().ok();
        } else if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
            chunked = true;
        }
    }
    let mut total = 0;
    if chunked {
        loop {
            line.clear();
            conn.read_line(&mut line).await?;
            let size = usize::from_str_radix(line.trim(), 16)?;
            let mut chunk = vec![0; size + 2];
            conn.read_exact(&mut chunk).await?;
            total += size;
            if size == 0 {
                break;
            }
        }
    } else if let Some(len) = length {
        let mut body = vec![0; len];
        conn.read_exact(&mut body).await?;
        total = len;
    }
    Ok((status, total))
}
