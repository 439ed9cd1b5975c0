//! Query strings and response caching shared by the API's operations.

use super::problem::{Kind, Problem, unknown_parameters};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use byline_core::limits::{MAX_LIST_ITEMS, MAX_QUERY_PAIRS, MAX_QUERY_STRING_BYTES};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use utoipa::IntoParams;
use utoipa::openapi::RefOr;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::openapi::schema::{Schema, SchemaType, Type};

/// The name/value pairs of an API query string, refused (400, saying which limit) past
/// [`MAX_QUERY_STRING_BYTES`] or [`MAX_QUERY_PAIRS`]: every operation reads its query
/// through here, so none parses more than that.
pub fn query_pairs(query: Option<&str>) -> Result<Vec<(String, String)>, Problem> {
    let query = query.unwrap_or("");
    if query.len() > MAX_QUERY_STRING_BYTES {
        return Err(Problem::new(
            Kind::BadRequest,
            format!("the query string is longer than {MAX_QUERY_STRING_BYTES} bytes"),
        ));
    }
    // Counted before decoding, so a flood of empty pairs costs nothing either.
    if query.split('&').filter(|p| !p.is_empty()).count() > MAX_QUERY_PAIRS {
        return Err(Problem::new(
            Kind::BadRequest,
            format!("the query string has more than {MAX_QUERY_PAIRS} parameters"),
        ));
    }
    serde_urlencoded::from_str(query)
        .map_err(|e| Problem::new(Kind::BadRequest, format!("malformed query string: {e}")))
}

/// [`query_pairs`] by name (a repeated name: the last value).
pub fn query_map(query: Option<&str>) -> Result<HashMap<String, String>, Problem> {
    Ok(query_pairs(query)?.into_iter().collect())
}

