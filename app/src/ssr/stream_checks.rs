//! The live streams' session re-checks, shared: every open stream asks now and then
//! whether its session still holds (a logout, a deactivation or a password change ends
//! it). Thousands of streams opened together would ask together, and each question is two
//! queries: unshared, they took every pooled connection and case steps waited into 503s
//! (measured by `gridgov-live-bench` with 1,000 streams). Here one answer per session
//! serves all its streams for half a re-check period, and at most `CONCURRENT` questions
//! reach the database at once, so writes always find a connection.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// Re-checks that may hold a database connection at the same time.
const CONCURRENT: usize = 2;
/// Answers kept at most (a cleared cache only costs a few extra queries).
const KEPT: usize = 50_000;

/// One stream's session as it was when the stream opened.
#[derive(Clone, Debug, Hash, PartialEq, Eq)]
pub struct StreamSession {
    pub session: String,
    pub account: i64,
    pub version: i64,
}

pub struct StreamChecks {
    answers: Mutex<HashMap<StreamSession, (Instant, bool)>>,
    gate: Semaphore,
}

impl Default for StreamChecks {
    fn default() -> StreamChecks {
        StreamChecks {
            answers: Mutex::default(),
            gate: Semaphore::new(CONCURRENT),
        }
    }
}

impl StreamChecks {
    /// Whether `key` still holds: a recent answer (younger than `fresh`), or `ask`'s, asked
    /// by one stream at a time per turn of the gate.
    pub async fn holds<F, Fut>(&self, key: &StreamSession, fresh: Duration, ask: F) -> bool
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        if let Some(answer) = self.recent(key, fresh) {
            return answer;
        }
        let Ok(_turn) = self.gate.acquire().await else {
            return false;
        };
        // Another stream of the same session may have asked while this one waited.
        if let Some(answer) = self.recent(key, fresh) {
            return answer;
        }
        let answer = ask().await;
        let mut answers = self.answers.lock().unwrap_or_else(|p| p.into_inner());
        if answers.len() >= KEPT {
            answers.retain(|_, (at, _)| at.elapsed() < fresh);
        }
        answers.insert(key.clone(), (Instant::now(), answer));
        answer
    }

    fn recent(&self, key: &StreamSession, fresh: Duration) -> Option<bool> {
        let answers = self.answers.lock().unwrap_or_else(|p| p.into_inner());
        answers
            .get(key)
            .filter(|(at, _)| at.elapsed() < fresh)
            .map(|(_, answer)| *answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn key(session: &str) -> StreamSession {
        StreamSession {
            session: session.into(),
            account: 7,
            version: 1,
        }
    }

    #[tokio::test]
    async fn the_streams_of_one_session_share_one_answer_and_the_database_sees_two_at_most() {
        let checks = Arc::new(StreamChecks::default());
        let asked = Arc::new(AtomicUsize::new(0));
        let inside = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for i in 0..200 {
            let (checks, asked, inside, most) =
                (checks.clone(), asked.clone(), inside.clone(), most.clone());
            // 100 streams of one session, 100 of sessions of their own.
            let k = if i % 2 == 0 {
                key("shared")
            } else {
                key(&format!("own-{i}"))
            };
            tasks.push(tokio::spawn(async move {
                checks
                    .holds(&k, Duration::from_secs(60), || async move {
                        asked.fetch_add(1, Ordering::SeqCst);
                        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(2)).await;
                        inside.fetch_sub(1, Ordering::SeqCst);
                        true
                    })
                    .await
            }));
        }
        for t in tasks {
            assert!(t.await.unwrap());
        }
        assert_eq!(
            asked.load(Ordering::SeqCst),
            101,
            "one question for the shared session"
        );
        assert!(most.load(Ordering::SeqCst) <= CONCURRENT);
    }

    #[tokio::test]
    async fn an_answer_is_asked_again_once_it_is_old_and_a_no_is_kept_too() {
        let checks = StreamChecks::default();
        let k = key("s");
        assert!(
            !checks
                .holds(&k, Duration::from_secs(60), || async { false })
                .await
        );
        assert!(
            !checks
                .holds(&k, Duration::from_secs(60), || async { true })
                .await,
            "a fresh no stands"
        );
        assert!(
            checks.holds(&k, Duration::ZERO, || async { true }).await,
            "an old answer is asked again"
        );
    }
}
