//! Native tests of the build-time CSS minifier (build/css_min.rs): it must only drop what CSS
//! ignores, so the adopted stylesheets mean exactly what styles/*.css says.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../build/css_min.rs"]
mod css_min;

use css_min::minify_css;

/// `css` with comments, every whitespace byte and each `;` before a `}` removed, strings kept:
/// equal for two stylesheets exactly when they differ only in what the minifier may drop.
fn squeeze(css: &str) -> String {
    let mut out = String::new();
    let mut chars = css.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            '"' | '\'' => {
                out.push(c);
                while let Some(s) = chars.next() {
                    out.push(s);
                    if s == '\\' {
                        out.extend(chars.next());
                    } else if s == c {
                        break;
                    }
                }
            }
            c if c.is_ascii_whitespace() => {}
            '}' => {
                if out.ends_with(';') {
                    out.pop();
                }
                out.push('}');
            }
            c => out.push(c),
        }
    }
    out
}

#[test]
fn the_widget_stylesheets_keep_every_rule() {
    for css in [
        include_str!("../styles/tokens.css"),
        include_str!("../styles/widget.css"),
    ] {
        let min = minify_css(css);
        assert_eq!(squeeze(&min), squeeze(css));
        assert!(!min.contains("/*") && !min.contains('\n'), "{min}");
        assert!(
            min.len() < css.len() * 4 / 5,
            "{} of {}",
            min.len(),
            css.len()
        );
    }
}

#[test]
fn spaces_that_carry_meaning_stay() {
    assert_eq!(
        minify_css(".a .b  >  .c :hover { gap: calc(var(--x) + 2px) ; }"),
        ".a .b > .c :hover{gap: calc(var(--x) + 2px)}"
    );
    assert_eq!(
        minify_css("a,\n  b { margin: 0 0 1em; }\n\n@media (x: y) {\n  c { d: e; }\n}\n"),
        "a,b{margin: 0 0 1em}@media (x: y){c{d: e}}"
    );
}

#[test]
fn strings_and_comments() {
    assert_eq!(
        minify_css("a::before { content: \"\\2713\\a0  /* not a comment */ \\\" x\"; }"),
        "a::before{content: \"\\2713\\a0  /* not a comment */ \\\" x\"}"
    );
    assert_eq!(minify_css("a/* gone */b { x: 'y  z' }"), "a b{x: 'y  z'}");
    assert_eq!(minify_css("/* only */"), "");
}
