//! A small JSON reader and writer for the widget's own wire shapes, in place of serde and
//! serde_json.
//!
//! Why hand-written: serde's derived visitors, serde_json's generic parser and the float parsing
//! and formatting its error messages pull in were about 15 % of the wasm's code (docs/size-log.md).
//! The widget reads and writes a handful of flat shapes, so one non-generic parser into [`Json`]
//! plus a lenient reader per type is enough.
//!
//! - Reading: [`Json::parse`] accepts exactly RFC 8259 JSON (nothing before or after the value but
//!   whitespace, no trailing commas, no lone surrogates) nested at most [`MAX_DEPTH`] deep.
//!   Numbers are kept as their source text: the widget only needs whole numbers, read with
//!   [`Json::as_u64`], so no float parsing is compiled in.
//! - Writing: [`write_str`] escapes strings exactly as serde_json does (`\"`, `\\`, `\b`, `\f`,
//!   `\n`, `\r`, `\t`, other control characters as `\u00xx`, everything else as is), and
//!   [`Object`] writes an object's members in the order given, so each type's writer produces
//!   the bytes serde_json produced before (the tests prove it against serde_json).
//! - The writer cannot produce invalid JSON: [`object`] and [`array`] (and their nested
//!   `object`/`array` members and items) take a closure and close the container when it returns,
//!   every key and string is escaped, numbers are `u64`, and text written verbatim must be a
//!   [`Raw`] (a value's source text from the reader, or checked). No raw buffer is handed out.

use std::fmt;

/// How deeply arrays and objects may nest, as serde_json's default recursion limit: no shape the
/// widget reads comes near it, and a hostile document cannot exhaust the stack.
pub const MAX_DEPTH: usize = 128;

/// A parsed JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as its (valid) source text, e.g. `12`, `-0.5e3`.
    Number(String),
    /// A string, escapes resolved.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object's members in source order (duplicates kept; [`Json::get`] takes the last, as
    /// `JSON.parse` does).
    Object(Vec<(String, Json)>),
}

/// Why a text is not JSON, and the byte offset where that was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonError {
    /// What went wrong.
    pub kind: JsonErrorKind,
    /// Byte offset into the text.
    pub at: usize,
}

/// What went wrong while parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonErrorKind {
    /// The text ended inside a value.
    UnexpectedEnd,
    /// A character that cannot start or continue a value here.
    Unexpected,
    /// A bad escape in a string (unknown letter, bad hex, lone surrogate).
    BadEscape,
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// Something other than whitespace after the value.
    TrailingText,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            JsonErrorKind::UnexpectedEnd => "unexpected end",
            JsonErrorKind::Unexpected => "unexpected character",
            JsonErrorKind::BadEscape => "bad escape",
            JsonErrorKind::TooDeep => "nested too deeply",
            JsonErrorKind::TrailingText => "text after the value",
        };
        write!(f, "not JSON: {what} at byte {}", self.at)
    }
}

impl Json {
    /// Parses `text`, which must hold exactly one JSON value (whitespace around it is fine).
    pub fn parse(text: &str) -> Result<Json, JsonError> {
        let mut parser = Parser::new(text);
        let value = parser.value(0)?;
        parser.end()?;
        Ok(value)
    }

    /// The member `key` of an object (the last one, if repeated); `None` for other values.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(text) => Some(text),
            _ => None,
        }
    }

    /// The value of `true`/`false`.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(value) => Some(*value),
            _ => None,
        }
    }

    /// A number that is a whole number from 0 to `u64::MAX`, written without fraction or
    /// exponent (as the widget and serde_json write them).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// As [`Json::as_u64`], for numbers that must fit a `u32`.
    pub fn as_u32(&self) -> Option<u32> {
        self.as_u64().and_then(|n| u32::try_from(n).ok())
    }

    /// The items of an array.
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members of an object, in source order.
    pub fn as_object(&self) -> Option<&[(String, Json)]> {
        match self {
            Json::Object(members) => Some(members),
            _ => None,
        }
    }

    /// An owned copy of a string.
    pub fn to_string_value(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }

    /// An array of strings (every item must be one).
    pub fn to_strings(&self) -> Option<Vec<String>> {
        self.as_array()?.iter().map(Json::to_string_value).collect()
    }
}

