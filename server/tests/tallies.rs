//! The tallies kept step by step (a difference per step, `store::tallies::delta`) equal a
//! full recomputation from the cases after any sequence of steps: random sequences of
//! reports (staff and residents), triage, dispatch, acknowledgement, resolution, ratings
//! (staff and residents), verification, returns, escalation, deferral, merges and closing,
//! by the actors allowed and not, across months and deadlines, on SQLite and PostgreSQL.
//! Refused steps are part of the sequence: they must change nothing.
//!
//! Seeds: `GRIDGOV_TALLY_SEEDS` (comma-separated) replaces the default ones; a failure
//! names its seed and step so that it can be replayed.

mod common;

use axum::http::StatusCode;
use chrono::Duration;
use serde_json::{Value, json};

const MY_GRID: &str = "360199001001001";
const STEPS: usize = 200;
/// Compare with a recomputation this often (and at the end).
const CHECK_EVERY: usize = 20;

/// A small deterministic generator (xorshift), so that a seed replays its sequence.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn seeds() -> Vec<u64> {
    std::env::var("GRIDGOV_TALLY_SEEDS")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![0x9e37_79b9_7f4a_7c15, 20_261_207])
}

/// A case of the sequence: its id, and the resident's tracking code and token if a
/// resident reported it.
struct Case {
    id: i64,
    resident: Option<(String, String)>,
}

struct Actors {
    worker: String,
    center: String,
    urban: String,
    police: String,
}

impl Actors {
    /// Fresh sessions (time moves on in days, past a session's life).
    async fn login(app: &common::TestApp) -> Actors {
        Actors {
            worker: app.login("worker").await,
            center: app.login("center").await,
            urban: app.login("dept").await,
            police: app.login("dept-police").await,
        }
    }
}

/// One random step; the answer does not matter (refusals are steps too), only that the
/// server answered as a server does.
async fn step(
    app: &common::TestApp,
    rng: &mut Rng,
    who: &mut Actors,
    cases: &mut Vec<Case>,
    at: (f64, f64),
) -> String {
    let roll = rng.below(100);
    if cases.is_empty() || roll < 8 {
        let category = *rng.pick(&[
            "sanitation",
            "city_order",
            "fire",
            "public_security",
            "water",
        ]);
        let id = app.report(&who.worker, category, at.0, at.1).await;
        cases.push(Case { id, resident: None });
        return format!("report {id}");
    }
    if roll < 12 {
        let Some((code, token)) = resident_report(app).await else {
            return "resident report: rate-limited".into();
        };
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM cases WHERE tracking_code = $1")
            .bind(&code)
            .fetch_one(&app.state.db.pool)
            .await
            .unwrap();
        cases.push(Case {
            id,
            resident: Some((code, token)),
        });
        return format!("resident report {id}");
    }
    if roll < 15 {
        let days = 1 + rng.below(12) as i64;
        app.advance(Duration::days(days));
        *who = Actors::login(app).await;
        return format!("{days} days pass");
    }
    // Mostly one of the newest cases, so that cases get far in their life.
    let newest = cases.len().saturating_sub(6);
    let case = if rng.below(4) == 0 {
        &cases[rng.below(cases.len())]
    } else {
        &cases[newest + rng.below(cases.len() - newest)]
    };
    if roll < 20 {
        if let Some((code, token)) = &case.resident {
            let satisfaction = *rng.pick(&["satisfied", "basically_satisfied", "dissatisfied"]);
            let r = app
                .json(
                    axum::http::Method::POST,
                    &format!("/api/v1/public/reports/{code}/feedback"),
                    json!({"satisfaction": satisfaction, "token": token}),
                    None,
                )
                .await;
            assert!(r.status.as_u16() < 500, "{}", r.body);
            return format!("resident rates {} {satisfaction}: {}", case.id, r.status);
        }
    }
    // Mostly a step someone may take now (as the case page offers it to them); now and
    // then any step by anyone, to be refused.
    let everyone = [&who.worker, &who.center, &who.urban, &who.police];
    let start = rng.below(everyone.len());
    let mut offer = None;
    if rng.below(6) != 0 {
        for k in 0..everyone.len() {
            let actor = everyone[(start + k) % everyone.len()];
            let detail = app
                .get(&format!("/api/v1/cases/{}", case.id), Some(actor))
                .await;
            if detail.status != StatusCode::OK {
                continue;
            }
            // Steps that change nothing counted (notes, consultations) are left to others.
            let allowed: Vec<String> =
                serde_json::from_value::<Vec<String>>(detail.json()["allowed_actions"].clone())
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|a| !matches!(a.as_str(), "progress" | "consult" | "supervise"))
                    .collect();
            // Steps that carry a case forward come first two times in three, so that
            // sequences reach results and ratings rather than circling.
            let forward: Vec<String> = allowed
                .iter()
                .filter(|a| FORWARD.contains(&a.as_str()))
                .cloned()
                .collect();
            let choice = if !forward.is_empty() && rng.below(3) != 0 {
                &forward
            } else {
                &allowed
            };
            if !choice.is_empty() {
                offer = Some((actor, rng.pick(choice).clone()));
                break;
            }
        }
    }
    let (actor, name) = offer.unwrap_or_else(|| (everyone[start], rng.pick(&ACTIONS).to_string()));
    let other = cases[rng.below(cases.len())].id;
    let action = action(app, rng, &name, other);
    let r = app.act(case.id, actor, action.clone()).await;
    assert!(r.status.as_u16() < 500, "{action} → {}", r.body);
    format!("{} on {}: {}", action["action"], case.id, r.status)
}

const FORWARD: [&str; 7] = [
    "triage",
    "dispatch",
    "acknowledge",
    "resolve",
    "feedback",
    "verify",
    "close",
];

