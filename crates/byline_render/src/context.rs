//! A template's root context in two layers: the page's own members over what every
//! page shares, looked up in place instead of copied into one map.

use minijinja::value::{Value, ValueKind, merge_maps};

/// The root context of a page: `own` (the template's view) over `shared` (site,
/// navigation, head …), merged lazily by minijinja's `merge_maps` (the last map wins,
/// so a name in both is `own`'s, as when serde flattened the two into one map).
///
/// Why not that one map: serde's `flatten` serializes through a map, and minijinja
/// keeps maps as `BTreeMap<Value, Value>`. A template reads every name through the
/// root, globals too (each `t()` and `asset()` call looks for a variable of that name
/// first), and each read of that map built a `Value` key and compared it down the tree:
/// about a tenth of an uncached article's render (docs/PERFORMANCE.md). Structs
/// serialize to minijinja's static-key maps, searched by `&str`.
///
/// A layer that failed to serialize is returned as it is, so the render fails on it as
/// it did on the one map, instead of its names reading as undefined (a page whose
/// account failed to serialize must not render as signed out).
pub fn layered(own: Value, shared: Value) -> Value {
    match (own.kind(), shared.kind()) {
        (ValueKind::Invalid, _) => own,
        (_, ValueKind::Invalid) => shared,
        _ => merge_maps([shared, own]),
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
        layered(
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
    fn a_none_of_its_own_hides_the_shared_member() {
        let mut env = Environment::new();
        env.add_template("t", "{{ title is none }}").unwrap();
        let ctx = layered(
            minijinja::context! { title => () },
            minijinja::context! { title => "shared" },
        );
        assert_eq!(env.get_template("t").unwrap().render(ctx).unwrap(), "True");
    }

    #[test]
    fn a_layer_that_failed_to_serialize_fails_the_render() {
        struct Broken;
        impl Serialize for Broken {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("broken on purpose"))
            }
        }
        let mut env = Environment::new();
        env.add_template("t", "{{ lang is defined }}").unwrap();
        let template = env.get_template("t").unwrap();
        let shared = || {
            Value::from_serialize(Shared {
                lang: "en",
                title: "x",
            })
        };
        for ctx in [
            layered(Value::from_serialize(Broken), shared()),
            layered(shared(), Value::from_serialize(Broken)),
        ] {
            let err = template.render(ctx).unwrap_err();
            assert!(err.to_string().contains("broken on purpose"), "{err}");
        }
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
