//! Short names for the functions the wasm imports from its glue.
//!
//! wasm-bindgen names each import after the Rust item plus a 16-hex-digit hash
//! (`__wbg_appendChild_5f2a0c6e1b7d9e3a`), and every name is written twice: in the wasm's import
//! section and as a key of the glue's import object. The hashes are random, so neither gzip nor
//! brotli can shrink them. Size: this pass renames every import to a short key (`a`, `b`, … `aB`)
//! in both files, consistently, and the glue's import module (`"./kudos-widget_bg.js"`) to `"w"`;
//! measured in docs/size-log.md. It runs on trunk's output, before terser.
//!
//! The wasm's exports get the same treatment (closure shims carry hashes too): the glue reaches
//! every export as `wasm.<name>`, and those property reads are renamed with them.
//!
//! It refuses (an error, the build fails) rather than guess: every import must come from the one
//! module and each import name must appear exactly once in the glue, as a whole token. An export
//! the glue never reads keeps its name.

use crate::Result;

/// The module wasm-bindgen's `web` target imports from, as the glue's import object names it.
const GLUE_MODULE: &str = "./kudos-widget_bg.js";
/// Its short replacement, in both files.
const SHORT_MODULE: &str = "w";

/// `(glue, wasm)` with every import renamed.
pub fn shorten(glue: &str, wasm: &[u8]) -> Result<(String, Vec<u8>)> {
    let sections = sections(wasm)?;
    let mut out = wasm[..8].to_vec();
    let mut glue = glue.to_owned();
    let mut renamed = 0;
    for (id, body) in sections {
        let body = if id == IMPORT_SECTION {
            let (body, names) = rename_imports(body)?;
            for (index, name) in names.iter().enumerate() {
                glue = replace_token(&glue, name, &short_name(index))?;
            }
            renamed = names.len();
            body
        } else if id == EXPORT_SECTION {
            rename_exports(body, |index, name| {
                let short = short_name(index);
                let (renamed, hits) = replace_export(&glue, name, &short);
                glue = renamed;
                // An export the glue never reads (nothing else does) keeps its name.
                if hits > 0 {
                    short
                } else {
                    name.to_owned()
                }
            })?
        } else {
            body.to_vec()
        };
        out.push(id);
        write_leb(&mut out, body.len() as u32);
        out.extend_from_slice(&body);
    }
    let quoted = format!("\"{GLUE_MODULE}\"");
    if renamed == 0 || glue.matches(&quoted).count() != 1 {
        return Err(format!("the glue does not import from {quoted} exactly once").into());
    }
    Ok((glue.replace(&quoted, &format!("\"{SHORT_MODULE}\"")), out))
}

/// The wasm section id of imports.
const IMPORT_SECTION: u8 = 2;

/// The wasm section id of exports.
const EXPORT_SECTION: u8 = 7;

/// The export section with each export renamed to `rename(index, name)`.
fn rename_exports(body: &[u8], mut rename: impl FnMut(usize, &str) -> String) -> Result<Vec<u8>> {
    let (count, mut at) = read_leb(body, 0)?;
    let mut out = Vec::new();
    write_leb(&mut out, count);
    for index in 0..count as usize {
        let (name, next) = read_name(body, at)?;
        write_name(&mut out, &rename(index, name));
        // Kind byte and index, unchanged.
        let end = read_leb(body, next + 1)?.1;
        out.extend_from_slice(&body[next..end]);
        at = end;
    }
    if at != body.len() {
        return Err("unexpected bytes after the exports".into());
    }
    Ok(out)
}

/// `glue` with every `wasm.<name>` (whole token) read as `wasm.<short>`, and how many there were.
fn replace_export(glue: &str, name: &str, short: &str) -> (String, usize) {
    let from = format!("wasm.{name}");
    let mut out = String::with_capacity(glue.len());
    let mut rest = glue;
    let mut hits = 0;
    while let Some(at) = rest.find(&from) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + from.len()..].chars().next();
        let ident =
            |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || "_$".contains(c));
        // `x.wasm.memory` is another object's property; `wasm.memory.buffer` is ours.
        let foreign = ident(before) || before == Some('.') || ident(after);
        out.push_str(&rest[..at]);
        if foreign {
            out.push_str(&from);
        } else {
            out.push_str("wasm.");
            out.push_str(short);
            hits += 1;
        }
        rest = &rest[at + from.len()..];
    }
    out.push_str(rest);
    (out, hits)
}

