//! JSON reading that refuses a key repeated in one object. `serde_json` keeps
//! the last of two equal keys without a word, so `{"personal_data_consent":
//! false, "personal_data_consent": true}` would read as consent; here it is an
//! error naming the key's path (`applicant.personal_data_consent`).

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::rules::text;

/// Why a text is not an acceptable JSON document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonError {
    /// A key appears twice in one object: its path.
    Duplicate(String),
    /// Not JSON at all (serde_json's message, with line and column).
    Syntax(String),
}

/// Parses `s` into a `Value`, refusing repeated keys.
pub fn parse_strict(s: &str) -> Result<Value, JsonError> {
    let dup = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_str(s);
    let seed = Node {
        path: String::new(),
        dup: &dup,
    };
    let v = seed.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    match v {
        Ok(v) => Ok(v),
        Err(e) => match dup.into_inner() {
            Some(path) => Err(JsonError::Duplicate(path)),
            None => Err(JsonError::Syntax(e.to_string())),
        },
    }
}

/// One JSON value at `path`; records the first repeated key in `dup`.
struct Node<'a> {
    path: String,
    dup: &'a RefCell<Option<String>>,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        loop {
            let seed = Node {
                path: format!("{}[{}]", self.path, out.len()),
                dup: self.dup,
            };
            match seq.next_element_seed(seed)? {
                Some(v) => out.push(v),
                None => return Ok(Value::Array(out)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let shown = text::for_terminal(&key, 40);
            let path = if self.path.is_empty() {
                shown
            } else {
                format!("{}.{shown}", self.path)
            };
            if out.contains_key(&key) {
                *self.dup.borrow_mut() = Some(path.clone());
                return Err(de::Error::custom(format!("duplicate key {path}")));
            }
            let v = map.next_value_seed(Node {
                path,
                dup: self.dup,
            })?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_are_named_by_path() {
        assert_eq!(
            parse_strict(r#"{"a": {"b": 1, "b": 2}}"#),
            Err(JsonError::Duplicate("a.b".into()))
        );
        assert_eq!(
            parse_strict(r#"{"u": [{"s": 1}, {"s": 1, "t": 2, "s": 3}]}"#),
            Err(JsonError::Duplicate("u[1].s".into()))
        );
        assert_eq!(
            parse_strict(r#"{"kind": "x", "kind": "x"}"#),
            Err(JsonError::Duplicate("kind".into()))
        );
        // Equal keys spelt with escapes are the same key.
        assert_eq!(
            parse_strict(r#"{"kind": 1, "\u006bind": 2}"#),
            Err(JsonError::Duplicate("kind".into()))
        );
    }

    #[test]
    fn ordinary_json_reads_as_serde_json_does() {
        let s = r#"{"a": [1, -2, 3.5, true, null, "x"], "b": {"a": 1}, "c": {"a": 2}}"#;
        assert_eq!(
            parse_strict(s).unwrap(),
            serde_json::from_str::<Value>(s).unwrap()
        );
        assert!(matches!(parse_strict("{"), Err(JsonError::Syntax(_))));
        assert!(matches!(parse_strict("{} x"), Err(JsonError::Syntax(_))));
        assert!(matches!(
            parse_strict(&"[".repeat(10_000)),
            Err(JsonError::Syntax(_))
        ));
    }
}
