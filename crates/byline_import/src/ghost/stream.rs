//! A Ghost export walked with serde_json as a stream: each row of each table is
//! handed over as it is read, so the export (bodies and all) is never held whole.

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;

/// Receives rows; `wants` says which tables are read at all (others are skipped
/// without building their values).
pub trait Tables {
    fn wants(&self, table: &str) -> bool;
    fn row(&mut self, table: &str, row: Value);
}

/// Walks `{"db":[{"meta":…,"data":{table: [rows]}}]}` (or `{"data":…}` of older
/// exports).
pub struct Root<'t, T>(pub &'t mut T);

impl<'de, T: Tables> DeserializeSeed<'de> for Root<'_, T> {
    type Value = bool;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: Tables> Visitor<'de> for Root<'_, T> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Ghost export object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "db" => found |= map.next_value_seed(Db(&mut *self.0))?,
                "data" => found |= map.next_value_seed(Data(&mut *self.0))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }
}

struct Db<'t, T>(&'t mut T);

impl<'de, T: Tables> DeserializeSeed<'de> for Db<'_, T> {
    type Value = bool;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: Tables> Visitor<'de> for Db<'_, T> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the db array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        let mut found = false;
        while let Some(f) = seq.next_element_seed(Entry(&mut *self.0))? {
            found |= f;
        }
        Ok(found)
    }
}

struct Entry<'t, T>(&'t mut T);

impl<'de, T: Tables> DeserializeSeed<'de> for Entry<'_, T> {
    type Value = bool;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: Tables> Visitor<'de> for Entry<'_, T> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a db entry")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "data" {
                found |= map.next_value_seed(Data(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

struct Data<'t, T>(&'t mut T);

impl<'de, T: Tables> DeserializeSeed<'de> for Data<'_, T> {
    type Value = bool;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: Tables> Visitor<'de> for Data<'_, T> {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the data object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
            found |= key == "posts";
            if self.0.wants(&key) {
                map.next_value_seed(Table(&mut *self.0, &key))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

struct Table<'t, 'k, T>(&'t mut T, &'k str);

impl<'de, T: Tables> DeserializeSeed<'de> for Table<'_, '_, T> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: Tables> Visitor<'de> for Table<'_, '_, T> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table's rows")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(row) = seq.next_element::<Value>()? {
            self.0.row(self.1, row);
        }
        Ok(())
    }
}