/// Reads the member `key` of `object` with `read` when it is present; `Some(None)` when it is
/// absent or `null` (how serde reads an `Option` field with `default`), `None` when it has the
/// wrong type.
pub fn optional<T>(
    object: &Json,
    key: &str,
    read: impl Fn(&Json) -> Option<T>,
) -> Option<Option<T>> {
    match object.get(key) {
        None | Some(Json::Null) => Some(None),
        Some(value) => read(value).map(Some),
    }
}

/// An optional string member: absent or `null` is `None`; any other non-string fails the read.
pub fn optional_string(object: &Json, key: &str) -> Option<Option<String>> {
    optional(object, key, Json::to_string_value)
}

/// A list-of-strings member that defaults to empty when absent (as serde's `default` on a `Vec`:
/// `null` or another type fails the read).
pub fn default_strings(object: &Json, key: &str) -> Option<Vec<String>> {
    match object.get(key) {
        None => Some(Vec::new()),
        Some(value) => value.to_strings(),
    }
}

/// Parses a JSON array and returns each item with its exact source text, for a store that keeps
/// items as written (the demo store) but also reads them.
pub fn parse_array_items(text: &str) -> Result<Vec<(&str, Json)>, JsonError> {
    let mut parser = Parser::new(text);
    parser.skip_whitespace();
    parser.expect(b'[')?;
    let mut items = Vec::new();
    parser.skip_whitespace();
    if parser.peek() == Some(b']') {
        parser.pos += 1;
    } else {
        loop {
            parser.skip_whitespace();
            let start = parser.pos;
            let item = parser.value(1)?;
            items.push((&text[start..parser.pos], item));
            parser.skip_whitespace();
            match parser.next_byte()? {
                b',' => {}
                b']' => break,
                _ => return Err(parser.error_before(JsonErrorKind::Unexpected)),
            }
        }
    }
    parser.end()?;
    Ok(items)
}

/// A document read piece by piece, for a caller that spreads a long array over several tasks
/// (the wall feed, core::wall): the containers are opened and closed by hand, each value between
/// them is parsed whole. Errors are those of [`Json::parse`] at the same place.
pub struct Pieces<'a> {
    parser: Parser<'a>,
}

impl<'a> Pieces<'a> {
    /// Starts before the first value of `text`.
    pub fn new(text: &'a str) -> Self {
        Pieces {
            parser: Parser::new(text),
        }
    }

    /// The first byte of the next value (after whitespace), not consumed.
    pub fn peek(&mut self) -> Option<u8> {
        self.parser.skip_whitespace();
        self.parser.peek()
    }

    /// Consumes `open` (`[` or `{`) after whitespace.
    pub fn open(&mut self, open: u8) -> Result<(), JsonError> {
        self.parser.skip_whitespace();
        self.parser.expect(open)
    }

    /// In a container just opened (`first`) or after one of its items: true when another item
    /// follows (its separating comma consumed), false when the container closes with `close`.
    pub fn more(&mut self, close: u8, first: bool) -> Result<bool, JsonError> {
        let parser = &mut self.parser;
        parser.skip_whitespace();
        if first {
            if parser.peek() == Some(close) {
                parser.pos += 1;
                return Ok(false);
            }
            return Ok(true);
        }
        match parser.next_byte()? {
            b',' => Ok(true),
            byte if byte == close => Ok(false),
            _ => Err(parser.error_before(JsonErrorKind::Unexpected)),
        }
    }

    /// An object member's key and its colon.
    pub fn key(&mut self) -> Result<String, JsonError> {
        self.parser.skip_whitespace();
        if self.parser.peek().is_none() {
            return Err(self.parser.error(JsonErrorKind::UnexpectedEnd));
        }
        let key = self.parser.string()?;
        self.parser.skip_whitespace();
        self.parser.expect(b':')?;
        Ok(key)
    }

    /// One whole value, `depth` containers deep.
    pub fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.parser.value(depth)
    }

    /// The same, with its exact source text (for a store that writes back what it could not
    /// read, unchanged).
    pub fn value_with_text(&mut self, depth: usize) -> Result<(Raw<'a>, Json), JsonError> {
        self.parser.skip_whitespace();
        let start = self.parser.pos;
        let value = self.parser.value(depth)?;
        Ok((Raw(&self.parser.text[start..self.parser.pos]), value))
    }

    /// Only whitespace may follow.
    pub fn end(&mut self) -> Result<(), JsonError> {
        self.parser.end()
    }
}

