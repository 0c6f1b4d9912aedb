//! The staff roster: who works here, and finding them from what a visitor remembers.
//!
//! A visitor types "kris", "Zoe" or "chris" and expects Christine (nickname Kris) or Zoé. Matching
//! folds case and accents and looks at names, each word of a name, and nicknames. Accents are
//! folded without Unicode tables in the wasm: the platform (core::platform) lower-cases and
//! decomposes text (the browser's `toLowerCase` and `normalize("NFD")`) and the core drops the
//! combining marks that follow.

use crate::core::platform::Platform;
use crate::core::sorted::sort_small_by;

/// The most suggestions shown at once: enough to find someone, few enough to scan.
pub const MAX_SUGGESTIONS: usize = 6;

/// One person a visitor may thank.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub struct StaffMember {
    /// The owner's id for this person, sent with the praise.
    pub id: String,
    /// The name shown to visitors.
    #[cfg_attr(test, serde(alias = "display_name"))]
    pub name: String,
    /// Their role ("Cashier"), shown on suggestions and the wall.
    #[cfg_attr(test, serde(default))]
    pub role: Option<String>,
    /// Where they work, used to prefill the location.
    #[cfg_attr(test, serde(default))]
    pub location: Option<String>,
    /// Other names visitors know them by.
    #[cfg_attr(test, serde(default))]
    pub nicknames: Vec<String>,
}

/// Everyone a visitor may thank.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    members: Vec<StaffMember>,
}

/// How well a member matches a query; lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    /// The query is a whole name or nickname.
    Exact,
    /// The query starts the name or a nickname.
    Prefix,
    /// The query starts a later word of the name ("roy" for "Christine Roy").
    WordPrefix,
    /// The query is inside the name.
    Inside,
}

impl Roster {
    /// A roster of `members`; entries without an id or a name are dropped.
    pub fn new(members: Vec<StaffMember>) -> Self {
        Roster {
            members: members
                .into_iter()
                .filter(|m| !m.id.trim().is_empty() && !m.name.trim().is_empty())
                .collect(),
        }
    }

    /// Everyone on the roster, in the owner's order.
    pub fn members(&self) -> &[StaffMember] {
        &self.members
    }

    /// True when there is nobody to suggest.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The member with `id`.
    pub fn by_id(&self, id: &str) -> Option<&StaffMember> {
        self.members.iter().find(|m| m.id == id)
    }

    /// The distinct locations named in the roster, in first-seen order.
    pub fn locations(&self) -> Vec<String> {
        let mut locations: Vec<String> = Vec::new();
        for location in self.members.iter().filter_map(|m| m.location.as_deref()) {
            let location = location.trim();
            if !location.is_empty() && !locations.iter().any(|l| l == location) {
                locations.push(location.to_owned());
            }
        }
        locations
    }

    /// The best matches for what the visitor typed, best first, at most [`MAX_SUGGESTIONS`].
    ///
    /// Case and accents are folded through `platform`.
    pub fn suggest(&self, query: &str, platform: &dyn Platform) -> Vec<&StaffMember> {
        let query = fold(query, platform);
        if query.is_empty() {
            return Vec::new();
        }
        let mut ranked: Vec<(Rank, usize, &StaffMember)> = self
            .members
            .iter()
            .enumerate()
            .filter_map(|(order, member)| {
                rank(member, &query, platform).map(|rank| (rank, order, member))
            })
            .collect();
        sort_small_by(&mut ranked, |a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        ranked
            .into_iter()
            .take(MAX_SUGGESTIONS)
            .map(|(_, _, member)| member)
            .collect()
    }
}

fn rank(member: &StaffMember, query: &str, platform: &dyn Platform) -> Option<Rank> {
    let name = fold(&member.name, platform);
    let nicknames: Vec<String> = member.nicknames.iter().map(|n| fold(n, platform)).collect();
    let whole = std::iter::once(&name).chain(&nicknames);
    if whole.clone().any(|n| n == query) {
        return Some(Rank::Exact);
    }
    if whole.clone().any(|n| n.starts_with(query)) {
        return Some(Rank::Prefix);
    }
    if name.split(' ').skip(1).any(|word| word.starts_with(query)) {
        return Some(Rank::WordPrefix);
    }
    whole
        .clone()
        .any(|n| n.contains(query))
        .then_some(Rank::Inside)
}

/// Lower-cases, drops combining marks (accents, after NFD) and collapses spaces, so "  ZOÉ  Roy"
/// and "zoe roy" compare equal.
pub fn fold(text: &str, platform: &dyn Platform) -> String {
    let decomposed = platform.lowercase(&platform.nfd(text));
    let letters: String = decomposed
        .chars()
        .filter(|c| !is_combining_mark(*c))
        .collect();
    crate::core::text::join(&letters.split_whitespace().collect::<Vec<_>>(), " ")
}

/// The combining-mark blocks that NFD produces for Latin, Greek and Cyrillic accents.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::json::Json;
    use crate::core::platform::tests::NATIVE;