/// The module's sections as `(id, body)`, after the 8-byte header.
fn sections(wasm: &[u8]) -> Result<Vec<(u8, &[u8])>> {
    if wasm.len() < 8 || &wasm[..4] != b"\0asm" {
        return Err("not a wasm module".into());
    }
    let mut sections = Vec::new();
    let mut at = 8;
    while at < wasm.len() {
        let id = wasm[at];
        let (size, body_at) = read_leb(wasm, at + 1)?;
        let end = body_at + size as usize;
        let body = wasm
            .get(body_at..end)
            .ok_or("a wasm section runs past the end")?;
        sections.push((id, body));
        at = end;
    }
    Ok(sections)
}

/// The import section with every import from [`GLUE_MODULE`] renamed to [`short_name`] of its
/// index, and the old names in order.
fn rename_imports(body: &[u8]) -> Result<(Vec<u8>, Vec<String>)> {
    let (count, mut at) = read_leb(body, 0)?;
    let mut out = Vec::new();
    write_leb(&mut out, count);
    let mut names = Vec::new();
    for index in 0..count as usize {
        let (module, next) = read_name(body, at)?;
        let (name, next) = read_name(body, next)?;
        if module != GLUE_MODULE {
            return Err(format!("import {name} comes from {module}, not {GLUE_MODULE}").into());
        }
        write_name(&mut out, SHORT_MODULE);
        write_name(&mut out, &short_name(index));
        // The import's kind and type follow unchanged: copy them up to the next import.
        let kind_end = import_desc_end(body, next)?;
        out.extend_from_slice(&body[next..kind_end]);
        at = kind_end;
        names.push(name.to_owned());
    }
    if at != body.len() {
        return Err("unexpected bytes after the imports".into());
    }
    Ok((out, names))
}

/// Where an import's description (kind and type) starting at `at` ends.
fn import_desc_end(body: &[u8], at: usize) -> Result<usize> {
    let kind = *body.get(at).ok_or("truncated import")?;
    let at = at + 1;
    Ok(match kind {
        // A function: its type index.
        0 => read_leb(body, at)?.1,
        // A table: element type, limits.
        1 => limits_end(body, at + 1)?,
        // A memory: limits.
        2 => limits_end(body, at)?,
        // A global: value type, mutability.
        3 => at + 2,
        // A tag: attribute, type index.
        4 => read_leb(body, at + 1)?.1,
        other => return Err(format!("unknown import kind {other}").into()),
    })
}

/// Where limits (flags, minimum, optional maximum) starting at `at` end.
fn limits_end(body: &[u8], at: usize) -> Result<usize> {
    let flags = *body.get(at).ok_or("truncated limits")?;
    let (_, at) = read_leb(body, at + 1)?;
    Ok(if flags & 1 == 1 {
        read_leb(body, at)?.1
    } else {
        at
    })
}

/// The `index`-th short name: `a`…`z`, `A`…`Z`, then two letters. Never `__proto__`, never a
/// wasm-bindgen name.
fn short_name(index: usize) -> String {
    const LETTERS: &[u8; 52] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = String::new();
    let mut rest = index;
    loop {
        name.insert(0, LETTERS[rest % 52] as char);
        if rest < 52 {
            return name;
        }
        rest = rest / 52 - 1;
    }
}

/// `text` with its one whole-token occurrence of `name` replaced by `short`.
fn replace_token(text: &str, name: &str, short: &str) -> Result<String> {
    let is_ident =
        |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || "_$".contains(c));
    let hits: Vec<usize> = text
        .match_indices(name)
        .map(|(at, _)| at)
        .filter(|&at| {
            !is_ident(text[..at].chars().next_back())
                && !is_ident(text[at + name.len()..].chars().next())
        })
        .collect();
    match hits[..] {
        [at] => Ok(format!(
            "{}{short}{}",
            &text[..at],
            &text[at + name.len()..]
        )),
        _ => Err(format!(
            "the glue names the import {name} {} times, not once",
            hits.len()
        )
        .into()),
    }
}

fn read_leb(bytes: &[u8], mut at: usize) -> Result<(u32, usize)> {
    let mut value = 0u32;
    let mut shift = 0;
    loop {
        let byte = *bytes.get(at).ok_or("truncated LEB128")?;
        at += 1;
        value |= u32::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok((value, at));
        }
        shift += 7;
        if shift > 28 {
            return Err("LEB128 too long".into());
        }
    }
}

