//! [`join`], the widget's one way of joining strings. (Unicode lower case, which lived here, is
//! the platform's: core::platform.)

/// `parts` with `separator` between them, like `[S]::join`.
///
/// Size: the standard `join` is a 1.2 KB routine per element type (`String` and `&str` both
/// appeared); this loop is a tenth of that (measured in docs/size-log.md).
pub fn join<S: AsRef<str>>(parts: &[S], separator: &str) -> String {
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(part.as_ref());
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn join_is_the_standard_join() {
        for parts in [vec![], vec!["a"], vec!["a", "", "b c"]] {
            assert_eq!(super::join(&parts, ", "), parts.join(", "));
            let owned: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
            assert_eq!(super::join(&owned, " \u{b7} "), owned.join(" \u{b7} "));
        }
    }
}
