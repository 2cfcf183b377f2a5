//! About 5,000 demo cases over the last six months, made by running the real rules
//! (`machine::decide`) with the demo's own people, so every case has a consistent
//! timeline. Deterministic for a given "now": the same seed, the same story.

use super::rng::Rng;
use crate::domain::calendar::WorkCalendar;
use crate::domain::case::machine::{self, Context};
use crate::domain::case::{
    Action, Actor, CaseState, DispatchRole, DispatchTarget, InvalidReason, Satisfaction, Source,
    Tier,
};
use crate::domain::geometry::Boundary;
use crate::domain::people::Role;
use crate::domain::territory::Level;
use crate::ssr::db::Db;
use crate::ssr::store::cases::{self, NewCase, NewEvent, Tallies};
use crate::ssr::store::{self, StoreError, catalogue};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashMap;

pub const DEMO_CASES: usize = 5_000;
const DAYS: i64 = 182;

/// Problems as residents and workers describe them, per category.
fn descriptions(category: &str) -> &'static [&'static str] {
    match category {
        "dispute" => &[
            "邻里因楼道堆物发生争执",
            "楼上漏水引发邻里纠纷",
            "租户与房东押金纠纷",
            "停车位归属争议",
        ],
        "public_security" => &[
            "小区门禁损坏，外来人员随意进出",
            "夜间有人在广场聚集喧哗",
            "电动车被盗",
            "监控探头损坏",
        ],
        "work_safety" => &[
            "沿街店铺违规使用液化气罐",
            "工地未设置安全防护网",
            "小作坊电线私拉乱接",
        ],
        "sanitation" => &[
            "垃圾桶满溢未及时清运",
            "绿化带内有建筑垃圾",
            "公厕卫生差",
            "河道漂浮垃圾",
        ],
        "city_order" => &[
            "占道经营影响通行",
            "违规张贴小广告",
            "店外乱摆桌椅",
            "共享单车乱停放",
        ],
        "market" => &["无证流动摊贩销售食品", "超市销售过期食品", "商户缺斤少两"],
        "fire" => &[
            "楼道堆放杂物堵塞消防通道",
            "电动车楼道内充电",
            "消防栓缺水",
            "灭火器过期",
        ],
        "livelihood" => &[
            "独居老人需要助餐服务",
            "低保户申请咨询",
            "残疾人出行需要帮助",
            "困难家庭子女入学咨询",
        ],
        "infrastructure" => &[
            "路灯不亮",
            "人行道地砖破损",
            "窨井盖缺失",
            "小区道路坑洼积水",
        ],
        "traffic" => &["路口信号灯故障", "公交站台破损", "学校门口接送拥堵"],
        "water" => &["自来水管爆裂", "雨水井堵塞积水", "小区停水无通知"],
        _ => &["居民反映卫生健康问题", "疫苗接种咨询", "诊所无证行医"],
    }
}

struct People {
    /// username → (id, display name)
    accounts: HashMap<String, (i64, String)>,
}

impl People {
    fn actor(
        &self,
        username: &str,
        role: Role,
        level: Option<Level>,
        dept: Option<&str>,
    ) -> (Actor, i64, String) {
        let (id, name) = self
            .accounts
            .get(username)
            .cloned()
            .unwrap_or((0, username.to_owned()));
        (
            Actor::Staff {
                account_id: id,
                role,
                in_scope: dept.is_none(),
                level,
                department: dept.map(str::to_owned),
            },
            id,
            name,
        )
    }
}

struct Step {
    at: DateTime<Utc>,
    actor_account: Option<i64>,
    actor_name: String,
    actor_role: &'static str,
    action: Action,
}