fn write_leb(out: &mut Vec<u8>, mut value: u32) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn read_name(bytes: &[u8], at: usize) -> Result<(&str, usize)> {
    let (len, at) = read_leb(bytes, at)?;
    let end = at + len as usize;
    let name = bytes.get(at..end).ok_or("truncated name")?;
    Ok((std::str::from_utf8(name)?, end))
}

fn write_name(out: &mut Vec<u8>, name: &str) {
    write_leb(out, name.len() as u32);
    out.extend_from_slice(name.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module importing two functions and a memory from the glue module.
    fn module() -> Vec<u8> {
        let mut imports = Vec::new();
        write_leb(&mut imports, 3);
        for (name, desc) in [
            ("__wbg_log_0123456789abcdef", &[0u8, 0][..]),
            ("__wbg_now_fedcba9876543210", &[0, 1][..]),
            ("memory", &[2, 1, 1, 2][..]),
        ] {
            write_name(&mut imports, GLUE_MODULE);
            write_name(&mut imports, name);
            imports.extend_from_slice(desc);
        }
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        // A type section left as it is.
        wasm.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]);
        wasm.push(IMPORT_SECTION);
        write_leb(&mut wasm, imports.len() as u32);
        wasm.extend_from_slice(&imports);
        wasm
    }

    const GLUE: &str =
        "const import0 = { __proto__: null, __wbg_log_0123456789abcdef: function() {}, \
        __wbg_now_fedcba9876543210: function() {}, memory: m };\n\
        return { \"./kudos-widget_bg.js\": import0 };";

    #[test]
    fn renames_each_import_in_both_files() {
        let (glue, wasm) = shorten(GLUE, &module()).unwrap();
        assert_eq!(
            glue,
            "const import0 = { __proto__: null, a: function() {}, b: function() {}, c: m };\n\
             return { \"w\": import0 };"
        );
        let sections = sections(&wasm).unwrap();
        assert_eq!(sections[0], (1, &[1, 0x60, 0, 0][..]));
        let (id, body) = sections[1];
        assert_eq!(id, IMPORT_SECTION);
        let mut expected = Vec::new();
        write_leb(&mut expected, 3);
        for (name, desc) in [
            ("a", &[0u8, 0][..]),
            ("b", &[0, 1][..]),
            ("c", &[2, 1, 1, 2][..]),
        ] {
            write_name(&mut expected, SHORT_MODULE);
            write_name(&mut expected, name);
            expected.extend_from_slice(desc);
        }
        assert_eq!(body, &expected[..]);
    }

    #[test]
    fn refuses_a_name_the_glue_does_not_hold_once() {
        let glue = GLUE.replace("__wbg_now_fedcba9876543210: function() {}, ", "");
        assert!(shorten(&glue, &module()).is_err());
        let twice = format!("{GLUE} x.__wbg_log_0123456789abcdef;");
        assert!(shorten(&twice, &module()).is_err());
    }

    #[test]
    fn export_reads_are_renamed_and_nothing_else() {
        let glue = "wasm.memory.buffer; wasm.mount(h); x.wasm.mount; wasm.mountAll; mount(h);";
        assert_eq!(
            replace_export(glue, "mount", "b"),
            (
                "wasm.memory.buffer; wasm.b(h); x.wasm.mount; wasm.mountAll; mount(h);".to_owned(),
                1
            )
        );
        let mut exports = Vec::new();
        write_leb(&mut exports, 2);
        for (name, index) in [("memory", 0u8), ("__abort_handler", 3)] {
            write_name(&mut exports, name);
            exports.extend_from_slice(&[if index == 0 { 2 } else { 0 }, index]);
        }
        let renamed = rename_exports(&exports, |i, name| {
            if name == "memory" {
                short_name(i)
            } else {
                name.to_owned()
            }
        })
        .unwrap();
        let mut expected = Vec::new();
        write_leb(&mut expected, 2);
        write_name(&mut expected, "a");
        expected.extend_from_slice(&[2, 0]);
        write_name(&mut expected, "__abort_handler");
        expected.extend_from_slice(&[0, 3]);
        assert_eq!(renamed, expected);
    }

    #[test]
    fn short_names_are_unique() {
        let names: Vec<String> = (0..3000).map(short_name).collect();
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len());
        assert_eq!(
            (names[0].as_str(), names[51].as_str(), names[52].as_str()),
            ("a", "Z", "aa")
        );
    }
}