const ACTIONS: [&str; 18] = [
    "triage",
    "invalidate",
    "dispatch",
    "acknowledge",
    "return",
    "progress",
    "resolve",
    "feedback",
    "escalate",
    "request_extension",
    "approve_extension",
    "supervise",
    "merge",
    "close",
    "verify",
    "defer",
    "approve_deferral",
    "resume",
];

/// The request for the step called `name`, with random choices where it has any.
fn action(app: &common::TestApp, rng: &mut Rng, name: &str, other: i64) -> Value {
    let yes = rng.below(3) != 0;
    match name {
        "triage" => {
            json!({"action": name, "tier": rng.pick(&["simple", "coordination", "key"]), "urgent": rng.below(4) == 0})
        }
        "invalidate" => {
            json!({"action": name, "reason": "duplicate", "note": format!("与事件 {other} 重复")})
        }
        "dispatch" => {
            json!({"action": name, "departments": [{"department": rng.pick(&["urban", "police"]), "role": "lead"}]})
        }
        "return" | "escalate" | "request_extension" | "defer" | "resolve" | "progress"
        | "supervise" => {
            let today = app.state.clock.now().date_naive();
            json!({"action": name, "reason": "需要协调", "result": "已处理完毕", "note": "跟进中",
                   "days": 1 + rng.below(5), "review_on": today + Duration::days(1 + rng.below(30) as i64)})
        }
        "feedback" => {
            json!({"action": name, "satisfaction": rng.pick(&["satisfied", "basically_satisfied", "dissatisfied"]),
                   "comment": "电话回访，居民的原话已记录"})
        }
        "merge" => json!({"action": name, "into": other}),
        "verify" => json!({"action": name, "passed": yes}),
        "approve_extension" | "approve_deferral" => json!({"action": name, "approve": yes}),
        _ => json!({"action": name}),
    }
}

/// A resident's report from the QR page's API: (tracking code, feedback token), or None
/// when residents' reports are rate-limited just now.
async fn resident_report(app: &common::TestApp) -> Option<(String, String)> {
    let r = app
        .public_report(
            &[
                ("grid", MY_GRID),
                ("category", "sanitation"),
                ("description", "垃圾堆放无人清运，气味很大"),
            ],
            common::png(16, 16),
        )
        .await;
    if r.status == StatusCode::TOO_MANY_REQUESTS {
        return None;
    }
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let j = r.json();
    let text = |k: &str| j[k].as_str().unwrap().to_owned();
    Some((text("tracking_code"), text("feedback_token")))
}

/// The tallies as kept, then as recomputed from the cases: they must be the same.
async fn same_as_recomputed(app: &common::TestApp, seed: u64, done: &[String]) {
    let kept = app.tally_lines().await;
    app::ssr::store::tallies::rebuild(&app.state.db.pool)
        .await
        .unwrap();
    let recomputed = app.tally_lines().await;
    if kept != recomputed {
        let only_kept: Vec<_> = kept.iter().filter(|r| !recomputed.contains(r)).collect();
        let only_recomputed: Vec<_> = recomputed.iter().filter(|r| !kept.contains(r)).collect();
        panic!(
            "seed {seed}, after {} steps (last: {:?}): kept but not recomputed {only_kept:#?}, \
             recomputed but not kept {only_recomputed:#?}",
            done.len(),
            done.last()
        );
    }
}

backend_tests! {
    async fn tallies_after_random_steps_equal_a_recomputation(app: TestApp) {
        let mut who = Actors::login(&app).await;
        let at = app.inside(&who.worker, MY_GRID).await;
        let mut moved = 0;
        for seed in seeds() {
            let mut rng = Rng(seed);
            let mut cases = Vec::new();
            let mut done = Vec::new();
            for k in 1..=STEPS {
                done.push(step(&app, &mut rng, &mut who, &mut cases, at).await);
                if k % CHECK_EVERY == 0 {
                    same_as_recomputed(&app, seed, &done).await;
                }
            }
            // The sequence must have moved cases through their life, not only reported them.
            moved += done.iter().filter(|d| d.ends_with("200 OK")).count();
            if std::env::var_os("GRIDGOV_TALLY_TRACE").is_some() {
                eprintln!("seed {seed}: {done:#?}");
            }
        }
        assert!(moved > 40, "too few steps were taken: {moved}");
        let rows: Value = json!(app.tally_lines().await.len());
        assert!(rows.as_u64().unwrap() > 10, "the tallies hold rows: {rows}");
    }

    // PostgreSQL plans a step's statements once (they look cases up by id), while the
    // figures' reads outside a write still plan each run (prefix ranges, `pool_options`).
    // SQLite's writer keeps a larger page cache than each reader.
    async fn writes_and_reads_are_tuned_each_their_way(app: TestApp) {
        let setting = match app.state.db.backend {
            app::ssr::db::Backend::Postgres => "SELECT current_setting('plan_cache_mode')",
            app::ssr::db::Backend::Sqlite => "SELECT CAST(cache_size AS TEXT) FROM pragma_cache_size",
        };
        let mut tx = app.state.db.begin_write().await.unwrap();
        let inside: String = sqlx::query_scalar(setting).fetch_one(&mut **tx).await.unwrap();
        tx.commit().await.unwrap();
        let outside: String = sqlx::query_scalar(setting).fetch_one(&app.state.db.pool).await.unwrap();
        let want = match app.state.db.backend {
            app::ssr::db::Backend::Postgres => ("auto", "force_custom_plan"),
            app::ssr::db::Backend::Sqlite => ("-65536", "-16384"),
        };
        assert_eq!((inside.as_str(), outside.as_str()), want);
    }
}
