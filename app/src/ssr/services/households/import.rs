//! Household imports (all rows or none) and administrators' population tags.

use super::*;

/// Imports a table of members into a grid: all rows or none.
pub async fn import(
    state: &AppState,
    user: &CurrentUser,
    grid: &str,
    bytes: axum::body::Bytes,
    now: DateTime<Utc>,
) -> Result<ImportReport, AppError> {
    // Whose grid first: nobody else's file is read at all.
    readable_grid(state, user, grid).await?;
    if !policy::may_import(user.role) {
        return Err(AppError::Forbidden);
    }
    let table = crate::ssr::xlsx::read_upload(bytes)
        .await
        .map_err(|refusal| AppError::validation("file", refusal.msg()))?;
    import_table(state, user, grid, &table, now).await
}

/// One member added by hand on the phone (a new household when the address is new): the
/// same checks and writes as one row of an imported table.
pub async fn add_member(
    state: &AppState,
    user: &CurrentUser,
    grid: &str,
    cells: &[(crate::domain::household::import::Column, String)],
    now: DateTime<Utc>,
) -> Result<ImportReport, AppError> {
    if !policy::may_import(user.role) {
        return Err(AppError::Forbidden);
    }
    let table = vec![
        cells.iter().map(|(c, _)| c.header().to_owned()).collect(),
        cells.iter().map(|(_, v)| v.trim().to_owned()).collect(),
    ];
    import_table(state, user, grid, &table, now).await
}

async fn import_table(
    state: &AppState,
    user: &CurrentUser,
    grid: &str,
    table: &[Vec<String>],
    now: DateTime<Utc>,
) -> Result<ImportReport, AppError> {
    let grid = readable_grid(state, user, grid).await?;
    let tags = tags(state).await?;
    let rows = table.len().saturating_sub(1);
    let members = match check_rows(table, &tags) {
        Ok(m) => m,
        Err(errors) => {
            return Ok(ImportReport {
                rows,
                errors,
                ..ImportReport::default()
            });
        }
    };
    let mut report = ImportReport {
        rows,
        ..ImportReport::default()
    };
    let mut tx = state.db.begin_write().await.map_err(StoreError::from)?;
    // Households touched, with their building, to recompute their rules at the end.
    let mut touched: HashMap<i64, String> = HashMap::new();
    for (i, m) in members.iter().enumerate() {
        let id = match hh::find_household(&mut tx, &grid.code, &m.address).await? {
            Some(id) => id,
            None => {
                report.households_created += 1;
                hh::insert_household(&mut tx, &grid.code, &m.building, &m.address, now).await?
            }
        };
        touched.insert(id, m.building.clone());
        let values = hh::MemberValues {
            name: &m.name,
            relation: &m.relation,
            phone_sealed: m.phone.as_deref().map(|p| state.sealer.seal(p)),
            phone_masked: m.phone.as_deref().map(mask_phone).unwrap_or_default(),
            id_sealed: m.id_number.as_deref().map(|n| state.sealer.seal(n)),
            id_masked: m
                .id_number
                .as_deref()
                .map(mask_id_number)
                .unwrap_or_default(),
            birth_year: m.id_number.as_deref().and_then(birth_year),
            tags: join_tags(m.tags.iter().map(String::as_str)),
        };
        if hh::upsert_member(&mut tx, id, &values, i as i64).await? {
            report.members_created += 1;
        } else {
            report.members_updated += 1;
        }
    }
    for (id, building) in &touched {
        recompute_rule(&mut tx, *id, building, &tags, now).await?;
    }
    crate::ssr::store::audit::record(
        &mut **tx,
        now,
        user.id,
        "import",
        "grid",
        0,
        &format!(
            "{}: {} rows, {} households new, {} members new, {} updated",
            grid.code,
            rows,
            report.households_created,
            report.members_created,
            report.members_updated
        ),
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(report)
}

/// Row errors in the user's language, for pages.
pub fn describe(e: &RowError, lang: crate::i18n::Lang) -> String {
    let column = e.column.map(|c| c.header()).unwrap_or("");
    format!("{column} {}", crate::i18n::t(lang, e.msg))
}

/// An administrator's tag: a new one, or a new name or visit rule for an existing one.
/// The rule of every household with the tag is recomputed in the same transaction.
pub async fn save_tag(
    state: &AppState,
    user: &CurrentUser,
    tag: PopulationTag,
    now: DateTime<Utc>,
) -> Result<PopulationTag, AppError> {
    if user.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let code_ok = (2..=32).contains(&tag.code.len())
        && tag
            .code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !code_ok {
        return Err(AppError::validation("code", Msg::ErrBadRequest));
    }
    let name = tag.name.trim();
    if name.is_empty() || name.chars().count() > 20 || name.contains([',', '、', '，']) {
        return Err(AppError::validation("name", Msg::ErrBadRequest));
    }
    if tag
        .visit_every_days
        .is_some_and(|d| !(1..=366).contains(&d))
    {
        return Err(AppError::validation("visit_every_days", Msg::ErrBadRequest));
    }
    let name_en = if tag.name_en.trim().is_empty() {
        name
    } else {
        tag.name_en.trim()
    };
    let mut tx = state.db.begin_write().await.map_err(StoreError::from)?;
    hh::upsert_tag(&mut tx, &tag.code, name, name_en, tag.visit_every_days).await?;
    let all: Vec<PopulationTag> = hh::tags(&mut **tx)
        .await?
        .into_iter()
        .map(hh::TagRow::into_tag)
        .collect();
    for (id, building) in hh::households_with_tag(&mut tx, &tag.code).await? {
        recompute_rule(&mut tx, id, &building, &all, now).await?;
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(PopulationTag {
        code: tag.code,
        name: name.to_owned(),
        name_en: name_en.to_owned(),
        visit_every_days: tag.visit_every_days,
    })
}
