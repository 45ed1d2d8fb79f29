//! Password hashing with argon2id (19 MiB, 2 passes), off the async worker threads.
//!
//! One hash costs tens of milliseconds of CPU and 19 MiB. Run on tokio's worker threads, a burst of
//! sign-ins would stall every other request on a 2-core server; here every hash and verification runs
//! on the blocking pool, and at most as many at once as the machine has cores (a process-wide
//! semaphore: it only limits CPU use, it holds no data, so several server processes may each have one).

use std::sync::OnceLock;

use tokio::sync::Semaphore;

/// Why a password could not be hashed (never the password itself).
#[derive(Debug, thiserror::Error)]
#[error("heslo nelze zpracovat: {0}")]
pub struct HashError(String);

fn permits() -> &'static Semaphore {
    static PERMITS: OnceLock<Semaphore> = OnceLock::new();
    PERMITS.get_or_init(|| {
        Semaphore::new(std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get))
    })
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
    let _permit = permits()
        .acquire()
        .await
        .map_err(|e| HashError(e.to_string()))?;
    tokio::task::spawn_blocking(work)
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

/// Verifies a password on the blocking pool (false when it does not match or cannot be checked).
pub async fn verify(hash: &str, password: &str) -> bool {
    let (hash, password) = (hash.to_owned(), password.to_owned());
    on_blocking_pool(move || verify_now(&hash, &password))
        .await
        .unwrap_or(false)
}

/// A hash of a random password, verified against when the e-mail is unknown, so that an unknown e-mail
/// takes as long as a wrong password.
pub fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_now(&super::auth::new_token()).unwrap_or_default())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash_now("dlouhé-heslo-123").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_now(&h, "dlouhé-heslo-123"));
        assert!(!verify_now(&h, "dlouhé-heslo-124"));
        assert!(!verify_now("nesmysl", "dlouhé-heslo-123"));
    }
}
