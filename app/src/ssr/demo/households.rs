//! Demo households: every grid gets a dozen or so households with members, special
//! populations and a visit history by the grid's full-time worker, so that overdue visits
//! exist on day one. Deterministic; names fictional; phone numbers and ID numbers
//! well-formed (the ID check character is right) but fake (district code 360199 is the
//! demo's own).

use super::names::{GIVEN_NAMES, SURNAMES};
use super::rng::Rng;
use crate::domain::calendar::district_tz;
use crate::domain::household::id_number::{check_char, mask_id_number};
use crate::domain::household::{PopulationTag, builtin_tags, join_tags, visit_interval};
use crate::domain::privacy::mask_phone;
use crate::ssr::crypto::Sealer;
use crate::ssr::db::Db;
use crate::ssr::store::StoreError;
use crate::ssr::store::households::{self as hh, MemberValues, NewVisit};
use chrono::{DateTime, Duration, TimeZone, Utc};

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct HouseholdStats {
    pub households: usize,
    pub members: usize,
    pub visits: usize,
}

const VISIT_NOTES: [&str; 6] = [
    "身体状况良好，家中整洁，无安全隐患。",
    "检查燃气、电线，提醒注意用电安全。",
    "老人反映腿脚不便，已联系社区志愿者帮忙买菜。",
    "了解就业意向，推送了社区招聘信息。",
    "低保材料已按时提交，生活基本稳定。",
    "孩子在校情况良好，监护人在家。",
];

