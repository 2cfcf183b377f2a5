//! Any Open311 answer as the specification's XML, from the same serde value its JSON is
//! made of: an object's fields become elements, a list becomes its container element with
//! one child per entry, named by [`item_name`] (`services` → `service`, …).

use serde_json::Value;

/// The element name of one entry of a list.
pub fn item_name(list: &str) -> &str {
    match list {
        "services" => "service",
        "service_requests" => "request",
        "service_request_updates" => "request_update",
        "errors" => "error",
        "attributes" => "attribute",
        "values" => "value",
        "endpoints" => "endpoint",
        "formats" => "format",
        other => other,
    }
}

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all are left out, never sent raw.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
}

fn element(name: &str, v: &Value, out: &mut String) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    match v {
        Value::Null => {}
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => escape(s, out),
        Value::Array(items) => {
            for item in items {
                element(item_name(name), item, out);
            }
        }
        Value::Object(fields) => {
            for (k, v) in fields {
                element(k, v, out);
            }
        }
    }
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// The document: the XML declaration with its encoding, then `root` holding `v`.
pub fn document(root: &str, v: &Value) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    element(root, v, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_nest_under_their_entry_names_and_text_is_escaped() {
        let v = json!([{"service_code": "a&b", "metadata": false, "keywords": null}]);
        assert_eq!(
            document("services", &v),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<services><service><service_code>a&amp;b</service_code><metadata>false</metadata><keywords></keywords></service></services>"
        );
        let d =
            json!({"service_code": "x", "attributes": [{"values": [{"key": "k", "name": "<n>"}]}]});
        assert!(document("service_definition", &d).contains("<attributes><attribute><values><value><key>k</key><name>&lt;n&gt;</name></value></values></attribute></attributes>"));
        assert!(document("e", &json!("a\u{1}b")).contains("<e>ab</e>"));
    }
}