/// The items of the array under `key` in the object `text` (`{"entries": [...]}`), each with its
/// exact source text; other members are skipped (the last `key` wins, as in [`Json::get`]).
pub fn member_array_items<'a>(text: &'a str, key: &str) -> Result<Vec<(&'a str, Json)>, JsonError> {
    let mut json = Pieces::new(text);
    json.open(b'{')?;
    let mut items = None;
    let mut first = true;
    while json.more(b'}', first)? {
        first = false;
        if json.key()? == key && json.peek() == Some(b'[') {
            json.open(b'[')?;
            let mut found = Vec::new();
            let mut first_item = true;
            while json.more(b']', first_item)? {
                first_item = false;
                let (text, value) = json.value_with_text(2)?;
                found.push((text.as_str(), value));
            }
            items = Some(found);
        } else {
            json.value(1)?;
        }
    }
    json.end()?;
    items.ok_or(JsonError {
        kind: JsonErrorKind::Unexpected,
        at: 0,
    })
}

/// A stored text no reader could make sense of, as one JSON string item: written into the array
/// it came from, nothing is lost, and it reads as one unreadable item from then on.
pub fn kept_whole(text: &str) -> String {
    let mut out = String::new();
    write_str(&mut out, text);
    out
}

/// A recursive-descent parser over the bytes of a `&str` (so already valid UTF-8: string
/// contents are copied in runs, never decoded by hand).
struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Parser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn error(&self, kind: JsonErrorKind) -> JsonError {
        JsonError { kind, at: self.pos }
    }

    /// An error about the byte just consumed.
    fn error_before(&self, kind: JsonErrorKind) -> JsonError {
        JsonError {
            kind,
            at: self.pos.saturating_sub(1),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn next_byte(&mut self) -> Result<u8, JsonError> {
        let byte = self
            .peek()
            .ok_or_else(|| self.error(JsonErrorKind::UnexpectedEnd))?;
        self.pos += 1;
        Ok(byte)
    }

    fn expect(&mut self, wanted: u8) -> Result<(), JsonError> {
        match self.next_byte()? {
            byte if byte == wanted => Ok(()),
            _ => Err(self.error_before(JsonErrorKind::Unexpected)),
        }
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Only whitespace may follow the value.
    fn end(&mut self) -> Result<(), JsonError> {
        self.skip_whitespace();
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error(JsonErrorKind::TrailingText)),
        }
    }

    /// One value, after optional whitespace; `depth` counts the arrays and objects around it.
    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.skip_whitespace();
        match self.peek() {
            None => Err(self.error(JsonErrorKind::UnexpectedEnd)),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[') => self.array(depth + 1),
            Some(b'{') => self.object(depth + 1),
            Some(_) => Err(self.error(JsonErrorKind::Unexpected)),
        }
    }

    fn literal(&mut self, word: &str, value: Json) -> Result<Json, JsonError> {
        for &wanted in word.as_bytes() {
            self.expect(wanted)?;
        }
        Ok(value)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, kept as text.
    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            Some(_) => return Err(self.error(JsonErrorKind::Unexpected)),
            None => return Err(self.error(JsonErrorKind::UnexpectedEnd)),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.fraction_error());
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.fraction_error());
            }
        }
        Ok(Json::Number(self.text[start..self.pos].to_owned()))
    }

    /// A fraction or exponent without digits: at the end of the text, or before something else.
    fn fraction_error(&self) -> JsonError {
        match self.peek() {
            None => self.error(JsonErrorKind::UnexpectedEnd),
            Some(_) => self.error(JsonErrorKind::Unexpected),
        }
    }

    /// A string, from its opening quote; escapes resolved.
    fn string(&mut self) -> Result<String, JsonError> {
        self.expect(b'"')?;
        let mut out = String::new();
        let mut run = self.pos;
        loop {
            match self.next_byte()? {
                b'"' => {
                    out.push_str(&self.text[run..self.pos - 1]);
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(&self.text[run..self.pos - 1]);
                    self.escape(&mut out)?;
                    run = self.pos;
                }
                0x00..=0x1f => return Err(self.error_before(JsonErrorKind::Unexpected)),
                // Other bytes (including every byte of a multi-byte character) are copied as a run.
                _ => {}
            }
        }
    }

    /// One escape, after its backslash.
    fn escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let decoded = match self.next_byte()? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => self.unicode_escape()?,
            _ => return Err(self.error_before(JsonErrorKind::BadEscape)),
        };
        out.push(decoded);
        Ok(())
    }

    /// The character of a `\uXXXX` escape (after the `u`), joining a surrogate pair written as
    /// two escapes; a lone surrogate is refused, as serde_json does.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let first = self.hex4()?;
        let code = match first {
            0xd800..=0xdbff => {
                if self.next_byte()? != b'\\' || self.next_byte()? != b'u' {
                    return Err(self.error_before(JsonErrorKind::BadEscape));
                }
                let second = self.hex4()?;
                if !(0xdc00..=0xdfff).contains(&second) {
                    return Err(self.error_before(JsonErrorKind::BadEscape));
                }
                0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00)
            }
            0xdc00..=0xdfff => return Err(self.error_before(JsonErrorKind::BadEscape)),
            _ => first,
        };
        char::from_u32(code).ok_or_else(|| self.error_before(JsonErrorKind::BadEscape))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = match self.next_byte()? {
                byte @ b'0'..=b'9' => byte - b'0',
                byte @ b'a'..=b'f' => byte - b'a' + 10,
                byte @ b'A'..=b'F' => byte - b'A' + 10,
                _ => return Err(self.error_before(JsonErrorKind::BadEscape)),
            };
            code = code * 16 + u32::from(digit);
        }
        Ok(code)
    }

    fn array(&mut self, depth: usize) -> Result<Json, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.error(JsonErrorKind::TooDeep));
        }
        self.expect(b'[')?;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value(depth)?);
            self.skip_whitespace();
            match self.next_byte()? {
                b',' => {}
                b']' => return Ok(Json::Array(items)),
                _ => return Err(self.error_before(JsonErrorKind::Unexpected)),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.error(JsonErrorKind::TooDeep));
        }
        self.expect(b'{')?;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Json::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek().is_none() {
                return Err(self.error(JsonErrorKind::UnexpectedEnd));
            }
            let key = self.string()?;
            self.skip_whitespace();
            self.expect(b':')?;
            members.push((key, self.value(depth)?));
            self.skip_whitespace();
            match self.next_byte()? {
                b',' => {}
                b'}' => return Ok(Json::Object(members)),
                _ => return Err(self.error_before(JsonErrorKind::Unexpected)),
            }
        }
    }
}

