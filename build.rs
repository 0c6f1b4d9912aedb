//! Build script: writes minified copies of the widget's stylesheets (styles/*.css) into `OUT_DIR`,
//! which src/shell/mount.rs compiles in with `include_str!`.
//!
//! Size: the stylesheets ride inside the wasm; their comments and indentation are for the people
//! editing them, not for the browser (measured in docs/size-log.md). The sources stay readable.

#[path = "build/css_min.rs"]
mod css_min;

use std::path::Path;
use std::{env, fs};

/// The stylesheets minified, by file name under styles/.
const STYLESHEETS: [&str; 2] = ["tokens.css", "widget.css"];

fn main() {
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    println!("cargo:rerun-if-changed=build/css_min.rs");
    for name in STYLESHEETS {
        let source = Path::new("styles").join(name);
        println!("cargo:rerun-if-changed={}", source.display());
        let css = fs::read_to_string(&source)
            .unwrap_or_else(|err| panic!("reading {}: {err}", source.display()));
        fs::write(Path::new(&out_dir).join(name), css_min::minify_css(&css))
            .unwrap_or_else(|err| panic!("writing the minified {name}: {err}"));
    }
}