/// Loads the demo cases relative to `now`. Needs the demo territory and people.
pub async fn load(db: &Db, now: DateTime<Utc>) -> Result<usize, StoreError> {
    let pool = &db.pool;
    let calendar = catalogue::calendar(pool).await?;
    let categories = catalogue::categories(pool).await?;
    let grids = store::territory::boundaries(pool, "/", Level::Grid).await?;
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, username, display_name FROM accounts")
            .fetch_all(pool)
            .await?;
    let people = People {
        accounts: rows.into_iter().map(|(id, u, n)| (u, (id, n))).collect(),
    };
    let worker_of: HashMap<String, String> = sqlx::query_as::<_, (String, String)>(
        "SELECT m.grid_code, a.username FROM grid_members m JOIN accounts a ON a.id = m.account_id WHERE m.kind = 'full_time'",
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .collect();
    let departments: Vec<String> = store::departments::list(pool)
        .await?
        .into_iter()
        .map(|d| d.code)
        .collect();

    let mut rng = Rng::new(0x5EED_0003);
    let mut tx = pool.begin().await?;
    // Open cases per (category, grid) for repeats: (id, state, lat, lng).
    let mut open_by_grid: HashMap<(String, String), Vec<(i64, CaseState)>> = HashMap::new();
    // Open problems that residents keep reporting (grid index, category index).
    let mut hotspots: Vec<(usize, usize)> = Vec::new();
    for n in 0..DEMO_CASES {
        let age_minutes =
            ((DEMO_CASES - n) as f64 / DEMO_CASES as f64 * DAYS as f64 * 24.0 * 60.0) as i64;
        let hot = age_minutes < 14 * 24 * 60 && !hotspots.is_empty() && rng.below(100) < 12;
        let (grid_index, cat_index) = if hot {
            hotspots[rng.below(hotspots.len().min(8))]
        } else {
            (
                rng.below(grids.len()),
                weighted_category(&mut rng, categories.len()),
            )
        };
        let (grid, boundary) = &grids[grid_index];
        let street_index: usize = grid.code[6..9].parse().unwrap_or(1);
        let center_user = if street_index == 1 {
            "center".to_owned()
        } else {
            format!("center{street_index}")
        };
        let worker_user = worker_of
            .get(&grid.code)
            .cloned()
            .unwrap_or_else(|| "worker".into());
        let cat = &categories[cat_index];
        // Older cases first, so that ids grow with time like real ones.
        let reported = working_moment(
            now - Duration::minutes(age_minutes + rng.below(600) as i64),
            &mut rng,
        );
        if reported >= now {
            continue;
        }
        let (lat, lng) = point_in(boundary, &mut rng);
        let source = match rng.below(100) {
            0..=54 => Source::GridWorker,
            55..=79 => Source::ResidentQr,
            80..=91 => Source::Hotline,
            92..=96 => Source::Patrol,
            _ => Source::Department,
        };
        let texts = descriptions(&cat.code);
        let description = texts[rng.below(texts.len())];
        let (reporter_id, reporter_name, reporter_role) = match source {
            Source::GridWorker | Source::Patrol => {
                let (_, id, name) =
                    people.actor(&worker_user, Role::Worker, Some(Level::Grid), None);
                (Some(id), name, "worker")
            }
            Source::ResidentQr => (None, "居民（扫码上报）".to_owned(), "resident"),
            Source::Hotline => (None, "12345热线".to_owned(), "hotline"),
            Source::Open311 => (None, "外部平台".to_owned(), "open311"),
            Source::Department => (None, "部门巡查".to_owned(), "dept"),
        };
        let mut state = CaseState::reported(&cat.code, &grid.code, reported, reporter_id);
        let id = cases::insert_with(
            &mut tx,
            &NewCase {
                tracking_code: &super::super::services::cases::new_tracking_code(),
                source,
                description,
                lat,
                lng,
                grid_path: &grid.path,
                state: &state,
            },
            Tallies::AtEnd,
        )
        .await?;
        cases::append_event(
            &mut tx,
            id,
            &NewEvent {
                at: reported,
                actor_account: reporter_id,
                actor_name: &reporter_name,
                actor_role: reporter_role,
                action: "report",
                note: description,
                data: serde_json::json!({ "source": source.as_str(), "category": cat.code, "grid": grid.code }),
            },
        )
        .await?;

        // Some recent reports repeat an open case nearby: merge them (repeat count, red at 2).
        let key = (cat.code.clone(), grid.code.clone());
        if let Some((target_id, target)) = open_by_grid.get(&key).and_then(|v| v.last()).cloned() {
            // A problem still open a month on gets reported again, and again.
            let chance = if hot {
                100
            } else if age_minutes < 30 * 24 * 60 {
                20
            } else {
                5
            };
            if rng.below(100) < chance && target.status.is_open() {
                let t_at = reported + Duration::minutes(20);
                if t_at < now {
                    let (actor, aid, aname) =
                        people.actor(&center_user, Role::Center, Some(Level::Street), None);
                    let ctx = ctx(&calendar, None, Some(&target));
                    if let Ok(d) = machine::decide(
                        &state,
                        &actor,
                        &Action::Merge { into: target_id },
                        t_at,
                        &ctx,
                    ) {
                        cases::save_state_with(&mut tx, id, &d.state, t_at, Tallies::AtEnd).await?;
                        event(
                            &mut tx,
                            id,
                            t_at,
                            Some(aid),
                            &aname,
                            "center",
                            &Action::Merge { into: target_id },
                            &state,
                            &d.state,
                        )
                        .await?;
                        let t = d.merge_target.expect("a merge has a target");
                        cases::save_state_with(&mut tx, target_id, &t, t_at, Tallies::AtEnd)
                            .await?;
                        cases::append_event(&mut tx, target_id, &NewEvent {
                            at: t_at, actor_account: Some(aid), actor_name: &aname, actor_role: "center", action: "merged_in", note: "",
                            data: serde_json::json!({ "from": id, "repeat_count": t.repeat_count }),
                        }).await?;
                        if let Some(v) = open_by_grid.get_mut(&key) {
                            if let Some(last) = v.last_mut() {
                                last.1 = t;
                            }
                        }
                        continue;
                    }
                }
            }
        }

        let steps = plan(
            &mut rng,
            reported,
            &calendar,
            &people,
            &center_user,
            &worker_user,
            &cat.code,
            &departments,
        );
        let copy = cat.copy_department.clone();
        for step in steps {
            if step.at >= now {
                break;
            }
            let actor = actor_for_step(&people, &step);
            let c = ctx(&calendar, copy.as_deref(), None);
            match machine::decide(&state, &actor, &step.action, step.at, &c) {
                Ok(d) => {
                    let before = std::mem::replace(&mut state, d.state);
                    let (who, name, role) = (step.actor_account, &step.actor_name, step.actor_role);
                    event(
                        &mut tx,
                        id,
                        step.at,
                        who,
                        name,
                        role,
                        &step.action,
                        &before,
                        &state,
                    )
                    .await?;
                }
                Err(_) => break,
            }
        }
        cases::save_state_with(
            &mut tx,
            id,
            &state,
            now.min(state.closed_at.unwrap_or(now)),
            Tallies::AtEnd,
        )
        .await?;
        if state.status.is_open() {
            if age_minutes < 20 * 24 * 60 && hotspots.len() < 8 {
                hotspots.push((grid_index, cat_index));
            }
            open_by_grid.entry(key).or_default().push((id, state));
        }
    }
    // One pass instead of thousands of per-step recomputations.
    crate::ssr::store::tallies::rebuild_in(&mut tx).await?;
    tx.commit().await?;
    Ok(DEMO_CASES)
}

fn actor_for_step(people: &People, step: &Step) -> Actor {
    let username = people
        .accounts
        .iter()
        .find(|(_, (id, _))| Some(*id) == step.actor_account)
        .map(|(u, _)| u.clone());
    match (step.actor_role, username) {
        ("resident", _) | (_, None) => Actor::Reporter,
        ("center", Some(u)) => people.actor(&u, Role::Center, Some(Level::Street), None).0,
        ("worker", Some(u)) => people.actor(&u, Role::Worker, Some(Level::Grid), None).0,
        ("leader", Some(u)) => {
            people
                .actor(&u, Role::Leader, Some(Level::District), None)
                .0
        }
        ("dept", Some(u)) => {
            let code = if u == "dept" {
                "urban".to_owned()
            } else {
                u.trim_start_matches("dept-").to_owned()
            };
            people.actor(&u, Role::Dept, None, Some(&code)).0
        }
        _ => Actor::Reporter,
    }
}

/// The generator only names departments and categories that exist.
fn ctx<'a>(
    calendar: &'a WorkCalendar,
    copy: Option<&'a str>,
    target: Option<&'a CaseState>,
) -> Context<'a> {
    Context {
        calendar,
        ack_days: 1,
        copy_department: copy,
        department_exists: &|_| true,
        category_exists: &|_| true,
        merge_target: target,
        // Only residents rate in the demo.
        resolved_by: None,
        // The demo's clocks are the tiers' (its categories set no limits of their own).
        limits: Default::default(),
        category_urgent: false,
        subcategory_of: &|_| None,
        // The demo's grid results are not drawn: its checks are of departments' results.
        spot_check: false,
        verifiers: crate::domain::case::machine::DEFAULT_VERIFIERS,
        // The demo's results come with their photos where the category asks.
        result_photo_required: false,
        step_photos: 0,
    }
}