    fn member(id: &str, name: &str, nicknames: &[&str]) -> StaffMember {
        StaffMember {
            id: id.into(),
            name: name.into(),
            role: None,
            location: None,
            nicknames: nicknames.iter().map(|n| n.to_string()).collect(),
        }
    }

    fn roster() -> Roster {
        Roster::new(vec![
            member("c1", "Christine Roy", &["Kris"]),
            member("z1", "Zoé Lefebvre", &[]),
            member("k1", "Kristof Nagy", &[]),
            member("m1", "Marc-André Côté", &["Marco"]),
        ])
    }

    fn ids(query: &str) -> Vec<String> {
        roster()
            .suggest(query, NATIVE)
            .into_iter()
            .map(|m| m.id.clone())
            .collect()
    }

    #[test]
    fn case_and_accents_are_folded() {
        assert_eq!(ids("zoe"), ["z1"]);
        assert_eq!(ids("ZOÉ"), ["z1"]);
        assert_eq!(ids("cote"), ["m1"]);
    }

    #[test]
    fn folding_drops_case_accents_and_extra_spaces() {
        assert_eq!(fold("  ZOÉ  Côté ", NATIVE), "zoe cote");
        assert_eq!(fold("Ὀδυσσεύς", NATIVE), "οδυσσευς");
    }

    #[test]
    fn nicknames_find_the_person() {
        // "Kris" is Christine's nickname, and an exact match ranks first; Kristof starts with it.
        assert_eq!(ids("kris"), ["c1", "k1"]);
        assert_eq!(ids("marco"), ["m1"]);
    }

    #[test]
    fn later_words_of_a_name_match_by_prefix() {
        assert_eq!(ids("roy"), ["c1"]);
        assert_eq!(ids("lef"), ["z1"]);
    }

    #[test]
    fn inner_matches_come_last() {
        assert_eq!(ids("ist"), ["c1", "k1"]);
    }

    #[test]
    fn empty_query_suggests_nobody() {
        assert!(ids("  ").is_empty());
    }

    #[test]
    fn suggestions_are_capped() {
        let many = Roster::new(
            (0..20)
                .map(|i| member(&format!("s{i}"), &format!("Sam {i}"), &[]))
                .collect(),
        );
        assert_eq!(many.suggest("sam", NATIVE).len(), MAX_SUGGESTIONS);
    }

    #[test]
    fn members_without_id_or_name_are_dropped() {
        let roster = Roster::new(vec![member("", "Ana", &[]), member("b", " ", &[])]);
        assert!(roster.is_empty());
    }

    /// The roster read by the hand-written reader, checked against serde's derived reader.
    fn read(text: &str) -> Option<Vec<StaffMember>> {
        let ours = Json::parse(text)
            .ok()
            .and_then(|json| StaffMember::list_from_json(&json));
        let serde = serde_json::from_str::<Vec<StaffMember>>(text).ok();
        assert_eq!(ours, serde, "{text}");
        ours
    }

    #[test]
    fn roster_json_accepts_display_name_and_optional_fields() {
        let staff = read(
            r#"[{"id":"c1","display_name":"Christine Roy","role":"Cashier","location":"Larch Street","nicknames":["Kris"]},
                {"id":"d2","name":"Dev Patel","extra":{"x":[1]}}, {"id":"e3","name":"Eve","role":null}]"#,
        )
        .unwrap();
        let roster = Roster::new(staff);
        assert_eq!(roster.by_id("c1").unwrap().name, "Christine Roy");
        assert_eq!(roster.by_id("d2").unwrap().role, None);
        assert_eq!(roster.locations(), ["Larch Street"]);
    }

    #[test]
    fn a_roster_with_one_bad_entry_is_refused_whole_as_before() {
        for text in [
            r#"[{"id":"c1"}]"#,
            r#"[{"name":"Ana"}]"#,
            r#"[{"id":1,"name":"Ana"}]"#,
            r#"[{"id":"a","name":"Ana","role":3}]"#,
            r#"[{"id":"a","name":"Ana","nicknames":null}]"#,
            r#"[{"id":"a","name":"Ana","nicknames":["x",1]}]"#,
            r#"[{"id":"a","name":"Ana"}, 7]"#,
            r#"{"id":"a","name":"Ana"}"#,
            r#""a""#,
        ] {
            assert_eq!(read(text), None, "{text}");
        }
        assert_eq!(read("[]"), Some(vec![]));
    }
}
