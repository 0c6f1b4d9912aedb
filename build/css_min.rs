//! A small, conservative CSS minifier for the widget's own stylesheets (styles/*.css), run by
//! build.rs so the wasm carries a minified copy. Native tests include this file too
//! (src/shell/styles_min_tests.rs), so the rules below are checked on the host.
//!
//! Size: comments and indentation were about a third of the stylesheets' bytes inside the wasm.
//! It only ever removes what CSS ignores:
//! - comments (`/* … */`), outside strings;
//! - whitespace runs, collapsed to one space, and dropped entirely next to `{`, `}`, `;` and `,`
//!   (never around `+`, `-`, `*`, `/`, `>` or `:`, where a space can matter: `calc(a + b)`,
//!   `a :hover`);
//! - the `;` before a `}`.
//!
//! Strings (`"…"`, `'…'`, escapes included) are copied byte for byte.

/// `css` without comments and needless whitespace; the same rules and declarations.
pub fn minify_css(css: &str) -> String {
    let bytes = css.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(css.len());
    // A whitespace run (or comment) was skipped since the last byte written.
    let mut pending_space = false;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if byte == b'/' && bytes.get(i + 1) == Some(&b'*') {
            // A comment separates tokens like whitespace does.
            i = css[i + 2..]
                .find("*/")
                .map_or(bytes.len(), |end| i + 2 + end + 2);
            pending_space = true;
            continue;
        }
        if byte.is_ascii_whitespace() {
            pending_space = true;
            i += 1;
            continue;
        }
        if byte == b'}' && out.last() == Some(&b';') {
            out.pop();
        }
        let tight = |b: u8| matches!(b, b'{' | b'}' | b';' | b',');
        if pending_space && !out.is_empty() && !tight(byte) && !tight(*out.last().unwrap()) {
            out.push(b' ');
        }
        pending_space = false;
        if byte == b'"' || byte == b'\'' {
            // Copy the string through its closing quote, skipping escaped characters.
            let start = i;
            i += 1;
            while i < bytes.len() && bytes[i] != byte {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i = (i + 1).min(bytes.len());
            out.extend_from_slice(&bytes[start..i]);
            continue;
        }
        out.push(byte);
        i += 1;
    }
    // Only ASCII bytes were removed or added, so the UTF-8 of everything kept is intact.
    String::from_utf8(out).expect("minifying keeps UTF-8 intact")
}
