//! Residents' pages (码上办), served as light HTML without the app's WASM: the grid's
//! report page and its no-JavaScript form post, the tracking page and its rating form,
//! public photos, QR code downloads, and the printable posters for staff.

mod pages;
mod posters;

use crate::http::BODY_LIMIT;
use app::ssr::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/r/{grid}",
            get(pages::report_page)
                .post(pages::report_form)
                .layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route("/r/{grid}/qr.svg", get(posters::qr_svg))
        .route("/r/{grid}/qr.png", get(posters::qr_png))
        .route("/t", get(pages::lookup))
        .route("/t/{code}", get(pages::track_page))
        .route(
            "/t/{code}/feedback",
            axum::routing::post(pages::feedback_form),
        )
        .route("/t/{code}/photos/{name}", get(pages::public_photo))
        .route("/posters/{node}", get(posters::posters))
}
