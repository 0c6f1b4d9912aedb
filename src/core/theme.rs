//! Colour rules for the owner's accent: WCAG relative luminance and contrast, and the stylesheet
//! that applies an accent while keeping every text on or in it at AA contrast (4.5:1).
//!
//! An owner picks `data-accent="#ffd400"` because it is their brand colour, not because white text
//! reads on it. So the widget decides the button's text colour (white or near-black, whichever
//! contrasts more), nudges the button fill when even the better one falls short, and derives an
//! "ink" variant of the accent for text on the page background (links, secondary buttons), one
//! per colour scheme. The result is a small stylesheet adopted at mount, never inline style,
//! which a strict CSP would block.

use crate::core::config::{Rgb, Theme};

/// WCAG AA for normal text.
pub const AA_TEXT: f64 = 4.5;

/// White, the default text on an accent fill.
pub const WHITE: Rgb = Rgb {
    r: 0xff,
    g: 0xff,
    b: 0xff,
};

/// The dark text used on light accents; not pure black, which looks harsh next to colour.
pub const NEAR_BLACK: Rgb = Rgb {
    r: 0x11,
    g: 0x14,
    b: 0x18,
};

/// `--kudos-background` of the light theme (styles/tokens.css; a test keeps them equal).
pub const LIGHT_BACKGROUND: Rgb = WHITE;

/// `--kudos-background` of the dark theme (styles/tokens.css; a test keeps them equal).
pub const DARK_BACKGROUND: Rgb = Rgb {
    r: 0x15,
    g: 0x19,
    b: 0x1e,
};

/// The attribute on the host element that selects the colour scheme in CSS
/// (`:host([data-kudos-theme="dark"])`). On the host, so page rules that set `--kudos-*` on the
/// host keep winning over the theme's defaults in every scheme.
pub const THEME_ATTRIBUTE: &str = "data-kudos-theme";

impl Rgb {
    /// `#rrggbb`, lower-case.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }

    /// WCAG 2.x relative luminance, 0 (black) to 1 (white).
    pub fn luminance(self) -> f64 {
        fn linear(channel: u8) -> f64 {
            let v = f64::from(channel) / 255.0;
            if v <= 0.040_45 {
                v / 12.92
            } else {
                pow_2_4((v + 0.055) / 1.055)
            }
        }
        0.2126 * linear(self.r) + 0.7152 * linear(self.g) + 0.0722 * linear(self.b)
    }

    /// Mixes `self` toward `other` by `amount` (0 = self, 1 = other), in sRGB.
    fn mix(self, other: Rgb, amount: f64) -> Rgb {
        // `+ 0.5` then `floor` rounds these non-negative values; `f64::round` would link libm.
        let channel = |a: u8, b: u8| {
            (f64::from(a) + (f64::from(b) - f64::from(a)) * amount + 0.5)
                .floor()
                .clamp(0.0, 255.0) as u8
        };
        Rgb {
            r: channel(self.r, other.r),
            g: channel(self.g, other.g),
            b: channel(self.b, other.b),
        }
    }
}

/// `x^2.4` for `x` in `[0.04, 1]`: `x² · (x²)^(1/5)`, the fifth root by Newton's method.
/// `f64::powf` would link libm's `pow` into the wasm (a few KB against a tight size budget) for
/// the one place that needs it; 30 steps from 1 reach full precision on this range.
fn pow_2_4(x: f64) -> f64 {
    let square = x * x;
    let mut root = 1.0_f64;
    for _ in 0..30 {
        let fourth = root * root * root * root;
        root -= (fourth * root - square) / (5.0 * fourth);
    }
    square * root
}

/// WCAG contrast ratio of two colours, 1 to 21, whatever their order.
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (light, dark) = if la > lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

/// `colour`, darkened (on a light `against`) or lightened (on a dark one) in small steps until it
/// reaches `minimum` contrast with `against`; unchanged when it already does. Small steps keep
/// the hue as close to the owner's as the rule allows.
pub fn with_contrast(colour: Rgb, against: Rgb, minimum: f64) -> Rgb {
    let toward = if against.luminance() > 0.18 {
        Rgb { r: 0, g: 0, b: 0 }
    } else {
        WHITE
    };
    (0..=40)
        .map(|step| colour.mix(toward, f64::from(step) / 40.0))
        .find(|candidate| contrast(*candidate, against) >= minimum)
        .unwrap_or(toward)
}