/// The items of a comma-separated parameter, refused past [`MAX_LIST_ITEMS`].
pub fn list_items(name: &str, raw: Option<&str>) -> Result<Vec<String>, Problem> {
    let items: Vec<String> = raw
        .map(|raw| {
            raw.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if items.len() > MAX_LIST_ITEMS {
        return Err(bad_value(
            name,
            format!("{name} may list at most {MAX_LIST_ITEMS} items"),
        ));
    }
    Ok(items)
}

/// An operation's query parameters, read into the struct that describes them.
///
/// The struct is the one place they are written: its fields are the names the operation
/// takes (any other is refused, naming it), its `IntoParams` derive is what the OpenAPI
/// document says of them, including any `minimum`/`maximum`, which are checked here with
/// a message naming the parameter, and serde fills it. The API key (`key`) is always
/// allowed (it is described as a security scheme, not a parameter); an empty value is
/// the same as an absent one, and a repeated name keeps its first value.
pub fn read<T: DeserializeOwned + IntoParams>(query: Option<&str>) -> Result<T, Problem> {
    let declared = T::into_params(|| Some(ParameterIn::Query));
    let names: Vec<&str> = declared.iter().map(|p| p.name.as_str()).collect();
    let pairs = query_pairs(query)?;
    let mut unknown: Vec<String> = Vec::new();
    for (name, _) in &pairs {
        if name != "key" && !names.contains(&name.as_str()) && !unknown.contains(name) {
            unknown.push(name.clone());
        }
    }
    if !unknown.is_empty() {
        return Err(unknown_parameters(unknown, &names));
    }
    let mut given: Vec<(&str, &str)> = Vec::new();
    for parameter in &declared {
        let Some(value) = pairs
            .iter()
            .find(|(name, _)| name == &parameter.name)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
        else {
            continue;
        };
        if let Some((min, max)) = integer_bounds(parameter)
            && !value.parse::<i64>().is_ok_and(|n| (min..=max).contains(&n))
        {
            let name = parameter.name.as_str();
            return Err(bad_value(
                name,
                format!("{name} must be a whole number from {min} to {max}"),
            ));
        }
        given.push((parameter.name.as_str(), value));
    }
    // Re-encoded, so serde_urlencoded's own number and enum parsing fills the struct.
    serde_urlencoded::to_string(&given)
        .ok()
        .and_then(|encoded| serde_urlencoded::from_str(&encoded).ok())
        .ok_or_else(|| {
            Problem::new(
                Kind::BadRequest,
                "a query parameter has a value of the wrong type".to_owned(),
            )
        })
}

/// The names of the parameters `T` declares, for operations whose values are read
/// elsewhere (the search API shares the search page's reading).
pub fn declared<T: IntoParams>() -> Vec<String> {
    T::into_params(|| Some(ParameterIn::Query))
        .into_iter()
        .map(|p| p.name)
        .collect()
}

/// `minimum`/`maximum` of an integer parameter, as its OpenAPI description gives them.
fn integer_bounds(parameter: &Parameter) -> Option<(i64, i64)> {
    let Some(RefOr::T(Schema::Object(schema))) = &parameter.schema else {
        return None;
    };
    let integer = match &schema.schema_type {
        SchemaType::Type(t) => *t == Type::Integer,
        SchemaType::Array(types) => types.contains(&Type::Integer),
        SchemaType::AnyValue => false,
    };
    let bound = |n: &Option<utoipa::Number>| match n {
        Some(utoipa::Number::Int(n)) => i64::try_from(*n).ok(),
        Some(utoipa::Number::UInt(n)) => i64::try_from(*n).ok(),
        Some(utoipa::Number::Float(n)) => Some(*n as i64),
        None => None,
    };
    integer.then(|| {
        (
            bound(&schema.minimum).unwrap_or(i64::MIN),
            bound(&schema.maximum).unwrap_or(i64::MAX),
        )
    })
}

/// The parameters of an operation that takes none (only the API key).
#[derive(Debug, Default, serde::Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoParams {}

/// A bad value for parameter `name`.
pub fn bad_value(name: &str, detail: String) -> Problem {
    Problem::new(Kind::BadRequest, detail).naming(vec![name.to_owned()])
}

/// A JSON answer with a strong ETag; `304` when the client's `If-None-Match` has it.
/// `cache_control` tells browsers and CDNs how long to keep it.
pub fn cached_json<T: serde::Serialize>(
    request: &HeaderMap,
    value: &T,
    cache_control: &HeaderValue,
) -> Response {
    let body = match serde_json::to_vec(value) {
        Ok(body) => body,
        Err(e) => {
            tracing::error!(error = %e, "serializing an API answer failed");
            return Problem::new(Kind::Internal, None).into_response();
        }
    };
    let digest = Sha256::digest(&body);
    let etag: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    let etag = HeaderValue::from_str(&format!("\"{etag}\"")).expect("hex is a valid header");
    let matches = request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t.as_bytes() == etag.as_bytes());
    // Surrogate keys for a CDN: `site` is purged by every article change and `all` by
    // every settings or taxonomy change, so a CDN holding API answers drops them
    // exactly when the purge webhook says anything changed (coarse, never stale).
    let headers = [
        (header::ETAG, etag),
        (header::CACHE_CONTROL, cache_control.clone()),
        // The 304 names what the 200 varies on (the compression middleware leaves it
        // as it is: it adds Accept-Encoding only where no Vary names it).
        (
            header::VARY,
            HeaderValue::from_static("Authorization, Accept-Encoding"),
        ),
        (
            header::HeaderName::from_static("surrogate-key"),
            HeaderValue::from_static("all site"),
        ),
        (
            header::HeaderName::from_static("cache-tag"),
            HeaderValue::from_static("all,site"),
        ),
    ];
    let mut response = if matches {
        (StatusCode::NOT_MODIFIED, headers).into_response()
    } else {
        (
            StatusCode::OK,
            headers,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response()
    };
    response.extensions_mut().insert(crate::error::Finished);
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    /// An operation's parameters as a handler would declare them.
    #[derive(Debug, Deserialize, IntoParams)]
    #[into_params(parameter_in = Query)]
    struct Example {
        /// Edition code
        edition: Option<String>,
        /// How many
        #[param(minimum = 1, maximum = 20)]
        limit: Option<u32>,
    }

    #[test]
    fn values_fill_the_struct_and_empty_means_absent() {
        let p: Example = read(Some("edition=ru&limit=7&key=abc")).unwrap();
        assert_eq!(p.edition.as_deref(), Some("ru"));
        assert_eq!(p.limit, Some(7));
        let p: Example = read(Some("edition=&limit=")).unwrap();
        assert_eq!((p.edition, p.limit), (None, None));
        // A repeated name keeps its first value.
        let p: Example = read(Some("limit=3&limit=9")).unwrap();
        assert_eq!(p.limit, Some(3));
    }

    #[test]
    fn names_the_struct_does_not_declare_are_refused_by_name() {
        let e = read::<Example>(Some("edition=en&sort=new&sort=old&x=1")).unwrap_err();
        assert_eq!(e.kind, Kind::UnknownParameter);
        assert_eq!(e.names, vec!["sort".to_owned(), "x".to_owned()]);
        let detail = e.detail.unwrap();
        assert!(
            detail.ends_with("this operation takes edition, limit"),
            "{detail}"
        );
        let e = read::<NoParams>(Some("edition=en")).unwrap_err();
        assert!(e.detail.unwrap().ends_with("takes none"));
    }

    #[test]
    fn integer_bounds_come_from_the_openapi_description() {
        for bad in ["0", "21", "-1", "2.5", "many", "99999999999999999999"] {
            let e = read::<Example>(Some(&format!("limit={bad}"))).unwrap_err();
            assert_eq!(e.kind, Kind::BadRequest, "{bad}");
            assert_eq!(e.names, vec!["limit".to_owned()], "{bad}");
            assert_eq!(
                e.detail.as_deref(),
                Some("limit must be a whole number from 1 to 20"),
                "{bad}"
            );
        }
        assert_eq!(integer_bounds(&Example::into_params(|| None)[0]), None);
    }

    #[test]
    fn the_limits_on_every_query_string_still_apply() {
        let long = format!("edition={}", "e".repeat(MAX_QUERY_STRING_BYTES));
        assert_eq!(
            read::<Example>(Some(&long)).unwrap_err().kind,
            Kind::BadRequest
        );
        let many = vec!["key=1"; MAX_QUERY_PAIRS + 1].join("&");
        assert_eq!(
            read::<Example>(Some(&many)).unwrap_err().kind,
            Kind::BadRequest
        );
    }
}
