//! `cargo xtask dist`: the folder a site owner uploads to any static host or CDN.
//!
//! It holds exactly what a page loads: `kudos.js` (the loader the script tag names), the glue and
//! the wasm, plus `snippet.html`, the tag to paste with its Subresource Integrity hash. The hash
//! covers the loader; the loader then loads the glue and wasm from next to itself.

use std::fs;
use std::path::Path;

use base64::Engine;
use sha2::{Digest, Sha384};

use crate::{imports, install, proc, sizes, Ctx, Result};

/// Where the release folder goes, under the workspace root; the version is appended.
const OUT_DIR: &str = "target/dist-cdn";

/// The files a page loads, as trunk names them in `dist/`.
const SHIPPED: [&str; 3] = [sizes::LOADER, sizes::GLUE, sizes::WASM];

/// `sha384-…`, the form the `integrity` attribute takes.
pub fn sri_sha384(bytes: &[u8]) -> String {
    let digest = Sha384::digest(bytes);
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The widget's version, read from the root manifest's `[package]` table.
fn widget_version(root: &Path) -> Result<String> {
    let manifest = fs::read_to_string(root.join("Cargo.toml"))?;
    manifest
        .split("[package]")
        .nth(1)
        .and_then(|package| {
            package.lines().find_map(|line| {
                let value = line
                    .trim()
                    .strip_prefix("version")?
                    .trim()
                    .strip_prefix('=')?;
                Some(value.trim().trim_matches('"').to_owned())
            })
        })
        .ok_or_else(|| "no version in Cargo.toml's [package]".into())
}

/// The tag a site owner pastes, pinned to this build by its integrity hash.
pub fn snippet(base_url: &str, integrity: &str) -> String {
    format!(
        "<script src=\"{base_url}kudos.js\" integrity=\"{integrity}\" crossorigin=\"anonymous\"\n  \
         data-endpoint=\"https://example.com/kudos\"></script>\n"
    )
}

/// The release build into `dist/`, as shipped: trunk (cargo, wasm-bindgen, wasm-opt), then the
/// wasm's imports given short names (imports.rs), the loader and the glue minified. Tests, benchmarks and `dist` all measure and serve this same artefact.
pub fn build_release(ctx: &Ctx) -> Result<()> {
    // Offline trunk makes cargo offline, so every crate must already be in the local cache.
    proc::run(&mut proc::cargo(ctx, &["fetch"]))?;
    proc::run(&mut proc::trunk(ctx, &["build", "--release"]))?;
    // The loader is the one file every host page downloads, so it ships minified; its source
    // keeps readable names. `/*!` comments (the header) survive.
    let loader = ctx.at(sizes::LOADER);
    let loader = loader.to_string_lossy();
    proc::run(&mut proc::command(
        ctx,
        "terser",
        &[
            &loader,
            "--compress",
            "--mangle",
            "--comments",
            "/^!/",
            "--output",
            &loader,
        ],
    ))?;
    // Short import names in the wasm and the glue (see imports.rs), before the glue is minified.
    let (glue, wasm) = (ctx.at(sizes::GLUE), ctx.at(sizes::WASM));
    let (short_glue, short_wasm) =
        imports::shorten(&fs::read_to_string(&glue)?, &fs::read(&wasm)?)?;
    fs::write(&glue, short_glue)?;
    fs::write(&wasm, short_wasm)?;
    // The glue wasm-bindgen writes is readable JavaScript (indentation, doc comments, long local
    // names). Size: minified as an ES module (exports, and the property names the wasm imports by,
    // are never renamed), measured −1,967 bytes brotli (docs/size-log.md).
    let glue = ctx.at(sizes::GLUE);
    let glue = glue.to_string_lossy();
    proc::run(&mut proc::command(
        ctx,
        "terser",
        &[
            &glue,
            "--module",
            "--compress",
            "--mangle",
            "--output",
            &glue,
        ],
    ))?;
    sizes::check_dist(ctx)
}

/// Builds the release and copies the shipped files into `target/dist-cdn/kudos-widget-<version>/`.
pub fn run(ctx: &Ctx) -> Result<()> {
    install::ensure(ctx, install::Need::Demo)?;
    build_release(ctx)?;

    let version = widget_version(&ctx.root)?;
    let out = ctx.at(OUT_DIR).join(format!("kudos-widget-{version}"));
    if out.exists() {
        fs::remove_dir_all(&out)?;
    }
    fs::create_dir_all(&out)?;
    println!("\nrelease folder {}:", out.display());
    for file in SHIPPED {
        let bytes = fs::read(ctx.at(file))?;
        let name = Path::new(file)
            .file_name()
            .ok_or("shipped file without a name")?;
        fs::write(out.join(name), &bytes)?;
        println!(
            "  {:<24} {:>8} bytes  {}",
            name.to_string_lossy(),
            bytes.len(),
            sri_sha384(&bytes)
        );
    }
    let integrity = sri_sha384(&fs::read(ctx.at(sizes::LOADER))?);
    let tag = snippet("https://your-cdn.example/kudos-widget/", &integrity);
    fs::write(out.join("snippet.html"), &tag)?;
    println!("\nPaste (change the URL to where you uploaded the folder):\n\n{tag}");
    println!(
        "Serve kudos-widget_bg.wasm as `application/wasm` (streaming compilation), and when the \
         folder is on another origin than your pages, send `Access-Control-Allow-Origin: *` on \
         all three files (the loader's crossorigin request and the module import need it)."
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sri_matches_the_known_sha384_of_empty_input() {
        // `printf '' | openssl dgst -sha384 -binary | base64`
        assert_eq!(
            sri_sha384(b""),
            "sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb"
        );
    }

    #[test]
    fn snippet_pins_the_loader() {
        let tag = snippet("https://cdn.example/k/", "sha384-abc");
        assert!(tag.starts_with("<script src=\"https://cdn.example/k/kudos.js\""));
        assert!(tag.contains("integrity=\"sha384-abc\" crossorigin=\"anonymous\""));
    }

    #[test]
    fn reads_the_widget_version() {
        let version = widget_version(crate::workspace_root()).unwrap();
        assert!(version.split('.').count() == 3, "{version}");
    }
}
