//! The size table of the release build: what a host page pays to show the widget.
//!
//! Each file is measured raw, gzip (level 9) and brotli (quality 11), the encodings a server or
//! CDN would apply, because transfer size is what the host page feels. The CSS is compiled into
//! the wasm, so its row is for information and is not added to the total.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{Ctx, Result};

/// The loader a site owner pastes (copied into dist/ by trunk).
pub const LOADER: &str = "dist/kudos.js";
/// wasm-bindgen's JS glue. trunk names it after the *package* (`kudos-widget`, with a hyphen),
/// not the lib crate; stable because Trunk.toml sets `filehash = false`. loader/kudos.js imports
/// it by this name.
pub const GLUE: &str = "dist/kudos-widget.js";
/// The wasm module itself (`<package>_bg.wasm`), fetched by the glue from next to itself.
pub const WASM: &str = "dist/kudos-widget_bg.wasm";
/// The demo page.
pub const INDEX: &str = "dist/index.html";
/// Files the release build must produce; the end-to-end tests and site owners load these names.
pub const EXPECTED: [&str; 4] = [INDEX, LOADER, GLUE, WASM];

/// Raw and compressed sizes of one file, in bytes.
#[derive(Clone, Copy, Default)]
struct Sizes {
    raw: usize,
    gzip: usize,
    brotli: usize,
}

impl Sizes {
    fn of(bytes: &[u8]) -> Result<Self> {
        Ok(Sizes {
            raw: bytes.len(),
            gzip: gzip_len(bytes)?,
            brotli: brotli_len(bytes)?,
        })
    }

    fn plus(self, other: Sizes) -> Sizes {
        Sizes {
            raw: self.raw + other.raw,
            gzip: self.gzip + other.gzip,
            brotli: self.brotli + other.brotli,
        }
    }
}

/// Checks that the release build produced every expected file, naming what is there instead
/// when not (so a renamed output is obvious in the log).
pub fn check_dist(ctx: &Ctx) -> Result<()> {
    let missing: Vec<&str> = EXPECTED
        .iter()
        .copied()
        .filter(|rel| !ctx.at(rel).is_file())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let mut present: Vec<String> = fs::read_dir(ctx.at("dist"))
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok())
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    present.sort();
    Err(format!(
        "release build is missing {}; dist/ holds: {}",
        missing.join(", "),
        if present.is_empty() {
            "nothing".to_string()
        } else {
            present.join(", ")
        }
    )
    .into())
}

/// Prints the table for the current dist/ and styles/.
pub fn print_table(ctx: &Ctx) -> Result<()> {
    check_dist(ctx)?;
    let mut rows: Vec<(String, Sizes)> = Vec::new();
    let loader = measure(&ctx.at(LOADER))?;
    let glue = measure(&ctx.at(GLUE))?;
    let wasm = measure(&ctx.at(WASM))?;
    rows.push((format!("loader  {LOADER}"), loader));
    rows.push((format!("glue    {GLUE}"), glue));
    rows.push((format!("wasm    {WASM}"), wasm));
    for css in css_files(&ctx.at("styles"))? {
        let rel = css.strip_prefix(&ctx.root).unwrap_or(&css);
        rows.push((
            format!("css     {} (inside the wasm)", rel.display()),
            measure(&css)?,
        ));
    }
    rows.push(("total   glue + wasm".to_string(), glue.plus(wasm)));

    let width = rows.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
    println!(
        "{:<width$}  {:>9}  {:>9}  {:>9}",
        "sizes in bytes", "raw", "gzip -9", "brotli 11"
    );
    for (name, sizes) in &rows {
        println!(
            "{name:<width$}  {:>9}  {:>9}  {:>9}",
            sizes.raw, sizes.gzip, sizes.brotli
        );
    }
    Ok(())
}

fn measure(path: &Path) -> Result<Sizes> {
    let bytes = fs::read(path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    Sizes::of(&bytes)
}

/// Every `*.css` directly in `dir`, sorted so the table is stable; none when `dir` is absent.
fn css_files(dir: &Path) -> Result<Vec<PathBuf>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut files: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.is_file() && path.extension().is_some_and(|ext| ext == "css"))
        .collect();
    files.sort();
    Ok(files)
}

/// Length of the gzip stream at level 9 (what `gzip -9` or a server's static gzip gives).
fn gzip_len(bytes: &[u8]) -> Result<usize> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len())
}

/// Length of the brotli stream at quality 11 (the usual level for precompressed static files),
/// with the encoder's default window.
fn brotli_len(bytes: &[u8]) -> Result<usize> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_sizes_are_smaller_for_repetitive_input() {
        let input = "kudos ".repeat(1000);
        let sizes = Sizes::of(input.as_bytes()).unwrap();
        assert_eq!(sizes.raw, 6000);
        assert!(sizes.gzip < 100, "gzip {}", sizes.gzip);
        assert!(sizes.brotli < 100, "brotli {}", sizes.brotli);
    }

    #[test]
    fn empty_input_still_has_container_overhead() {
        let sizes = Sizes::of(&[]).unwrap();
        assert_eq!(sizes.raw, 0);
        // gzip always writes a 10-byte header and an 8-byte trailer.
        assert!(sizes.gzip >= 18);
        assert!(sizes.brotli >= 1);
    }
}