/// Appends `text` as a JSON string, escaped byte for byte as serde_json escapes it.
fn write_str(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut run = 0;
    for (i, byte) in text.bytes().enumerate() {
        let short = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x0c => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x00..=0x1f => "",
            _ => continue,
        };
        // Only ASCII bytes are escaped, so `i` is always a character boundary.
        out.push_str(&text[run..i]);
        run = i + 1;
        if short.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        } else {
            out.push_str(short);
        }
    }
    out.push_str(&text[run..]);
    out.push('"');
}

/// The source text of one JSON value, known to be valid: read by the parser
/// ([`Pieces::value_with_text`]) or checked by [`Raw::check`]. The writers take no other
/// unescaped text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Raw<'a>(&'a str);

impl<'a> Raw<'a> {
    /// `text` when it is one JSON value (whitespace around it allowed).
    pub fn check(text: &'a str) -> Option<Raw<'a>> {
        Json::parse(text).ok().map(|_| Raw(text))
    }

    /// The text.
    pub fn as_str(self) -> &'a str {
        self.0
    }
}

/// One JSON object, written by `write`: it adds the members, and the object is closed when it
/// returns. Keys and strings are escaped, nested containers are closed the same way and verbatim
/// text must be a [`Raw`], so the result is always one valid JSON object.
pub fn object(write: impl FnOnce(&mut Object)) -> String {
    let mut out = String::new();
    Object::write(&mut out, write);
    out
}

/// One JSON array, written by `write` the same way as [`object`].
pub fn array(write: impl FnOnce(&mut Array)) -> String {
    let mut out = String::new();
    Array::write(&mut out, write);
    out
}

/// The object being written by [`object`] (or nested in another container): members in the
/// order called.
pub struct Object<'a> {
    out: &'a mut String,
    empty: bool,
}

