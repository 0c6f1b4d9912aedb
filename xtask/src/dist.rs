//! `cargo xtask dist`: the folder a site owner uploads to any static host or CDN.
//!
//! It holds exactly what a page loads: `kudos.js` (the loader the script tag names), the glue and
//! the wasm, plus `snippet.html`, the tag to paste with its Subresource Integrity hash. That hash
//! covers the loader, and the release build chains it on (issue 12, defect 5): the loader carries
//! the glue's hash and the glue the wasm's, so a changed glue or wasm is refused by the browser
//! however the owner's CDN was compromised. Why a chain and not both hashes in the loader: the
//! loader's 2 KB gzip budget (README, "How the embed works").

use std::fs;
use std::path::Path;

use base64::Engine;
use sha2::{Digest, Sha256, Sha384};

use crate::{imports, install, proc, sizes, Ctx, Result};

/// Where the release folder goes, under the workspace root; the version is appended.
const OUT_DIR: &str = "target/dist-cdn";

/// The files a page loads, as trunk names them in `dist/`.
const SHIPPED: [&str; 3] = [sizes::LOADER, sizes::GLUE, sizes::WASM];

/// `<algorithm>-<base64 digest>`, the form the `integrity` attribute takes.
fn sri<D: Digest>(algorithm: &str, bytes: &[u8]) -> String {
    format!(
        "{algorithm}-{}",
        base64::engine::general_purpose::STANDARD.encode(D::digest(bytes))
    )
}

/// `sha384-…`: the loader's hash in the owner's snippet, the usual choice for a script tag.
pub fn sri_sha384(bytes: &[u8]) -> String {
    sri::<Sha384>("sha384", bytes)
}

/// `sha256-…`: the hashes the release chains from the loader to the glue and the wasm. As
/// unforgeable here as sha384 (SRI's own minimum; only a preimage would help an attacker), and
/// 20 bytes less gzip in the loader, whose 2 KB budget this chain nearly fills.
pub fn sri_sha256(bytes: &[u8]) -> String {
    sri::<Sha256>("sha256", bytes)
}

/// Where loader/kudos.js keeps the glue's hash: empty in the source (the dev build checks
/// nothing), filled in by [`pin_glue`].
const GLUE_SRI_SLOT: &str = "GLUE_SRI = ''";

/// The name of the glue's export holding the wasm's hash; the loader passes it to `fetch`.
const WASM_SRI_EXPORT: &str = "wasm_sri";

/// The loader `source` with the glue's hash in its slot. Fails unless the slot is there exactly
/// once: a loader edited without it must not ship unpinned.
pub fn pin_glue(source: &str, glue: &[u8]) -> Result<String> {
    match source.matches(GLUE_SRI_SLOT).count() {
        1 => Ok(source.replacen(
            GLUE_SRI_SLOT,
            &format!("GLUE_SRI = '{}'", sri_sha256(glue)),
            1,
        )),
        found => Err(format!(
            "{}: expected `{GLUE_SRI_SLOT}` once, found it {found} times; the release cannot pin the glue",
            sizes::LOADER
        )
        .into()),
    }
}

