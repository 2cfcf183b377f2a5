//! The reference data every case step reads — categories, their standards, the active
//! departments and the working calendar, and for the case's page its reply templates, its
//! grid's name and the departments competent for its category — kept in memory. Reading
//! them afresh cost a report ~0.4 ms of its ~2 ms at 1M cases. The copy is used while the database's
//! `catalogue_stamp` (moved by triggers on every change to those tables, whoever makes it)
//! shows the version it was read at; one single-row read per use keeps several instances,
//! imports and hand-made changes as true as before.

use crate::domain::calendar::WorkCalendar;
use crate::domain::category_standard::CategoryStandard;
use crate::domain::reply_template::ReplyTemplate;
use crate::error::AppError;
use crate::ssr::store::catalogue::{self, CategoryRow};
use crate::ssr::store::{self, departments};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Reference data as the rules and the views need it.
pub struct Catalogue {
    /// Top-level categories by code.
    pub categories: HashMap<String, CategoryRow>,
    /// The standards table: categories and subcategories by code.
    pub standards: HashMap<String, CategoryStandard>,
    /// Active departments: code → (name, English name).
    pub departments: HashMap<String, (String, String)>,
    pub calendar: WorkCalendar,
    /// Reply templates (回复模板) in the order staff see them.
    pub reply_templates: Vec<ReplyTemplate>,
    /// Grids' names by code (retired grids too: old cases keep theirs).
    pub grid_names: HashMap<String, String>,
    /// Category → the departments competent for it (主管), in code order.
    pub competent: HashMap<String, Vec<String>>,
}

/// This instance's copy and the version it was read at.
#[derive(Default)]
pub struct CatalogueCache {
    kept: Mutex<Option<(i64, Arc<Catalogue>)>>,
}

impl CatalogueCache {
    /// The catalogue as the database holds it now.
    pub async fn get(&self, pool: &sqlx::AnyPool) -> Result<Arc<Catalogue>, AppError> {
        // The version first: a change committed between the two reads leaves a copy
        // newer than its version, which the next use reads again — never the reverse.
        let version = version(pool).await?;
        if let Some((v, c)) = &*self.kept.lock().expect("catalogue lock") {
            if *v == version {
                return Ok(Arc::clone(c));
            }
        }
        let fresh = Arc::new(read(pool).await?);
        *self.kept.lock().expect("catalogue lock") = Some((version, Arc::clone(&fresh)));
        Ok(fresh)
    }
}

async fn version(pool: &sqlx::AnyPool) -> Result<i64, store::StoreError> {
    let (v,): (i64,) = sqlx::query_as("SELECT version FROM catalogue_stamp WHERE id = 1")
        .fetch_one(pool)
        .await?;
    Ok(v)
}

async fn read(pool: &sqlx::AnyPool) -> Result<Catalogue, store::StoreError> {
    Ok(Catalogue {
        categories: catalogue::categories(pool)
            .await?
            .into_iter()
            .map(|c| (c.code.clone(), c))
            .collect(),
        standards: catalogue::standards(pool)
            .await?
            .into_iter()
            .map(|c| (c.code.clone(), c))
            .collect(),
        departments: departments::list(pool)
            .await?
            .into_iter()
            .map(|d| (d.code, (d.name, d.name_en)))
            .collect(),
        calendar: catalogue::calendar(pool).await?,
        reply_templates: store::reply_templates::list(pool).await?,
        grid_names: store::territory::grid_names(pool)
            .await?
            .into_iter()
            .collect(),
        competent: departments::competences(pool).await?.into_iter().fold(
            HashMap::new(),
            |mut by_category: HashMap<String, Vec<String>>, (department, category)| {
                by_category.entry(category).or_default().push(department);
                by_category
            },
        ),
    })
}