#[allow(clippy::too_many_arguments)]
async fn event(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: i64,
    at: DateTime<Utc>,
    account: Option<i64>,
    name: &str,
    role: &str,
    action: &Action,
    before: &CaseState,
    after: &CaseState,
) -> Result<(), StoreError> {
    cases::append_event_with(
        tx,
        id,
        &NewEvent {
            at,
            actor_account: account,
            actor_name: name,
            actor_role: role,
            action: action.name(),
            note: action.note(),
            data: crate::ssr::services::cases::event_data(action, before, after, at),
        },
        Tallies::AtEnd,
    )
    .await
    .map(|_| ())
}

/// Categories are not equally common: sanitation and city order lead, as in real ledgers.
fn weighted_category(rng: &mut Rng, n: usize) -> usize {
    const WEIGHTS: [usize; 12] = [10, 7, 5, 16, 15, 6, 8, 9, 12, 5, 4, 3];
    let total: usize = WEIGHTS.iter().take(n).sum();
    let mut x = rng.below(total.max(1));
    for (i, w) in WEIGHTS.iter().take(n).enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    0
}

/// A moment in the daytime (07:30–21:30 local) near `t`.
fn working_moment(t: DateTime<Utc>, rng: &mut Rng) -> DateTime<Utc> {
    use chrono::{TimeZone, Timelike};
    let tz = crate::domain::calendar::district_tz();
    let local = t.with_timezone(&tz);
    let minute = 7 * 60 + 30 + rng.below(14 * 60) as u32;
    tz.with_ymd_and_hms(
        chrono::Datelike::year(&local),
        chrono::Datelike::month(&local),
        chrono::Datelike::day(&local),
        minute / 60,
        minute % 60,
        0,
    )
    .single()
    .map(|d| d.with_timezone(&Utc))
    .unwrap_or(t)
    .with_second(0)
    .unwrap_or(t)
}

