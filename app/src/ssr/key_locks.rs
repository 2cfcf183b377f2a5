//! Twins of one request wait for each other. A phone on a flaky connection sends the same
//! report again before the first answer arrives; the twin must get that answer, not race
//! it (and not spend the sender's rate limit). Within one instance, requests with the same
//! idempotency key run one after the other; across instances, the key's primary key in the
//! report's transaction still decides, and the loser replays the winner's answer.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use tokio::sync::{Mutex as TurnLock, OwnedMutexGuard};

#[derive(Default)]
pub struct KeyLocks(Mutex<HashMap<String, Weak<TurnLock<()>>>>);

impl KeyLocks {
    /// Waits until no other request holds `key`; the turn lasts as long as the guard.
    pub async fn turn(&self, key: &str) -> OwnedMutexGuard<()> {
        let lock = {
            let mut map = self.0.lock().expect("key locks");
            if map.len() > 1024 {
                map.retain(|_, w| w.strong_count() > 0);
            }
            match map.get(key).and_then(Weak::upgrade) {
                Some(lock) => lock,
                None => {
                    let lock = Arc::new(TurnLock::new(()));
                    map.insert(key.to_owned(), Arc::downgrade(&lock));
                    lock
                }
            }
        };
        lock.lock_owned().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_same_key_waits_and_another_does_not() {
        let locks = Arc::new(KeyLocks::default());
        let first = locks.turn("a").await;
        // Another key is free at once.
        drop(locks.turn("b").await);
        let waiting = {
            let locks = locks.clone();
            tokio::spawn(async move { drop(locks.turn("a").await) })
        };
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "the twin waits for the first");
        drop(first);
        waiting.await.unwrap();
    }
}
