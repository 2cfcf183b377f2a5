//! QR codes of the grids' public pages, as SVG (posters, print) and PNG (downloads), on
//! the `qrcode` crate. Error correction M: a poster survives some dirt and tape.

use qrcode::{EcLevel, QrCode};

/// The URL a grid's QR code opens: `{base}/r/{grid}`.
pub fn grid_url(base: &str, grid_code: &str) -> String {
    format!("{}/r/{grid_code}", base.trim_end_matches('/'))
}

fn code(url: &str) -> QrCode {
    // A URL of a few dozen bytes always fits version 40 at level M.
    QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .expect("a short URL fits in a QR code")
}

/// A standalone SVG document (also inlined into posters, without the XML prolog).
pub fn svg(url: &str) -> String {
    code(url)
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(320, 320)
        .quiet_zone(true)
        .build()
}

/// The SVG element alone, for inlining into an HTML page.
pub fn svg_element(url: &str) -> String {
    let doc = svg(url);
    match doc.find("<svg") {
        Some(i) => doc[i..].to_owned(),
        None => doc,
    }
}

/// A PNG of about 1,000 px a side: sharp when printed on A4.
pub fn png(url: &str) -> Vec<u8> {
    let img = code(url)
        .render::<image::Luma<u8>>()
        .min_dimensions(1000, 1000)
        .quiet_zone(true)
        .build();
    let mut out = Vec::new();
    image::DynamicImage::ImageLuma8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("encoding a PNG in memory cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_codes_render_as_svg_and_png() {
        let url = grid_url("https://grid.example.gov.cn/", "360199001001001");
        assert_eq!(url, "https://grid.example.gov.cn/r/360199001001001");
        let s = svg_element(&url);
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
        let p = png(&url);
        let img = image::load_from_memory(&p).unwrap();
        assert!(img.width() >= 1000 && img.width() == img.height());
    }
}
