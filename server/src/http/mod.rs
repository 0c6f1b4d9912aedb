//! The HTTP side: the router, its layers, and the server's life (bind, serve, drain, stop).
//!
//! Request path: request id → trace (method, path, status, time; never bodies, queries or
//! headers, which can carry personal data) → timeout → CORS (per-site origin list) → handler.
//! Handlers live in `submissions` (POST) and `feeds` (wall, roster); `health` answers the
//! load balancer.

mod devmail;
mod error;
mod feeds;
mod health;
mod limits;
mod links;
mod newsletter;
pub mod owner;
pub mod pages;
mod submissions;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use tower::ServiceBuilder;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use error::ApiError;
pub(crate) use submissions::client_ip;

use crate::config::{Settings, Site};
use crate::ingest::Ingest;
use crate::store::Store;
use limits::Limits;

/// What every handler shares. Nothing here would disagree between two instances: the
/// database holds all state; the rate limiters are per instance by design.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub ingest: Ingest,
    pub settings: Arc<Settings>,
    limits: Arc<Limits>,
}

impl AppState {
    pub fn new(store: Store, settings: Settings) -> AppState {
        let limits = Limits::new(settings.ip_rate_per_minute, settings.site_rate_per_minute);
        AppState {
            ingest: Ingest::start(store.clone()),
            store,
            settings: Arc::new(settings),
            limits: Arc::new(limits),
        }
    }

    /// The site a page origin belongs to; `None` when no site lists it. A request without an
    /// `Origin` header (curl, a server-side relay) belongs to the first site.
    pub fn site_for_origin(&self, origin: Option<&str>) -> Option<&Site> {
        let sites = &self.settings.sites;
        match origin {
            None => sites.first(),
            Some(origin) => sites
                .iter()
                .find(|site| site.origins.iter().any(|o| o == origin))
                .or_else(|| {
                    sites
                        .iter()
                        .find(|site| site.origins.iter().any(|o| o == "*"))
                }),
        }
    }

    /// The site named by a `?site=` parameter, or the first one.
    pub fn site_by_id(&self, id: Option<&str>) -> Option<&Site> {
        match id {
            None => self.settings.sites.first(),
            Some(id) => self.settings.sites.iter().find(|site| site.id == id),
        }
    }
}

/// Requests with a body larger than this are cut off by tower-http before any handler runs.
/// The configured limit (64 KB by default) is enforced by the submissions handler, which reads
/// the rest of an oversized body (up to this) before answering 413, so the client reads a real
/// 413 rather than a connection reset.
const HARD_BODY_LIMIT: usize = 8 * 1024 * 1024;

/// The router with every route and layer.
pub fn router(state: AppState) -> Router {
    let settings = &state.settings;
    let cors = |methods: [Method; 1]| {
        let all_origins: Vec<&String> = settings
            .sites
            .iter()
            .flat_map(|site| site.origins.iter())
            .collect();
        let allow = if all_origins.iter().any(|origin| *origin == "*") {
            AllowOrigin::any()
        } else {
            AllowOrigin::list(
                all_origins
                    .iter()
                    .filter_map(|origin| HeaderValue::from_str(origin).ok()),
            )
        };
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods(methods)
            .allow_headers([header::CONTENT_TYPE])
            .expose_headers([header::RETRY_AFTER])
            .max_age(Duration::from_secs(86_400))
            .vary([header::ORIGIN])
    };
    let request_id = HeaderName::from_static("x-request-id");
    Router::new()
        .route(
            "/v1/submissions",
            post(submissions::receive).layer(cors([Method::POST])),
        )
        .route("/v1/wall", get(feeds::wall).layer(cors([Method::GET])))
        .route("/v1/staff", get(feeds::staff).layer(cors([Method::GET])))
        .route(pages::STYLESHEET_PATH, get(pages::stylesheet))
        .merge(owner::router())
        .route(
            crate::notify::LINK_PATH,
            get(links::show).post(links::decide),
        )
        .route(
            crate::newsletter::CONFIRM_PATH,
            get(newsletter::confirm_page).post(newsletter::confirm),
        )
        .route(
            crate::newsletter::UNSUBSCRIBE_PATH,
            get(newsletter::unsubscribe_page).post(newsletter::unsubscribe),
        )
        .merge(dev_mail_routes(settings.dev_mail_viewer))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .layer(middleware::from_fn(preflight_no_content))
        .layer(RequestBodyLimitLayer::new(HARD_BODY_LIMIT))
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http().make_span_with(|request: &Request| {
                        let id = request
                            .headers()
                            .get("x-request-id")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("");
                        // The path only: a query can carry a name (`?staff=`).
                        tracing::info_span!("request", id, method = %request.method(), path = request.uri().path())
                    })
                    // One line per answered request at the default level: status and latency.
                    .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
                )
                .layer(PropagateRequestIdLayer::new(request_id))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    settings.request_timeout,
                )),
        )
        .with_state(state)
}