/// A point inside a grid: a random blend of its corners, pulled towards the middle.
fn point_in(b: &Boundary, rng: &mut Rng) -> (f64, f64) {
    let ring = b.ring();
    let corners = &ring[..ring.len() - 1];
    let mut w: Vec<f64> = corners.iter().map(|_| 0.5 + rng.unit()).collect();
    let s: f64 = w.iter().sum();
    w.iter_mut().for_each(|x| *x /= s);
    let lng = corners.iter().zip(&w).map(|(c, w)| c[0] * w).sum();
    let lat = corners.iter().zip(&w).map(|(c, w)| c[1] * w).sum();
    (lat, lng)
}

/// The story of one case as a list of steps; it stops where "now" cuts it.
#[allow(clippy::too_many_arguments)]
fn plan(
    rng: &mut Rng,
    reported: DateTime<Utc>,
    calendar: &WorkCalendar,
    people: &People,
    center: &str,
    worker: &str,
    category: &str,
    departments: &[String],
) -> Vec<Step> {
    let acct = |u: &str| people.accounts.get(u).cloned().unwrap_or((0, u.to_owned()));
    let step = |at: DateTime<Utc>, user: &str, role: &'static str, action: Action| {
        let (id, name) = acct(user);
        Step {
            at,
            actor_account: Some(id),
            actor_name: name,
            actor_role: role,
            action,
        }
    };
    let mut steps = Vec::new();
    // About one report in twenty-five is not a case (不予立案), as districts publish.
    if rng.below(100) < 4 {
        let (reason, note) = INVALID_REASONS[rng.below(INVALID_REASONS.len())];
        let at = calendar.add_working_time(reported, Duration::minutes(15 + rng.below(90) as i64));
        steps.push(step(
            at,
            center,
            "center",
            Action::Invalidate {
                reason,
                note: note.into(),
            },
        ));
        return steps;
    }
    let tier = match rng.below(100) {
        0..=54 => Tier::Simple,
        55..=89 => Tier::Coordination,
        _ => Tier::Key,
    };
    let triaged = calendar.add_working_time(reported, Duration::minutes(10 + rng.below(80) as i64));
    let key_days = (tier == Tier::Key).then(|| 10 + rng.below(6) as u32);
    let urgent = tier != Tier::Key && rng.below(100) < 6;
    steps.push(step(
        triaged,
        center,
        "center",
        Action::Triage {
            tier,
            category: None,
            subcategory: None,
            key_days,
            urgent,
            note: String::new(),
        },
    ));
    let deadline = match (tier, urgent) {
        (Tier::Simple, false) => calendar.add_working_time(triaged, Duration::hours(2)),
        (Tier::Simple, true) => calendar.add_working_time(triaged, Duration::hours(1)),
        (Tier::Coordination, false) => calendar.add_working_days(triaged, 5),
        (Tier::Coordination, true) => calendar.add_working_days(triaged, 2),
        (Tier::Key, _) => calendar.add_working_days(triaged, key_days.unwrap_or(10)),
    };
    let on_time = rng.below(100) < 91;
    let total = calendar.working_time_between(triaged, deadline);
    let share = if on_time {
        0.15 + rng.unit() * 0.75
    } else {
        1.05 + rng.unit() * 0.8
    };
    let resolve_at = calendar.add_working_time(
        triaged,
        Duration::seconds((total.num_seconds() as f64 * share) as i64),
    );
    let results = [
        "已现场处置完毕",
        "已协调相关方解决",
        "已维修恢复",
        "已清理整改到位",
        "已上门服务并登记",
    ];
    let result = results[rng.below(results.len())].to_owned();
    let resolver: (String, &'static str);
    if tier == Tier::Simple {
        resolver = (worker.to_owned(), "worker");
    } else {
        let lead = lead_department(category, rng, departments);
        let dept_user = if lead == "urban" {
            "dept".to_owned()
        } else {
            format!("dept-{lead}")
        };
        let dispatched =
            calendar.add_working_time(triaged, Duration::minutes(5 + rng.below(60) as i64));
        let mut targets = vec![DispatchTarget {
            department: lead.clone(),
            role: DispatchRole::Lead,
        }];
        if tier == Tier::Key || rng.below(100) < 25 {
            let co = departments[rng.below(departments.len())].clone();
            if co != lead {
                targets.push(DispatchTarget {
                    department: co,
                    role: DispatchRole::CoHandler,
                });
            }
        }
        steps.push(step(
            dispatched,
            center,
            "center",
            Action::Dispatch {
                departments: targets,
                note: String::new(),
            },
        ));
        // Most departments report for duty within hours; a few miss the day.
        let late_ack = rng.below(100) < 4;
        let ack = calendar.add_working_time(
            dispatched,
            Duration::minutes(if late_ack {
                9 * 60 + 30
            } else {
                20 + rng.below(240) as i64
            }),
        );
        steps.push(step(
            ack,
            &dept_user,
            "dept",
            Action::Acknowledge {
                note: "已签收".into(),
            },
        ));
        if rng.below(100) < 40 {
            let mid = ack + (resolve_at - ack) / 2;
            steps.push(step(
                mid,
                &dept_user,
                "dept",
                Action::Progress {
                    note: "正在处理，已安排人员到场".into(),
                },
            ));
        }
        // Some late cases ask for more time (延期), approved by the centre.
        if !on_time && rng.below(100) < 45 {
            let asked = calendar.add_working_time(ack, Duration::hours(2));
            steps.push(step(
                asked,
                &dept_user,
                "dept",
                Action::RequestExtension {
                    days: 3,
                    reason: "需协调施工队伍，申请延期".into(),
                },
            ));
            steps.push(step(
                asked + Duration::hours(1),
                center,
                "center",
                Action::ApproveExtension {
                    approve: true,
                    note: "同意延期".into(),
                },
            ));
        }
        // A few cases wait for budget or season (缓办): asked for after the acknowledgement,
        // approved by the centre; they stay deferred until their review date.
        if rng.below(100) < 3 {
            let asked = calendar.add_working_time(ack, Duration::hours(3));
            let review_on = (asked + Duration::days(20 + rng.below(40) as i64))
                .with_timezone(&crate::domain::calendar::district_tz())
                .date_naive();
            steps.push(step(
                asked,
                &dept_user,
                "dept",
                Action::Defer {
                    reason: "需纳入年度维修计划，待资金下达后实施".into(),
                    review_on,
                },
            ));
            steps.push(step(
                asked + Duration::hours(2),
                center,
                "center",
                Action::ApproveDeferral {
                    approve: true,
                    note: "同意缓办，到期复查".into(),
                },
            ));
            return steps;
        }
        resolver = (dept_user, "dept");
    }
    if tier != Tier::Simple && rng.below(100) < 3 {
        steps.push(step(
            triaged + Duration::hours(3),
            "leader",
            "leader",
            Action::Supervise {
                note: "请加快办理，按期办结".into(),
            },
        ));
    }
    steps.sort_by_key(|s| s.at);
    let resolve_at =
        resolve_at.max(steps.last().map(|s| s.at).unwrap_or(resolve_at) + Duration::minutes(10));
    steps.push(step(
        resolve_at,
        &resolver.0,
        resolver.1,
        Action::Resolve { result },
    ));
    // A department's result is checked on site by the grid worker (核查); about one in
    // twelve fails and is reworked (返工), a few checks come late.
    let resolve_at = if tier == Tier::Simple {
        resolve_at
    } else {
        verify_steps(
            rng, calendar, resolve_at, worker, &resolver, &mut steps, &step,
        )
    };
    // Feedback: most reporters rate within a day; 95 % are satisfied.
    let rated = resolve_at + Duration::hours(2 + rng.below(30) as i64);
    let roll = rng.below(100);
    if roll < 85 {
        let s = if rng.below(100) < 96 {
            if rng.below(100) < 80 {
                Satisfaction::Satisfied
            } else {
                Satisfaction::BasicallySatisfied
            }
        } else {
            Satisfaction::Dissatisfied
        };
        steps.push(Step {
            at: rated,
            actor_account: None,
            actor_name: "群众回访".into(),
            actor_role: "resident",
            action: Action::Feedback {
                satisfaction: s,
                comment: String::new(),
            },
        });
        if s == Satisfaction::Dissatisfied {
            let again = rated + Duration::hours(20);
            steps.push(step(
                again,
                &resolver.0,
                resolver.1,
                Action::Resolve {
                    result: "再次上门处理，问题已解决".into(),
                },
            ));
            if tier != Tier::Simple {
                steps.push(step(
                    again + Duration::hours(2),
                    worker,
                    "worker",
                    Action::Verify {
                        passed: true,
                        note: "复查已解决".into(),
                    },
                ));
            }
            steps.push(Step {
                at: again + Duration::hours(5),
                actor_account: None,
                actor_name: "群众回访".into(),
                actor_role: "resident",
                action: Action::Feedback {
                    satisfaction: Satisfaction::BasicallySatisfied,
                    comment: String::new(),
                },
            });
        }
    } else {
        steps.push(step(
            resolve_at + Duration::days(3) + Duration::hours(1),
            center,
            "center",
            Action::Close {
                note: "逾期未评价，默认满意".into(),
            },
        ));
    }
    steps
}

