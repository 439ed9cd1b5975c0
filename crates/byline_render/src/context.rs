//! A template's root context in two layers: the page's own members over what every
//! page shares, looked up in place instead of copied into one map.

use minijinja::value::{Enumerator, Object, Value};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The root context of a page: `own` (the template's view) over `shared` (site,
/// navigation, head …). A name in both is `own`'s, as when serde flattened the two
/// into one map.
///
/// Why not that one map: serde's `flatten` serializes through a map, and minijinja
/// keeps maps as `BTreeMap<Value, Value>`. A template reads every name through the
/// root, globals too (each `t()` and `asset()` call looks for a variable of that name
/// first), and each read of that map built a `Value` key and compared it down the tree:
/// about a tenth of an uncached article's render (docs/PERFORMANCE.md). Structs
/// serialize to minijinja's static-key maps, searched by `&str` without allocating.
#[derive(Debug)]
pub struct Layered {
    own: Value,
    shared: Value,
}

impl Layered {
    pub fn value(own: Value, shared: Value) -> Value {
        Value::from_object(Self { own, shared })
    }
}

fn member(layer: &Value, name: &str) -> Option<Value> {
    layer.get_attr(name).ok().filter(|v| !v.is_undefined())
}

impl Object for Layered {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, name: &str) -> Option<Value> {
        member(&self.own, name).or_else(|| member(&self.shared, name))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let names: BTreeSet<Value> = [&self.own, &self.shared]
            .into_iter()
            .filter_map(|layer| layer.try_iter().ok())
            .flatten()
            .collect();
        Enumerator::Values(names.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::Environment;
    use serde::Serialize;

    #[derive(Serialize)]
    struct Shared {
        lang: &'static str,
        title: &'static str,
    }

    #[derive(Serialize)]
    struct Own {
        title: &'static str,
        items: Vec<u32>,
    }

    fn context() -> Value {
        Layered::value(
            Value::from_serialize(Own {
                title: "own title",
                items: vec![1, 2],
            }),
            Value::from_serialize(Shared {
                lang: "hy",
                title: "shared title",
            }),
        )
    }

    #[test]
    fn own_members_win_then_shared_then_globals() {
        let mut env = Environment::new();
        env.add_global("greeting", "hello");
        env.add_template(
            "t",
            "{{ title }}|{{ lang }}|{{ items|join(',') }}|{{ greeting }}|{{ missing is defined }}",
        )
        .unwrap();
        let out = env.get_template("t").unwrap().render(context()).unwrap();
        assert_eq!(out, "own title|hy|1,2|hello|False");
    }

    #[test]
    fn it_is_a_mapping_of_both_layers_names() {
        let mut env = Environment::new();
        env.add_template("t", "{{ ctx is mapping }}|{{ ctx|list|join(',') }}")
            .unwrap();
        let out = env
            .get_template("t")
            .unwrap()
            .render(minijinja::context! { ctx => context() })
            .unwrap();
        assert_eq!(out, "True|items,lang,title");
    }
}
