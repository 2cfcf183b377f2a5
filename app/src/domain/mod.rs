//! The domain: plain Rust with no I/O, compiled into both the server and the browser so
//! that both apply the same rules. Constructors named `parse` validate at the edge; a value
//! of a domain type is valid by construction.

pub mod assessment;
pub mod board;
pub mod building_table;
pub mod calendar;
pub mod calendar_cn;
pub mod case;
pub mod case_map;
pub mod catalogue;
pub mod category_standard;
pub mod category_table;
pub mod department_table;
pub mod geo_point;
pub mod hotline;
pub mod household;
pub mod kpi;
pub mod live;
pub mod login_throttle;
pub mod notify;
pub mod outbound;
pub mod password_policy;
pub mod people;
pub mod period;
pub mod privacy;
pub mod ranking;
pub mod reply_template;
pub mod report;
pub mod resident;
pub mod roster;
pub mod scope;
pub mod sheet;
pub mod table_rows;
pub mod territory;
pub mod tile_crs;

#[cfg(feature = "ssr")]
pub mod geometry;
#[cfg(feature = "ssr")]
pub mod open311;
#[cfg(feature = "ssr")]
pub mod territory_import;
