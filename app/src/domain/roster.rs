//! Accounts imported from a table (CSV or XLSX): one account per row, checked row by row
//! before anything is written. A file with any refused row creates no account, and the
//! report names every refused row, its column and the reason. What only the database can
//! say (a username already taken, an unknown node or department) is checked by the
//! service against the same rows.

use crate::domain::people::Role;
use crate::domain::privacy::parse_phone;
use crate::domain::table_rows::{Table, TableColumn};
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

/// The columns we read, with the headers we recognise for each (Chinese first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Username,
    DisplayName,
    Role,
    /// A territory node code, or a department code for department staff.
    Attachment,
    WorkPhone,
}

impl TableColumn for Column {
    const ALL: &'static [Column] = &[
        Column::Username,
        Column::DisplayName,
        Column::Role,
        Column::Attachment,
        Column::WorkPhone,
    ];

    fn headers(self) -> &'static [&'static str] {
        match self {
            Column::Username => &["用户名", "账号", "username"],
            Column::DisplayName => &["姓名", "显示名", "display_name", "name"],
            Column::Role => &["角色", "role"],
            Column::Attachment => &[
                "所属",
                "所属网格或部门",
                "所属节点",
                "所属部门",
                "attachment",
                "node",
                "department",
            ],
            Column::WorkPhone => &["工作电话", "电话", "work_phone", "phone"],
        }
    }
}

impl Column {
    /// The header of the template file.
    pub fn header(self) -> &'static str {
        TableColumn::header(self)
    }
}

/// A role as people write it in a table: its code or its Chinese name.
pub fn parse_role(s: &str) -> Option<Role> {
    let s = s.trim();
    Role::parse(&s.to_lowercase()).or(match s {
        "管理员" => Some(Role::Admin),
        "领导" => Some(Role::Leader),
        "综治中心" | "指挥中心" => Some(Role::Center),
        "网格长" => Some(Role::GridLeader),
        "网格员" | "专职网格员" => Some(Role::Worker),
        "职能部门" | "部门" => Some(Role::Dept),
        _ => None,
    })
}

/// Usernames people can type on a phone and read aloud.
pub fn valid_username(u: &str) -> bool {
    (2..=32).contains(&u.len())
        && u.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// One account as the import will create it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterRow {
    /// The row in the file, counting the header as row 1 (as a spreadsheet shows it).
    pub row: usize,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub attachment: String,
    /// Digits only (see `privacy::parse_phone`), or empty.
    pub work_phone: String,
}

/// A refused row of the accounts table.
pub type RowError<C = Column> = crate::domain::table_rows::RowError<C>;

/// A district's staff fits in one file; more is a mistake or an attack, and each account
/// costs a password hash.
pub const MAX_ACCOUNTS: usize = 1000;
const NAME_MAX: usize = 40;