pub async fn load(
    db: &Db,
    sealer: &Sealer,
    now: DateTime<Utc>,
) -> Result<HouseholdStats, StoreError> {
    let pool = &db.pool;
    let grids: Vec<(String, String)> = sqlx::query_as(
        "SELECT t.code, t.name FROM territory_nodes t WHERE t.level = 'grid' ORDER BY t.code",
    )
    .fetch_all(pool)
    .await?;
    let workers: std::collections::HashMap<String, i64> = sqlx::query_as::<_, (String, i64)>(
        "SELECT m.grid_code, m.account_id FROM grid_members m \
         WHERE m.kind = 'full_time' AND m.account_id IS NOT NULL",
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .collect();
    let tags: Vec<PopulationTag> = builtin_tags();
    let mut rng = Rng::new(0x484f_5553_4548_4f4c);
    let mut stats = HouseholdStats::default();
    let registered = now - Duration::days(200);
    let mut tx = pool.begin().await?;
    for (g, (grid, _)) in grids.iter().enumerate() {
        let count = 10 + rng.below(8);
        for h in 0..count {
            let building = format!("{}栋", 1 + h / 4);
            let address = format!(
                "{}{}单元{}0{}室",
                building,
                1 + h % 2,
                1 + rng.below(6),
                1 + h % 4
            );
            let id = match hh::find_household(&mut tx, grid, &address).await? {
                Some(id) => id,
                None => {
                    hh::insert_household(&mut tx, grid, &building, &address, registered).await?
                }
            };
            let surname = *rng.pick(&SURNAMES);
            // The household's situation decides its members and their tags.
            let kind = rng.below(10);
            let members: Vec<(String, &str, i32, Vec<&str>)> = match kind {
                0 | 1 => vec![(
                    name(surname, &mut rng),
                    "户主",
                    1936 + rng.below(15) as i32,
                    vec!["elderly_alone"],
                )],
                2 => vec![
                    (
                        name(surname, &mut rng),
                        "户主",
                        1960 + rng.below(20) as i32,
                        vec!["disabled", "subsistence"],
                    ),
                    (
                        name(surname, &mut rng),
                        "配偶",
                        1962 + rng.below(20) as i32,
                        vec![],
                    ),
                ],
                3 => vec![
                    (
                        name(surname, &mut rng),
                        "祖母",
                        1950 + rng.below(10) as i32,
                        vec!["subsistence"],
                    ),
                    (
                        name(surname, &mut rng),
                        "孙子女",
                        2012 + rng.below(8) as i32,
                        vec!["child_in_difficulty"],
                    ),
                ],
                4 => vec![
                    (
                        name(surname, &mut rng),
                        "户主",
                        1975 + rng.below(20) as i32,
                        vec!["unemployed"],
                    ),
                    (
                        name(surname, &mut rng),
                        "配偶",
                        1977 + rng.below(20) as i32,
                        vec![],
                    ),
                    (
                        name(surname, &mut rng),
                        "子女",
                        2005 + rng.below(15) as i32,
                        vec![],
                    ),
                ],
                _ => vec![
                    (
                        name(surname, &mut rng),
                        "户主",
                        1965 + rng.below(30) as i32,
                        vec![],
                    ),
                    (
                        name(surname, &mut rng),
                        "配偶",
                        1967 + rng.below(30) as i32,
                        vec![],
                    ),
                ],
            };
            for (i, (member, relation, year, member_tags)) in members.iter().enumerate() {
                let phone = format!(
                    "1{}{}0000{:04}",
                    [3, 5, 8][rng.below(3)],
                    rng.below(10),
                    rng.below(10_000)
                );
                let idn = fake_id(*year, &mut rng);
                hh::upsert_member(
                    &mut tx,
                    id,
                    &MemberValues {
                        name: member,
                        relation,
                        phone_sealed: Some(sealer.seal(&phone)),
                        phone_masked: mask_phone(&phone),
                        id_sealed: Some(sealer.seal(&idn)),
                        id_masked: mask_id_number(&idn),
                        birth_year: Some(*year),
                        tags: join_tags(member_tags.iter().copied()),
                    },
                    i as i64,
                )
                .await?;
                stats.members += 1;
            }
            let rule = visit_interval(members.iter().flat_map(|m| m.3.iter().copied()), &tags);
            hh::set_household(&mut tx, id, &building, rule, registered).await?;
            stats.households += 1;
            // A history of visits; the last one so long ago that about a third are overdue.
            if let (Some(every), Some(account)) = (rule, workers.get(grid)) {
                let every = i64::from(every);
                // The first households of the first grid are always overdue: the demo
                // worker's list is never empty on day one.
                let last_ago = if g == 0 && h < 3 {
                    every + 2 + h as i64
                } else {
                    rng.below((every as usize * 3 / 2).max(2)) as i64
                };
                let mut ago = last_ago + every * 3;
                while ago >= last_ago {
                    // In working hours of that day (08:30–16:30), never in the future.
                    let day = (now - Duration::days(ago))
                        .with_timezone(&district_tz())
                        .date_naive();
                    let at = district_tz()
                        .from_local_datetime(&day.and_hms_opt(8, 30, 0).unwrap_or_default())
                        .single()
                        .map(|t| t.with_timezone(&Utc))
                        .unwrap_or(now)
                        + Duration::minutes(rng.below(480) as i64);
                    let at = at.min(now - Duration::minutes(30));
                    hh::insert_visit(
                        &mut tx,
                        &NewVisit {
                            household_id: id,
                            grid_code: grid,
                            account_id: *account,
                            visited_at: at,
                            minutes: 15 + rng.below(40) as u32,
                            point: None,
                            notes: *rng.pick(&VISIT_NOTES),
                            needs: "",
                            photo: None,
                            case_id: None,
                        },
                        at,
                    )
                    .await?;
                    stats.visits += 1;
                    ago -= every;
                }
            }
        }
    }
    tx.commit().await?;
    Ok(stats)
}

fn name(surname: &str, rng: &mut Rng) -> String {
    format!("{surname}{}", rng.pick(&GIVEN_NAMES))
}

/// An 18-character number with the demo district's code and a correct check character.
fn fake_id(year: i32, rng: &mut Rng) -> String {
    let body = format!(
        "360199{year:04}{:02}{:02}{:03}",
        1 + rng.below(12),
        1 + rng.below(28),
        rng.below(1000)
    );
    let check = check_char(body.as_bytes()) as char;
    format!("{body}{check}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn fake_ids_pass_the_real_check() {
        let mut rng = super::Rng::new(7);
        for y in [1936, 1980, 2015] {
            let id = super::fake_id(y, &mut rng);
            assert_eq!(
                crate::domain::household::id_number::parse_id_number(&id).unwrap(),
                id
            );
        }
    }
}
