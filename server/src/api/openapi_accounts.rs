//! The OpenAPI paths of accounts: administrators' account management and everyone's own
//! password change.

use super::openapi::{body, ok, op, path_param, with};
use serde_json::{Value, json};

pub(super) fn accounts_api(doc: &mut Value) {
    let issued = json!({ "type": "object", "required": ["username", "temporary_password"], "properties": {
        "username": { "type": "string" },
        "temporary_password": { "type": "string", "description": "shown once; the user must set a new password at the next login" } } });
    let new_account = json!({ "type": "object", "required": ["username", "display_name", "role"], "properties": {
        "username": { "type": "string", "pattern": "^[A-Za-z0-9._-]{2,32}$" },
        "display_name": { "type": "string", "minLength": 1, "maxLength": 40 },
        "role": { "type": "string", "enum": ["admin", "leader", "center", "grid_leader", "worker", "dept"] },
        "node": { "type": "string", "description": "territory node code (every role but dept), inside the administrator's area" },
        "department": { "type": "string", "description": "department code (role dept)" } } });
    let change = json!({ "type": "object", "required": ["old_password", "new_password"], "properties": {
        "old_password": { "type": "string" },
        "new_password": { "type": "string", "minLength": 8, "maxLength": 128, "description": "not a common password, not the username; any characters" } } });
    let user = path_param("username");
    let paths = json!({
        "/admin/accounts": { "post": with(op("Administrators: create an account with a temporary password (`Cache-Control: no-store`); 409 if the username is taken", ("201", ok("the temporary password, shown once", issued.clone()))), "requestBody", body(new_account)) },
        "/admin/accounts/{username}/deactivate": { "post": with(op("Administrators: deactivate an account; it cannot log in and its sessions end", ("204", json!({ "description": "deactivated" }))), "parameters", user.clone()) },
        "/admin/accounts/{username}/reset-password": { "post": with(op("Administrators: a new temporary password; the account's sessions end", ("200", ok("the temporary password, shown once", issued))), "parameters", user) },
        "/admin/audit": { "get": with(op("Administrators: search the audit log (reads of personal data, imports, account changes), newest first; rows are append-only and kept at least six months", ("200", ok("entries `{id, at, username, action, subject_kind, subject_id, detail}`", json!({ "type": "array", "items": { "type": "object" } })))), "parameters", super::openapi::query(&[("username", "who"), ("action", "e.g. read_list, reveal, import, account_create"), ("from", "RFC 3339; default 30 days before `to`"), ("to", "RFC 3339; default now"), ("limit", "1–500, default 100")])) },
        "/admin/login-locks": { "get": op("Administrators: the (username, address) pairs that must wait after failed logins, with their failures and until when", ("200", ok("locks `{username, address, failures, until}`", json!({ "type": "array", "items": { "type": "object" } })))) },
        "/admin/login-locks/{username}/unlock": { "post": with(op("Administrators: lift every wait of a username (audited)", ("200", ok("`{lifted}`: how many addresses", json!({ "type": "object" })))), "parameters", path_param("username")) },
        "/me/password": { "post": with(op("Change one's own password; the current one is required. Other sessions of the account end. Until a temporary password is replaced every other call answers 403 `password_change_required`", ("204", json!({ "description": "changed" }))), "requestBody", body(change)) },
    });
    for (k, v) in paths.as_object().expect("an object").clone() {
        doc["paths"][k] = v;
    }
}