/// What one accent colour becomes in the widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccentPalette {
    /// The button fill (`--kudos-accent`): the owner's colour, nudged only if no text reads on it.
    pub fill: Rgb,
    /// Text on the fill (`--kudos-accent-text`): white or near-black.
    pub on_fill: Rgb,
    /// The accent as text on the light background (`--kudos-accent-ink`).
    pub ink_light: Rgb,
    /// The accent as text on the dark background.
    pub ink_dark: Rgb,
}

impl AccentPalette {
    /// Derives the palette of `accent`.
    pub fn of(accent: Rgb) -> AccentPalette {
        let on_fill = if contrast(WHITE, accent) >= contrast(NEAR_BLACK, accent) {
            WHITE
        } else {
            NEAR_BLACK
        };
        AccentPalette {
            fill: with_contrast(accent, on_fill, AA_TEXT),
            on_fill,
            ink_light: with_contrast(accent, LIGHT_BACKGROUND, AA_TEXT),
            ink_dark: with_contrast(accent, DARK_BACKGROUND, AA_TEXT),
        }
    }

    /// The stylesheet adopted after tokens.css. It repeats the declarations under the dark-theme
    /// selectors because those carry the dark defaults and are more specific than plain `:host`.
    pub fn stylesheet(&self) -> String {
        let block = |ink: Rgb| {
            format!(
                "{{--kudos-accent:{};--kudos-accent-text:{};--kudos-accent-ink:{}}}",
                self.fill.hex(),
                self.on_fill.hex(),
                ink.hex()
            )
        };
        let light = block(self.ink_light);
        let dark = block(self.ink_dark);
        format!(
            ":host{light}\n:host([{THEME_ATTRIBUTE}=\"dark\"]){dark}\n\
             @media (prefers-color-scheme: dark){{:host([{THEME_ATTRIBUTE}=\"auto\"]){dark}}}\n"
        )
    }
}

