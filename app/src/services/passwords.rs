//! Password hashing with argon2id (19 MiB, 2 passes), off the async worker threads.
//!
//! One hash costs tens of milliseconds of CPU and 19 MiB. Run on tokio's worker threads, a burst of
//! sign-ins would stall every other request on a 2-core server; here every hash and verification runs
//! on the blocking pool, and at most as many at once as the machine has cores. The limit is a plain
//! counting semaphore taken inside the blocking task (it only limits CPU use and holds no data; a
//! blocking task always runs to its end, so a permit can never be lost with a cancelled request).

use std::sync::{Condvar, Mutex, OnceLock};

/// Why a password could not be hashed (never the password itself).
#[derive(Debug, thiserror::Error)]
#[error("heslo nelze zpracovat: {0}")]
pub struct HashError(String);

/// At most as many hashes at once as the machine has cores.
struct Limiter {
    running: Mutex<usize>,
    freed: Condvar,
    max: usize,
}

fn limiter() -> &'static Limiter {
    static LIMITER: OnceLock<Limiter> = OnceLock::new();
    LIMITER.get_or_init(|| Limiter {
        running: Mutex::new(0),
        freed: Condvar::new(),
        max: std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
    })
}

/// Runs `work` once fewer than `max` others run (on the calling, blocking thread).
fn limited<T>(work: impl FnOnce() -> T) -> T {
    struct Permit(&'static Limiter);
    impl Drop for Permit {
        fn drop(&mut self) {
            let mut n = self
                .0
                .running
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *n = n.saturating_sub(1);
            self.0.freed.notify_one();
        }
    }
    let l = limiter();
    let mut n = l
        .running
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    while *n >= l.max {
        n = l
            .freed
            .wait(n)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
    }
    *n += 1;
    drop(n);
    let _permit = Permit(l);
    work()
}

/// Hashes a password with a random salt, on the calling thread (command line, tests).
///
/// # Errors
/// Only if hashing itself fails.
pub fn hash_now(password: &str) -> Result<String, HashError> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    // 16 random bytes from the OS (a v4 UUID's randomness source) as the salt.
    let salt = SaltString::encode_b64(uuid::Uuid::new_v4().as_bytes())
        .map_err(|e| HashError(e.to_string()))?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// Checks a password against its stored hash, on the calling thread.
#[must_use]
pub fn verify_now(hash: &str, password: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash).is_ok_and(|parsed| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

async fn on_blocking_pool<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, HashError> {
    tokio::task::spawn_blocking(move || limited(work))
        .await
        .map_err(|e| HashError(e.to_string()))
}

/// Hashes a password on the blocking pool.
///
/// # Errors
/// Only if hashing itself fails.
pub async fn hash(password: &str) -> Result<String, HashError> {
    let password = password.to_owned();
    on_blocking_pool(move || hash_now(&password)).await?
}

/// Verifies a password against the dummy hash on the blocking pool (an unknown e-mail takes as long as
/// a wrong password); always false.
pub async fn verify_dummy(password: &str) -> bool {
    let password = password.to_owned();
    on_blocking_pool(move || verify_now(dummy_hash(), &password))
        .await
        .unwrap_or(false)
}

/// Verifies a password on the blocking pool (false when it does not match or cannot be checked).
pub async fn verify(hash: &str, password: &str) -> bool {
    let (hash, password) = (hash.to_owned(), password.to_owned());
    on_blocking_pool(move || verify_now(&hash, &password))
        .await
        .unwrap_or(false)
}

/// A hash of a random password, verified against when the e-mail is unknown, so that an unknown e-mail
/// takes as long as a wrong password.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_now(&super::auth::new_token()).unwrap_or_default())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn at_most_max_hashes_run_at_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NOW: AtomicUsize = AtomicUsize::new(0);
        static PEAK: AtomicUsize = AtomicUsize::new(0);
        let threads: Vec<_> = (0..8)
            .map(|_| {
                std::thread::spawn(|| {
                    limited(|| {
                        let n = NOW.fetch_add(1, Ordering::SeqCst) + 1;
                        PEAK.fetch_max(n, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(20));
                        NOW.fetch_sub(1, Ordering::SeqCst);
                    });
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert!(PEAK.load(Ordering::SeqCst) <= limiter().max);
        assert!(PEAK.load(Ordering::SeqCst) >= 1);
    }

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash_now("dlouhé-heslo-123").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_now(&h, "dlouhé-heslo-123"));
        assert!(!verify_now(&h, "dlouhé-heslo-124"));
        assert!(!verify_now("nesmysl", "dlouhé-heslo-123"));
    }
}