/// Why demo reports are declared invalid, with the note the reporter reads.
const INVALID_REASONS: [(InvalidReason, &str); 5] = [
    (
        InvalidReason::Duplicate,
        "与同一地点此前已受理的事件重复，请关注原事件的办理进度。",
    ),
    (
        InvalidReason::NotOurRemit,
        "该问题属于物业服务合同纠纷，请向小区物业服务企业或区住建局物业科反映。",
    ),
    (InvalidReason::NotAProblem, "网格员已到现场查看，设施完好。"),
    (
        InvalidReason::CannotLocate,
        "描述中的位置无法确定，请补充楼栋或门牌号。",
    ),
    (InvalidReason::NotAProblem, "现场查看未发现占道情况。"),
];

/// The on-site check after a department's result: mostly passed within the day; about one
/// in twelve fails and the department resolves again. Returns when the case stood resolved.
fn verify_steps(
    rng: &mut Rng,
    calendar: &WorkCalendar,
    resolved: DateTime<Utc>,
    worker: &str,
    resolver: &(String, &'static str),
    steps: &mut Vec<Step>,
    step: &dyn Fn(DateTime<Utc>, &str, &'static str, Action) -> Step,
) -> DateTime<Utc> {
    // A late check misses the end of the next working day (20 working hours on).
    let late = rng.below(100) < 7;
    let checked = calendar.add_working_time(
        resolved,
        Duration::minutes(if late {
            20 * 60
        } else {
            30 + rng.below(300) as i64
        }),
    );
    if rng.below(100) < 8 {
        steps.push(step(
            checked,
            worker,
            "worker",
            Action::Verify {
                passed: false,
                note: "现场核查仍有遗留问题，需彻底整改".into(),
            },
        ));
        let again = calendar.add_working_time(checked, Duration::hours(4 + rng.below(8) as i64));
        steps.push(step(
            again,
            &resolver.0,
            resolver.1,
            Action::Resolve {
                result: "已返工整改到位".into(),
            },
        ));
        let rechecked = calendar.add_working_time(again, Duration::hours(2));
        steps.push(step(
            rechecked,
            worker,
            "worker",
            Action::Verify {
                passed: true,
                note: "复查已整改到位".into(),
            },
        ));
        return rechecked;
    }
    steps.push(step(
        checked,
        worker,
        "worker",
        Action::Verify {
            passed: true,
            note: "现场核查已解决".into(),
        },
    ));
    checked
}

/// The department a category usually goes to.
fn lead_department(category: &str, rng: &mut Rng, departments: &[String]) -> String {
    let usual = match category {
        "dispute" => "justice",
        "public_security" => "police",
        "work_safety" => "emergency",
        "sanitation" => "sanitation",
        "city_order" => "urban",
        "market" => "market",
        "fire" => "fire",
        "livelihood" => "civil",
        "infrastructure" => "housing",
        "traffic" => "transport",
        "water" => "water",
        _ => "health",
    };
    if rng.below(100) < 85 || departments.is_empty() {
        usual.to_owned()
    } else {
        departments[rng.below(departments.len())].clone()
    }
}