/// Checks a whole table. `rows[0]` is the header.
pub fn check_rows(rows: &[Vec<String>]) -> Result<Vec<RosterRow>, Vec<RowError>> {
    let required = [
        Column::Username,
        Column::DisplayName,
        Column::Role,
        Column::Attachment,
    ];
    let table = Table::read(rows, &required, MAX_ACCOUNTS)?;
    let mut accounts = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for &(row, cells) in &table.rows {
        let cell = |col: Column| table.cell(cells, col);
        let username = cell(Column::Username);
        if let Some(first) = seen.get(&username.to_lowercase()) {
            errors.push(RowError::new(
                row,
                Some(Column::Username),
                Msg::ErrRosterDuplicate,
                &format!("{username} ({first})"),
            ));
        } else if !username.is_empty() {
            seen.insert(username.to_lowercase(), row);
        }
        match check_row(row, cell) {
            Ok(a) => accounts.push(a),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(accounts)
    } else {
        Err(errors)
    }
}

fn check_row(row: usize, cell: impl Fn(Column) -> String) -> Result<RosterRow, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut refuse = |col: Column, msg: Msg, value: &str| {
        errors.push(RowError::new(row, Some(col), msg, value));
    };
    let username = cell(Column::Username);
    if !valid_username(&username) {
        refuse(Column::Username, Msg::ErrUsernameFormat, &username);
    }
    let display_name = cell(Column::DisplayName);
    if display_name.is_empty() {
        refuse(Column::DisplayName, Msg::ErrRequired, "");
    } else if display_name.chars().count() > NAME_MAX {
        refuse(Column::DisplayName, Msg::ErrTooLong, &display_name);
    }
    let role_text = cell(Column::Role);
    let role = parse_role(&role_text);
    if role.is_none() {
        refuse(Column::Role, Msg::ErrRosterRole, &role_text);
    }
    let attachment = cell(Column::Attachment);
    if attachment.is_empty() {
        refuse(Column::Attachment, Msg::ErrRequired, "");
    }
    let phone_text = cell(Column::WorkPhone);
    let work_phone = if phone_text.is_empty() {
        String::new()
    } else {
        parse_phone(&phone_text).unwrap_or_else(|_| {
            refuse(Column::WorkPhone, Msg::ErrPhone, &phone_text);
            String::new()
        })
    };
    match role {
        Some(role) if errors.is_empty() => Ok(RosterRow {
            row,
            username,
            display_name,
            role,
            attachment,
            work_phone,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::domain::table_rows::text_table as table;

    const HEADER: &[&str] = &["用户名", "姓名", "角色", "所属", "工作电话"];

    #[test]
    fn a_good_table_gives_every_account() {
        let rows = table(&[
            HEADER,
            &[
                "wang.fang",
                "王芳",
                "网格员",
                "360299001001001",
                "0791-8888 1234",
            ],
            &["", "", "", "", ""],
            &["li.qiang", "李强", "dept", "sanitation", ""],
        ]);
        let got = check_rows(&rows).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].role, Role::Worker);
        assert_eq!(got[0].work_phone, "079188881234");
        assert_eq!((got[1].row, got[1].role), (4, Role::Dept));
    }

    #[test]
    fn english_headers_and_role_codes_are_read() {
        let rows = table(&[
            &["Username", "display_name", "role", "node"],
            &["chen", "陈", "grid_leader", "360299001001"],
        ]);
        assert_eq!(check_rows(&rows).unwrap()[0].role, Role::GridLeader);
    }

    #[test]
    fn every_bad_row_is_named_with_its_column() {
        let rows = table(&[
            HEADER,
            &["wang.fang", "王芳", "队长", "360299001001001", ""],
            &["x", "", "网格员", "", "12345"],
            &["Wang.Fang", "王芳", "网格员", "360299001001002", ""],
            &["wang.fang", "王芳二", "网格员", "360299001001003", ""],
            &["wang.fang", "王芳三", "网格员", "360299001001003", ""],
        ]);
        let errors = check_rows(&rows).unwrap_err();
        let at = |row, col| errors.iter().any(|e| e.row == row && e.column == Some(col));
        assert!(at(2, Column::Role));
        assert!(at(3, Column::Username) && at(3, Column::DisplayName));
        assert!(at(3, Column::Attachment) && at(3, Column::WorkPhone));
        assert!(at(4, Column::Username) && at(5, Column::Username) && at(6, Column::Username));
        assert!(errors.iter().any(|e| e.msg == Msg::ErrRosterDuplicate));
    }

    #[test]
    fn missing_columns_and_empty_files_are_refused_whole() {
        let e = check_rows(&table(&[&["用户名", "姓名"]])).unwrap_err();
        assert_eq!(e.len(), 2);
        assert!(
            e.iter()
                .all(|e| e.row == 1 && e.msg == Msg::ErrImportMissingColumn)
        );
        assert_eq!(
            check_rows(&table(&[HEADER])).unwrap_err()[0].msg,
            Msg::ErrRosterEmpty
        );
        assert_eq!(check_rows(&[]).unwrap_err()[0].msg, Msg::ErrRosterEmpty);
    }

    #[test]
    fn too_many_rows_are_refused_before_checking_them() {
        let mut rows = table(&[HEADER]);
        for i in 0..=MAX_ACCOUNTS {
            rows.push(vec![
                format!("u{i}"),
                "某".into(),
                "网格员".into(),
                "1".into(),
            ]);
        }
        assert_eq!(check_rows(&rows).unwrap_err()[0].msg, Msg::ErrRosterTooMany);
    }
}