impl Object<'_> {
    fn write(out: &mut String, write: impl FnOnce(&mut Object)) {
        out.push('{');
        write(&mut Object {
            out: &mut *out,
            empty: true,
        });
        out.push('}');
    }

    /// Writes `"key":`; the caller writes exactly one value next.
    fn key(&mut self, key: &str) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        write_str(self.out, key);
        self.out.push(':');
        self.out
    }

    /// A string member.
    pub fn str(&mut self, key: &str, value: &str) -> &mut Self {
        write_str(self.key(key), value);
        self
    }

    /// A string member, left out when `None` (serde's `skip_serializing_if = "Option::is_none"`).
    pub fn opt_str(&mut self, key: &str, value: Option<&str>) -> &mut Self {
        if let Some(value) = value {
            self.str(key, value);
        }
        self
    }

    /// A whole-number member.
    pub fn num(&mut self, key: &str, value: u64) -> &mut Self {
        // `Display` of an integer is plain digits, as serde_json (itoa) writes it.
        self.key(key).push_str(&value.to_string());
        self
    }

    /// A boolean member.
    pub fn bool(&mut self, key: &str, value: bool) -> &mut Self {
        self.key(key).push_str(if value { "true" } else { "false" });
        self
    }

    /// An array-of-strings member.
    pub fn strs<S: AsRef<str>>(&mut self, key: &str, items: &[S]) -> &mut Self {
        self.array(key, |array| {
            for item in items {
                array.str(item.as_ref());
            }
        })
    }

    /// An object member, written by `write`.
    pub fn object(&mut self, key: &str, write: impl FnOnce(&mut Object)) -> &mut Self {
        Object::write(self.key(key), write);
        self
    }

    /// An array member, written by `write`.
    pub fn array(&mut self, key: &str, write: impl FnOnce(&mut Array)) -> &mut Self {
        Array::write(self.key(key), write);
        self
    }

    /// A member whose value is written as it was read.
    pub fn raw(&mut self, key: &str, value: Raw<'_>) -> &mut Self {
        self.key(key).push_str(value.0);
        self
    }
}

/// The array being written by [`array`] (or nested in another container): items in the order
/// called.
pub struct Array<'a> {
    out: &'a mut String,
    empty: bool,
}