impl Theme {
    /// The keyword as written in `data-theme` and as set on [`THEME_ATTRIBUTE`].
    pub fn keyword(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::Auto => "auto",
        }
    }

    /// Parses `light`, `dark` or `auto` (case-insensitive, trimmed), as `setTheme` receives it.
    pub fn from_keyword(value: &str) -> Option<Theme> {
        [Theme::Light, Theme::Dark, Theme::Auto]
            .into_iter()
            .find(|theme| value.trim().eq_ignore_ascii_case(theme.keyword()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rgb(hex: &str) -> Rgb {
        Rgb::parse(hex).unwrap()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 0.01
    }

    #[test]
    fn luminance_matches_the_wcag_reference_points() {
        assert!(close(WHITE.luminance(), 1.0));
        assert!(close(rgb("#000").luminance(), 0.0));
        // Mid grey #777: 0.184 per the WCAG formula.
        assert!(close(rgb("#777777").luminance(), 0.184));
    }

    #[test]
    fn the_power_without_libm_matches_powf() {
        for step in 0..=1000 {
            let x = 0.04 + 0.96 * f64::from(step) / 1000.0;
            assert!((pow_2_4(x) - x.powf(2.4)).abs() < 1e-12, "{x}");
        }
    }

    #[test]
    fn contrast_is_symmetric_and_bounded() {
        assert!(close(contrast(WHITE, rgb("#000")), 21.0));
        assert!(close(contrast(rgb("#000"), WHITE), 21.0));
        assert!(close(contrast(WHITE, WHITE), 1.0));
        // Known pairs: #767676 on white is the classic 4.54:1 AA boundary grey.
        assert!(close(contrast(rgb("#767676"), WHITE), 4.54));
        assert!(close(contrast(rgb("#1f5fbf"), WHITE), 6.09));
    }

    #[test]
    fn dark_accents_get_white_text_and_light_accents_near_black() {
        assert_eq!(AccentPalette::of(rgb("#1f5fbf")).on_fill, WHITE);
        assert_eq!(AccentPalette::of(rgb("#0a6e3c")).on_fill, WHITE);
        assert_eq!(AccentPalette::of(rgb("#ffd400")).on_fill, NEAR_BLACK);
        assert_eq!(AccentPalette::of(rgb("#7fffd4")).on_fill, NEAR_BLACK);
    }

    #[test]
    fn every_accent_keeps_aa_contrast_for_every_text() {
        // A sweep over the colour cube, including the mid tones where neither white nor
        // near-black reaches 4.5:1 without nudging the fill.
        for r in (0..=255).step_by(17) {
            for g in (0..=255).step_by(17) {
                for b in (0..=255).step_by(51) {
                    let accent = Rgb {
                        r: r as u8,
                        g: g as u8,
                        b: b as u8,
                    };
                    let p = AccentPalette::of(accent);
                    let hex = accent.hex();
                    assert!(contrast(p.fill, p.on_fill) >= AA_TEXT, "fill {hex}");
                    assert!(
                        contrast(p.ink_light, LIGHT_BACKGROUND) >= AA_TEXT,
                        "light {hex}"
                    );
                    assert!(
                        contrast(p.ink_dark, DARK_BACKGROUND) >= AA_TEXT,
                        "dark {hex}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_readable_accent_is_left_as_the_owner_chose_it() {
        let p = AccentPalette::of(rgb("#1f5fbf"));
        assert_eq!(p.fill, rgb("#1f5fbf"));
        assert_eq!(p.ink_light, rgb("#1f5fbf"));
        // On the dark background the same blue is too dark to read, so it is lightened.
        assert_ne!(p.ink_dark, rgb("#1f5fbf"));
    }

    #[test]
    fn a_yellow_accent_is_darkened_for_text_on_white() {
        let p = AccentPalette::of(rgb("#ffd400"));
        assert_eq!(p.fill, rgb("#ffd400"));
        assert!(p.ink_light.luminance() < rgb("#ffd400").luminance());
        assert!(contrast(p.ink_light, WHITE) >= AA_TEXT);
    }

    #[test]
    fn the_stylesheet_sets_the_accent_for_each_scheme_without_inline_style() {
        let css = AccentPalette::of(rgb("#ffd400")).stylesheet();
        assert!(css.starts_with(":host{--kudos-accent:#ffd400;--kudos-accent-text:#111418;"));
        assert!(css.contains(":host([data-kudos-theme=\"dark\"]){"));
        assert!(
            css.contains("@media (prefers-color-scheme: dark){:host([data-kudos-theme=\"auto\"]){")
        );
    }

    #[test]
    fn theme_keywords_round_trip() {
        for theme in [Theme::Light, Theme::Dark, Theme::Auto] {
            assert_eq!(Theme::from_keyword(theme.keyword()), Some(theme));
        }
        assert_eq!(Theme::from_keyword(" DARK "), Some(Theme::Dark));
        assert_eq!(Theme::from_keyword("sepia"), None);
    }

    #[test]
    fn tokens_css_uses_the_backgrounds_the_contrast_rules_assume() {
        let tokens = include_str!("../../styles/tokens.css");
        assert!(tokens.contains(&format!("--kudos-background: {};", LIGHT_BACKGROUND.hex())));
        assert!(tokens.contains(&format!("--kudos-background: {};", DARK_BACKGROUND.hex())));
    }

    #[test]
    fn default_palettes_in_tokens_css_meet_aa() {
        // The dark defaults of tokens.css, checked here so an edit there cannot slip below AA.
        let dark_text = [
            ("text", "#e8ecf1"),
            ("muted", "#aab4bf"),
            ("error", "#ff8a80"),
            ("accent-ink", "#8ab4f8"),
        ];
        for (name, hex) in dark_text {
            assert!(
                contrast(rgb(hex), DARK_BACKGROUND) >= AA_TEXT,
                "dark {name} {hex}"
            );
        }
        assert!(contrast(rgb("#8ab4f8"), rgb("#0b1a33")) >= AA_TEXT);
        assert!(contrast(rgb("#4e5966"), WHITE) >= AA_TEXT);
    }
}