/// The development mail viewer's routes, only when `--dev-mail-viewer` is on.
fn dev_mail_routes(enabled: bool) -> Router<AppState> {
    if !enabled {
        return Router::new();
    }
    Router::new()
        .route(devmail::PATH, get(devmail::list))
        .route(&format!("{}/{{name}}", devmail::PATH), get(devmail::show))
        .route(
            &format!("{}/{{name}}/html", devmail::PATH),
            get(devmail::html_part),
        )
}

/// The contract's preflight answer is `204 No Content`; tower-http's CORS layer answers 200.
async fn preflight_no_content(request: Request, next: Next) -> Response {
    let preflight = request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut response = next.run(request).await;
    if preflight && response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::NO_CONTENT;
    }
    response
}

/// Binds, prints `kudos-server listening on http://ADDR` (scripts and tests wait for it),
/// serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
pub async fn serve(state: AppState) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(state.settings.listen).await?;
    let address = listener.local_addr()?;
    if state
        .settings
        .sites
        .iter()
        .all(|site| site.origins.is_empty())
    {
        tracing::warn!(
            "no allowed origins configured: browsers can't post (set --allowed-origin or KUDOS_ALLOWED_ORIGINS)"
        );
    }
    tokio::spawn(maintenance(state.clone()));
    let public_url = state
        .settings
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{address}"));
    crate::jobs::launch(state.store.clone(), Arc::clone(&state.settings), public_url)
        .await
        .map_err(|err| std::io::Error::other(format!("notifications: {err}: {}", err.detail())))?;
    println!("kudos-server listening on http://{address}");
    tracing::info!(%address, "listening");
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    tracing::info!("stopped");
    Ok(())
}

/// Hourly: forget idle rate-limit buckets and apply the retention period. Every instance may
/// run it; the statements are idempotent.
async fn maintenance(state: AppState) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        state.limits.forget_idle();
        let days = i64::from(state.settings.retention_days);
        let cutoff = crate::now_ms() - days * 86_400_000;
        match state.store.purge_visitor_details(cutoff).await {
            Ok(0) => {}
            Ok(rows) => tracing::info!(rows, days, "retention: visitor details removed"),
            Err(err) => tracing::warn!(error = %err, "retention pass failed"),
        }
        crate::newsletter::limits::forget_idle();
        match state
            .store
            .purge_unconfirmed_newsletter(crate::now_ms())
            .await
        {
            Ok(0) => {}
            Ok(rows) => tracing::info!(
                rows,
                "newsletter: unconfirmed sign-ups over 30 days deleted"
            ),
            Err(err) => tracing::warn!(error = %err, "newsletter purge failed"),
        }
        if let Err(err) = state.store.purge_owner_state(crate::now_ms()).await {
            tracing::warn!(error = %err, "forgetting expired owner sessions failed");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