impl Array<'_> {
    fn write(out: &mut String, write: impl FnOnce(&mut Array)) {
        out.push('[');
        write(&mut Array {
            out: &mut *out,
            empty: true,
        });
        out.push(']');
    }

    /// Writes the separator; the caller writes exactly one value next.
    fn item(&mut self) -> &mut String {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        self.out
    }

    /// A string item.
    pub fn str(&mut self, value: &str) -> &mut Self {
        write_str(self.item(), value);
        self
    }

    /// A whole-number item.
    pub fn num(&mut self, value: u64) -> &mut Self {
        self.item().push_str(&value.to_string());
        self
    }

    /// An object item, written by `write`.
    pub fn object(&mut self, write: impl FnOnce(&mut Object)) -> &mut Self {
        Object::write(self.item(), write);
        self
    }

    /// An array item, written by `write`.
    pub fn array(&mut self, write: impl FnOnce(&mut Array)) -> &mut Self {
        Array::write(self.item(), write);
        self
    }

    /// An item written as it was read.
    pub fn raw(&mut self, value: Raw<'_>) -> &mut Self {
        self.item().push_str(value.0);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Json {
        Json::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn kind(text: &str) -> JsonErrorKind {
        Json::parse(text).unwrap_err().kind
    }

    #[test]
    fn reads_every_kind_of_value() {
        assert_eq!(parse(" null "), Json::Null);
        assert_eq!(parse("true"), Json::Bool(true));
        assert_eq!(parse("false"), Json::Bool(false));
        assert_eq!(parse("-12.5e+3"), Json::Number("-12.5e+3".into()));
        assert_eq!(parse("0"), Json::Number("0".into()));
        assert_eq!(parse(r#""a\"b""#), Json::String("a\"b".into()));
        assert_eq!(
            parse(r#"{"a":[1,{"b":null}],"c":"d"}"#),
            Json::Object(vec![
                (
                    "a".into(),
                    Json::Array(vec![
                        Json::Number("1".into()),
                        Json::Object(vec![("b".into(), Json::Null)])
                    ])
                ),
                ("c".into(), Json::String("d".into())),
            ])
        );
        assert_eq!(parse("[ ]"), Json::Array(vec![]));
        assert_eq!(parse("{ }"), Json::Object(vec![]));
        assert_eq!(parse("\t[\n1 ,\r2 ]\n").as_array().map(<[_]>::len), Some(2));
    }

    #[test]
    fn resolves_every_escape_and_keeps_unicode() {
        let text = parse(r#""\" \\ \/ \b \f \n \r \t \u00e9 \u00E9 \ud83d\ude00 Zoé 😀""#);
        assert_eq!(
            text.as_str(),
            Some("\" \\ / \u{8} \u{c} \n \r \t é é 😀 Zoé 😀")
        );
    }

    #[test]
    fn rejects_what_is_not_json() {
        use JsonErrorKind::*;
        for (text, expected) in [
            ("", UnexpectedEnd),
            ("   ", UnexpectedEnd),
            ("[1,]", Unexpected),
            ("[1 2]", Unexpected),
            ("{\"a\" 1}", Unexpected),
            ("{\"a\":1,}", Unexpected),
            ("{a:1}", Unexpected),
            ("{\"a\":1", UnexpectedEnd),
            ("[", UnexpectedEnd),
            ("\"abc", UnexpectedEnd),
            ("\"a\nb\"", Unexpected),
            ("\"\\x\"", BadEscape),
            ("\"\\u12g4\"", BadEscape),
            ("\"\\ud83d\"", BadEscape),
            ("\"\\ud83d\\u0041\"", BadEscape),
            ("\"\\ude00\"", BadEscape),
            ("01", TrailingText),
            ("1.", UnexpectedEnd),
            ("1.e5", Unexpected),
            ("1e", UnexpectedEnd),
            ("-", UnexpectedEnd),
            ("-a", Unexpected),
            ("+1", Unexpected),
            (".5", Unexpected),
            ("nul", UnexpectedEnd),
            ("nulL", Unexpected),
            ("True", Unexpected),
            ("NaN", Unexpected),
            ("[1] x", TrailingText),
            ("{} {}", TrailingText),
            ("'a'", Unexpected),
        ] {
            assert_eq!(kind(text), expected, "{text:?}");
        }
    }

    #[test]
    fn errors_say_where() {
        let error = Json::parse("[1,]").unwrap_err();
        assert_eq!(error.at, 3);
        assert_eq!(
            error.to_string(),
            "not JSON: unexpected character at byte 3"
        );
    }

    #[test]
    fn nesting_is_limited() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(Json::parse(&deep(MAX_DEPTH)).is_ok());
        assert_eq!(kind(&deep(MAX_DEPTH + 1)), JsonErrorKind::TooDeep);
        let objects = format!(
            "{}1{}",
            "{\"a\":".repeat(MAX_DEPTH + 1),
            "}".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(kind(&objects), JsonErrorKind::TooDeep);
        // A hostile depth fails fast instead of overflowing the stack.
        assert_eq!(kind(&"[".repeat(100_000)), JsonErrorKind::TooDeep);
    }

    #[test]
    fn agrees_with_serde_json_on_what_is_json() {
        for text in [
            "1",
            "-0",
            "1e40",
            "[1,2,[3]]",
            r#"{"a":{"b":[]}}"#,
            "\"\\u0000\"",
            "[1,]",
            "[01]",
            "\"\u{7f}\"",
            "{\"a\":1 \"b\":2}",
            "[\"\\uD834\\uDD1E\"]",
            "\"\\uDD1E\"",
            " [] ",
            "[]]",
            "{\"a\":tru}",
            "\u{feff}[]",
            "[1.5E-3]",
            "[-]",
            "\"\t\"",
        ] {
            let ours = Json::parse(text).is_ok();
            let theirs = serde_json::from_str::<serde_json::Value>(text).is_ok();
            assert_eq!(ours, theirs, "{text:?}");
        }
        // The one difference: a number too large for an `f64` is still JSON to this reader (it
        // keeps the text), while serde_json refuses it. No shape the widget reads takes floats.
        assert!(Json::parse("1e400").is_ok());
    }

    #[test]
    fn whole_numbers_read_as_integers_only() {
        assert_eq!(parse("48210").as_u64(), Some(48_210));
        assert_eq!(parse("18446744073709551615").as_u64(), Some(u64::MAX));
        assert_eq!(parse("18446744073709551616").as_u64(), None);
        assert_eq!(parse("4294967296").as_u32(), None);
        assert_eq!(parse("4294967295").as_u32(), Some(u32::MAX));
        for text in ["-1", "1.0", "1e3", "\"1\"", "true"] {
            assert_eq!(parse(text).as_u64(), None, "{text}");
        }
    }

    #[test]
    fn accessors_check_types() {
        let value = parse(r#"{"s":"x","b":true,"a":["p","q"],"n":null,"m":[1],"s":"y"}"#);
        assert_eq!(
            value.get("s").and_then(Json::as_str),
            Some("y"),
            "last wins"
        );
        assert_eq!(value.get("b").and_then(Json::as_bool), Some(true));
        assert_eq!(
            value.get("a").and_then(Json::to_strings),
            Some(vec!["p".into(), "q".into()])
        );
        assert_eq!(value.get("m").and_then(Json::to_strings), None);
        assert_eq!(value.get("missing"), None);
        assert_eq!(parse("[]").get("s"), None);
        assert_eq!(optional_string(&value, "n"), Some(None));
        assert_eq!(optional_string(&value, "missing"), Some(None));
        assert_eq!(optional_string(&value, "s"), Some(Some("y".into())));
        assert_eq!(optional_string(&value, "b"), None);
        assert_eq!(default_strings(&value, "missing"), Some(vec![]));
        assert_eq!(default_strings(&value, "n"), None);
        assert_eq!(value.as_object().map(<[_]>::len), Some(6));
    }

    #[test]
    fn array_items_keep_their_source_text() {
        let items = parse_array_items(" [ {\"a\": 1} ,\"x\",[ ] ] ").unwrap();
        let raw: Vec<&str> = items.iter().map(|(raw, _)| *raw).collect();
        assert_eq!(raw, ["{\"a\": 1}", "\"x\"", "[ ]"]);
        assert_eq!(items[1].1, Json::String("x".into()));
        assert!(parse_array_items("[]").unwrap().is_empty());
        for bad in ["", "{}", "[1,]", "[1] 2", "[1", "[{]"] {
            assert!(parse_array_items(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let every_ascii: String = (0u8..128).map(char::from).collect();
        for text in [
            String::new(),
            "plain".into(),
            "quote \" backslash \\ slash /".into(),
            "Zoé — 😀 \u{2028}\u{2029} \u{7f}".into(),
            every_ascii,
            r#"I typed "attempt":1} on purpose"#.into(),
        ] {
            let mut ours = String::new();
            write_str(&mut ours, &text);
            assert_eq!(ours, serde_json::to_string(&text).unwrap());
            assert_eq!(parse(&ours).as_str(), Some(text.as_str()), "round trip");
        }
    }

    #[test]
    fn objects_write_members_in_order() {
        let out = object(|o| {
            o.str("b", "x")
                .opt_str("skipped", None)
                .opt_str("o", Some("y"))
                .num("n", u64::MAX)
                .bool("t", true)
                .bool("f", false)
                .strs("e", &[] as &[String])
                .strs("a", &["p", "q"])
                .object("m", |m| {
                    m.array("l", |l| {
                        l.num(1).str("z").object(|_| {}).array(|_| {});
                    });
                })
                .raw("r", Raw::check(" [1, {\"k\": null}] ").unwrap());
        });
        assert_eq!(
            out,
            r#"{"b":"x","o":"y","n":18446744073709551615,"t":true,"f":false,"e":[],"a":["p","q"],"m":{"l":[1,"z",{},[]]},"r": [1, {"k": null}] }"#
        );
        assert_eq!(object(|_| {}), "{}");
        assert_eq!(array(|_| {}), "[]");
    }

    #[test]
    fn only_json_values_pass_as_raw() {
        for good in ["null", " 1 ", r#"{"a":[true]}"#, r#""\u00e9""#] {
            assert_eq!(Raw::check(good).map(Raw::as_str), Some(good));
        }
        for bad in ["", "{", "[1,]", "tru", "1 2", r#""\x""#, "01", "[]]"] {
            assert_eq!(Raw::check(bad), None, "{bad:?}");
        }
        // What the reader hands out as a value's text is a `Raw` already.
        let mut pieces = Pieces::new(r#"{"a": [1, "x"] }"#);
        pieces.open(b'{').unwrap();
        assert!(pieces.more(b'}', true).unwrap());
        pieces.key().unwrap();
        let (text, value) = pieces.value_with_text(1).unwrap();
        assert_eq!(text.as_str(), r#"[1, "x"]"#);
        assert_eq!(Json::parse(text.as_str()).unwrap(), value);
    }

    /// A small deterministic generator (xorshift64*), so the property tests need no crate and
    /// fail the same way every run.
    struct Random(u64);

    impl Random {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }

        /// A string mixing what needs escaping (quotes, backslashes, every control character)
        /// with multi-byte and astral characters.
        fn string(&mut self) -> String {
            const PIECES: [&str; 12] = [
                "a", "Zoé", "\"", "\\", "/", "\n", "\u{0}", "\u{1f}", "\u{7f}", "😀", "\u{2028}",
                " ",
            ];
            (0..self.below(8))
                .map(|_| match self.below(3) {
                    0 => char::from_u32(self.below(0x20) as u32).unwrap().to_string(),
                    _ => PIECES[self.below(PIECES.len() as u64) as usize].to_owned(),
                })
                .collect()
        }

        /// A value nested at most `depth` containers deep (no duplicate keys: the reader keeps
        /// every member, so the round trip compares them all).
        fn value(&mut self, depth: u32) -> Json {
            let containers = if depth == 0 { 0 } else { 2 };
            match self.below(5 + containers) {
                0 => Json::Null,
                1 => Json::Bool(self.below(2) == 1),
                2 => Json::Number(self.next().to_string()),
                3 | 4 => Json::String(self.string()),
                5 => Json::Array((0..self.below(4)).map(|_| self.value(depth - 1)).collect()),
                _ => Json::Object(
                    (0..self.below(4))
                        .map(|i| (format!("{i}{}", self.string()), self.value(depth - 1)))
                        .collect(),
                ),
            }
        }
    }

    /// Writes `json` through the builder only (`null` as a checked `Raw`).
    fn write_member(object: &mut Object, key: &str, json: &Json) {
        match json {
            Json::Null => object.raw(key, Raw::check("null").unwrap()),
            Json::Bool(value) => object.bool(key, *value),
            Json::Number(text) => object.num(key, text.parse().unwrap()),
            Json::String(text) => object.str(key, text),
            Json::Array(items) => object.array(key, |array| write_items(array, items)),
            Json::Object(members) => object.object(key, |inner| write_members(inner, members)),
        };
    }

    fn write_members(object: &mut Object, members: &[(String, Json)]) {
        for (key, value) in members {
            write_member(object, key, value);
        }
    }

    fn write_items(array: &mut Array, items: &[Json]) {
        for item in items {
            match item {
                Json::Null => array.raw(Raw::check("null").unwrap()),
                Json::Bool(value) => {
                    array.raw(Raw::check(if *value { "true" } else { "false" }).unwrap())
                }
                Json::Number(text) => array.num(text.parse().unwrap()),
                Json::String(text) => array.str(text),
                Json::Array(inner) => array.array(|array| write_items(array, inner)),
                Json::Object(members) => array.object(|object| write_members(object, members)),
            };
        }
    }

    #[test]
    fn whatever_the_builder_writes_reads_back_the_same() {
        let mut random = Random(0x9e37_79b9_7f4a_7c15);
        for _ in 0..2_000 {
            let members: Vec<(String, Json)> = (0..random.below(5))
                .map(|i| (format!("{i}{}", random.string()), random.value(4)))
                .collect();
            let text = object(|o| write_members(o, &members));
            assert_eq!(parse(&text), Json::Object(members), "{text}");
            // And serde_json, an independent reader, accepts it as the same document.
            let serde: serde_json::Value = serde_json::from_str(&text).expect(&text);
            assert!(serde.is_object(), "{text}");

            let items: Vec<Json> = (0..random.below(5)).map(|_| random.value(4)).collect();
            let text = array(|a| write_items(a, &items));
            assert_eq!(parse(&text), Json::Array(items), "{text}");
            assert!(
                serde_json::from_str::<serde_json::Value>(&text).is_ok(),
                "{text}"
            );
        }
    }
}
