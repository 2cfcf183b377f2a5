//! A district's building list (楼栋清单) from a table (CSV or XLSX): grid code, building
//! name and its point (纬度/经度 in WGS-84, or one 位置 cell "lat,lng"). Checked row by
//! row like the other tables; the service then checks each grid exists in the
//! administrator's area and that the point lies in that grid, and writes all or none.

use crate::domain::geo_point::GeoPoint;
use crate::domain::table_rows::{RowError, Table, TableColumn};
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Grid,
    Building,
    Lat,
    Lng,
    /// "lat,lng" in one cell, instead of the two columns.
    Point,
}

impl TableColumn for Column {
    const ALL: &'static [Column] = &[
        Column::Grid,
        Column::Building,
        Column::Lat,
        Column::Lng,
        Column::Point,
    ];

    fn headers(self) -> &'static [&'static str] {
        match self {
            Column::Grid => &["网格编码", "网格", "grid", "grid_code"],
            Column::Building => &["楼栋", "楼栋名称", "building", "name"],
            Column::Lat => &["纬度", "lat", "latitude"],
            Column::Lng => &["经度", "lng", "lon", "longitude"],
            Column::Point => &["位置", "坐标", "point"],
        }
    }
}

impl Column {
    pub fn header(self) -> &'static str {
        TableColumn::header(self)
    }
}

/// One building as the import will write it.
#[derive(Clone, Debug, PartialEq)]
pub struct BuildingRow {
    pub row: usize,
    pub grid: String,
    pub name: String,
    pub point: GeoPoint,
}

/// Buildings in one file: a large district has tens of thousands.
pub const MAX_BUILDINGS: usize = 50_000;

pub fn check_rows(rows: &[Vec<String>]) -> Result<Vec<BuildingRow>, Vec<RowError<Column>>> {
    // The point may be one column or two: every missing column is named at once.
    let table = Table::read(rows, &[], MAX_BUILDINGS)?;
    let mut missing: Vec<RowError<Column>> = [Column::Grid, Column::Building]
        .into_iter()
        .filter(|c| !table.has(*c))
        .map(|c| RowError::new(1, Some(c), Msg::ErrImportMissingColumn, c.header()))
        .collect();
    if !table.has(Column::Point) && !(table.has(Column::Lat) && table.has(Column::Lng)) {
        missing.push(RowError::new(
            1,
            Some(Column::Point),
            Msg::ErrImportMissingColumn,
            "纬度/经度",
        ));
    }
    if !missing.is_empty() {
        return Err(missing);
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for &(row, cells) in &table.rows {
        let cell = |col: Column| table.cell(cells, col);
        let (grid, name) = (cell(Column::Grid), cell(Column::Building));
        let before = errors.len();
        if grid.is_empty() {
            errors.push(RowError::new(row, Some(Column::Grid), Msg::ErrRequired, ""));
        }
        if name.is_empty() {
            errors.push(RowError::new(
                row,
                Some(Column::Building),
                Msg::ErrRequired,
                "",
            ));
        } else if name.chars().count() > 40 {
            errors.push(RowError::new(
                row,
                Some(Column::Building),
                Msg::ErrTooLong,
                &name,
            ));
        } else if !seen.insert((grid.clone(), name.clone())) {
            errors.push(RowError::new(
                row,
                Some(Column::Building),
                Msg::ErrImportDuplicateBuilding,
                &name,
            ));
        }
        let text = match cell(Column::Point) {
            p if !p.is_empty() => p,
            _ => format!("{},{}", cell(Column::Lat), cell(Column::Lng)),
        };
        let point = parse_point(&text);
        if point.is_none() {
            errors.push(RowError::new(
                row,
                Some(Column::Point),
                Msg::ErrImportPoint,
                &text,
            ));
        }
        if let (Some(point), true) = (point, errors.len() == before) {
            out.push(BuildingRow {
                row,
                grid,
                name,
                point,
            });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// "lat,lng" (comma, Chinese comma or space between) as a point on the earth.
fn parse_point(text: &str) -> Option<GeoPoint> {
    let parts: Vec<f64> = text
        .split([',', '，', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<f64>().ok())
        .collect::<Option<_>>()?;
    match parts[..] {
        [lat, lng] => GeoPoint::parse(lat, lng).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::domain::table_rows::text_table as table;

    #[test]
    fn points_come_from_two_columns_or_one() {
        let two = check_rows(&table(&[
            &["网格编码", "楼栋", "纬度", "经度"],
            &["g1", "1栋", "28.1", "115.2"],
        ]))
        .unwrap();
        assert_eq!((two[0].point.lat(), two[0].point.lng()), (28.1, 115.2));
        let one = check_rows(&table(&[
            &["grid", "building", "point"],
            &["g1", "2栋", "28.1， 115.2"],
        ]))
        .unwrap();
        assert_eq!(one[0].point.lng(), 115.2);
    }

    #[test]
    fn bad_rows_are_named() {
        let e = check_rows(&table(&[
            &["网格编码", "楼栋", "纬度", "经度"],
            &["g1", "1栋", "128.1", "115.2"],
            &["g1", "", "28.1", "115.2"],
            &["g1", "3栋", "28.1", "115.2"],
            &["g1", "3栋", "28.1", "x"],
        ]))
        .unwrap_err();
        let at = |row, col| e.iter().any(|e| e.row == row && e.column == Some(col));
        assert!(
            at(2, Column::Point)
                && at(3, Column::Building)
                && at(5, Column::Building)
                && at(5, Column::Point)
        );
        assert!(!at(4, Column::Building));
        let missing = check_rows(&table(&[&["楼栋", "纬度"], &["1栋", "28.1"]])).unwrap_err();
        assert_eq!(missing.len(), 2);
    }
}