/// The glue with the wasm's hash as its `wasm_sri` export, which the loader fetches the wasm
/// with. The glue is an ES module, so one more export at its end is enough.
pub fn pin_wasm(glue: &str, wasm: &[u8]) -> Result<String> {
    if glue.contains(WASM_SRI_EXPORT) {
        return Err(format!(
            "{} already mentions `{WASM_SRI_EXPORT}`; the wasm's hash would be ambiguous",
            sizes::GLUE
        )
        .into());
    }
    Ok(format!(
        "{glue}\nexport const {WASM_SRI_EXPORT}=\"{}\";\n",
        sri_sha256(wasm)
    ))
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
/// wasm's imports given short names (imports.rs), the glue minified and pinned to the wasm, the
/// loader pinned to the glue and minified. Tests, benchmarks and `dist` all measure and serve this
/// same artefact.
pub fn build_release(ctx: &Ctx) -> Result<()> {
    // Offline trunk makes cargo offline, so every crate must already be in the local cache.
    proc::run(&mut proc::cargo(ctx, &["fetch"]))?;
    proc::run(&mut proc::trunk(ctx, &["build", "--release"]))?;
    // Short import names in the wasm and the glue (see imports.rs), before the glue is minified.
    let (glue, wasm) = (ctx.at(sizes::GLUE), ctx.at(sizes::WASM));
    let (short_glue, short_wasm) =
        imports::shorten(&fs::read_to_string(&glue)?, &fs::read(&wasm)?)?;
    fs::write(&glue, short_glue)?;
    fs::write(&wasm, short_wasm)?;
    // The glue wasm-bindgen writes is readable JavaScript (indentation, doc comments, long local
    // names). Size: minified as an ES module (exports, and the property names the wasm imports by,
    // are never renamed), measured −1,967 bytes brotli (docs/size-log.md).
    let glue_path = glue.to_string_lossy();
    proc::run(&mut proc::command(
        ctx,
        "terser",
        &[
            &glue_path,
            "--module",
            "--compress",
            "--mangle",
            "--output",
            &glue_path,
        ],
    ))?;
    // The hashes are of the final bytes, so nothing may rewrite the glue or the wasm after this.
    let pinned_glue = pin_wasm(&fs::read_to_string(&glue)?, &fs::read(&wasm)?)?;
    fs::write(&glue, &pinned_glue)?;
    let loader = ctx.at(sizes::LOADER);
    fs::write(
        &loader,
        pin_glue(&fs::read_to_string(&loader)?, pinned_glue.as_bytes())?,
    )?;
    // The loader is the one file every host page downloads, so it ships minified; its source
    // keeps readable names. `/*!` comments (the header) survive.
    let loader_path = loader.to_string_lossy();
    proc::run(&mut proc::command(
        ctx,
        "terser",
        &[
            &loader_path,
            "--compress",
            "--mangle",
            "--comments",
            "/^!/",
            "--output",
            &loader_path,
        ],
    ))?;
    // Terser keeps a string it cannot prove unused; this says so if that ever changes.
    let glue_sri = sri_sha256(pinned_glue.as_bytes());
    if !fs::read_to_string(&loader)?.contains(&glue_sri) {
        return Err(format!("the minified {} lost the glue's hash", sizes::LOADER).into());
    }
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
        "This kudos.js pins this glue and the glue pins this wasm (sha256, Subresource \
         Integrity): upload the three files together; another build's glue or wasm is refused.\n"
    );
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
    fn sri_matches_the_known_sha256_of_empty_input() {
        // `printf '' | openssl dgst -sha256 -binary | base64`
        assert_eq!(
            sri_sha256(b""),
            "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
    }

    #[test]
    fn snippet_pins_the_loader() {
        let tag = snippet("https://cdn.example/k/", "sha384-abc");
        assert!(tag.starts_with("<script src=\"https://cdn.example/k/kudos.js\""));
        assert!(tag.contains("integrity=\"sha384-abc\" crossorigin=\"anonymous\""));
    }

    #[test]
    fn the_loader_source_has_one_slot_for_the_glue_hash() {
        let source = fs::read_to_string(crate::workspace_root().join("loader/kudos.js")).unwrap();
        let pinned = pin_glue(&source, b"glue").unwrap();
        assert!(pinned.contains(&format!("GLUE_SRI = '{}'", sri_sha256(b"glue"))));
        assert!(!pinned.contains(GLUE_SRI_SLOT));
    }

    #[test]
    fn a_loader_without_the_slot_or_with_two_is_refused() {
        assert!(pin_glue("const x = 1;", b"glue").is_err());
        let twice = format!("{GLUE_SRI_SLOT}; {GLUE_SRI_SLOT};");
        assert!(pin_glue(&twice, b"glue").is_err());
    }

    #[test]
    fn the_glue_exports_the_wasm_hash() {
        let glue = pin_wasm("export{a as default};", b"wasm").unwrap();
        assert_eq!(
            glue,
            format!(
                "export{{a as default}};\nexport const wasm_sri=\"{}\";\n",
                sri_sha256(b"wasm")
            )
        );
        assert!(pin_wasm(&glue, b"wasm").is_err(), "pinned twice");
    }

    #[test]
    fn reads_the_widget_version() {
        let version = widget_version(crate::workspace_root()).unwrap();
        assert!(version.split('.').count() == 3, "{version}");
    }
}
