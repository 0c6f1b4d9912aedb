//! Strict-CSP guard for the release build: the JavaScript a host page runs must not need
//! `'unsafe-eval'`.
//!
//! Site owners with `script-src 'self' 'wasm-unsafe-eval'` (README, "Strict Content Security
//! Policy") cannot allow `eval`. wasm-bindgen's glue has none today, but a new crate or a new
//! wasm-bindgen feature could bring one in, and the page would then break only on strict-CSP sites,
//! where nobody on the team looks. So the release layer reads the built files and fails on any
//! call that compiles text into code.

use std::fs;

use crate::{sizes, Ctx, Result};

/// Calls that compile a string into code; each is blocked by a CSP without `'unsafe-eval'`.
const FORBIDDEN: [&str; 3] = ["eval(", "Function(", "setTimeout(\""];

/// Where in `source` a forbidden call appears, as `(call, line number)`. A match counts only at
/// the start of an identifier (`eval(`, not `retrieval(`); `window.eval(` counts, as do
/// `new Function(` and a bare `Function(`.
pub fn forbidden_calls(source: &str) -> Vec<(&'static str, usize)> {
    let mut found = Vec::new();
    for (number, line) in source.lines().enumerate() {
        for call in FORBIDDEN {
            let mut from = 0;
            while let Some(at) = line[from..].find(call) {
                let start = from + at;
                let before = line[..start].chars().next_back();
                // Right after a quote it is text, not a call: wasm-bindgen's debug formatting
                // writes `Function(${name})` in a template literal.
                let identifier_start = !matches!(before, Some(c)
                    if c.is_alphanumeric() || matches!(c, '_' | '$' | '\'' | '"' | '`'));
                if identifier_start {
                    found.push((call, number + 1));
                }
                from = start + call.len();
            }
        }
    }
    found
}

/// Fails when the loader or the glue in dist/ contains a forbidden call.
pub fn check_no_eval(ctx: &Ctx) -> Result<()> {
    let mut problems = Vec::new();
    for rel in [sizes::LOADER, sizes::GLUE] {
        let source = fs::read_to_string(ctx.at(rel))?;
        for (call, line) in forbidden_calls(&source) {
            problems.push(format!(
                "{rel}:{line}: `{call}…` needs 'unsafe-eval' under a CSP"
            ));
        }
    }
    if problems.is_empty() {
        println!(
            "strict CSP: no eval or Function() in {} and {}",
            sizes::LOADER,
            sizes::GLUE
        );
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_eval_and_function_constructors() {
        let source = "let a = 1;\nconst f = new Function('return 1');\nwindow.eval(x); eval(y)\n";
        assert_eq!(
            forbidden_calls(source),
            vec![("Function(", 2), ("eval(", 3), ("eval(", 3)]
        );
    }

    #[test]
    fn ignores_words_that_merely_contain_eval() {
        let source = "retrieval(x); medieval(y); typeof Function; my_Function(1); $eval(2)";
        assert_eq!(forbidden_calls(source), vec![]);
    }

    #[test]
    fn ignores_the_words_inside_strings() {
        let source = "return `Function(${val.name})`; const s = 'eval(';";
        assert_eq!(forbidden_calls(source), vec![]);
    }

    #[test]
    fn finds_string_timers() {
        assert_eq!(
            forbidden_calls("setTimeout(\"go()\", 1)"),
            vec![("setTimeout(\"", 1)]
        );
        assert_eq!(forbidden_calls("setTimeout(() => go(), 1)"), vec![]);
    }
}
