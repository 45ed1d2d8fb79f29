//! The directory of stored files (`TRACKER_FILES_DIR`), content-addressed: a file is stored once under
//! the hex SHA-256 of its bytes (`ab/cd/abcd…`), written to a temporary file in the same directory tree
//! and renamed into place, so a crash never leaves half a file under a hash name. Nothing is kept in the
//! process: two servers sharing the directory see the same files.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The hex SHA-256 of `bytes`.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `sha` is a hex SHA-256 (so it can never name a path outside the directory).
fn valid(sha: &str) -> bool {
    sha.len() == 64
        && sha
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// Where the file with hash `sha` is stored under `dir`.
///
/// # Errors
/// When `sha` is not a hex SHA-256.
pub fn path_of(dir: &Path, sha: &str) -> std::io::Result<PathBuf> {
    if !valid(sha) {
        return Err(std::io::Error::other("not a SHA-256"));
    }
    Ok(dir.join(&sha[..2]).join(&sha[2..4]).join(sha))
}

/// Stores `bytes` under their hash (nothing is written when a file of that hash exists) and returns the
/// hash. Blocking: call it on the blocking pool.
///
/// # Errors
/// When the directory cannot be written.
pub fn put(dir: &Path, bytes: &[u8]) -> std::io::Result<String> {
    let sha = sha256_hex(bytes);
    let target = path_of(dir, &sha)?;
    if target.is_file() {
        return Ok(sha);
    }
    let parent = target
        .parent()
        .ok_or_else(|| std::io::Error::other("no parent directory"))?;
    std::fs::create_dir_all(parent)?;
    let temp = parent.join(format!(".{sha}.{}.part", uuid::Uuid::new_v4().simple()));
    let written = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, &target)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written.map(|()| sha)
}

/// Removes the file of hash `sha` (no error when it is already gone).
///
/// # Errors
/// When it exists and cannot be removed.
pub fn remove(dir: &Path, sha: &str) -> std::io::Result<()> {
    match std::fs::remove_file(path_of(dir, sha)?) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_stored_once_under_its_hash_and_nothing_else_is_left() {
        let dir = std::env::temp_dir().join(format!("files-{}", uuid::Uuid::new_v4().simple()));
        let a = put(&dir, b"%PDF-1.4 a").unwrap();
        assert_eq!(put(&dir, b"%PDF-1.4 a").unwrap(), a);
        let path = path_of(&dir, &a).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"%PDF-1.4 a");
        let siblings = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
        assert_eq!(siblings, 1, "no temporary file left behind");
        assert!(path_of(&dir, "../../etc/passwd").is_err());
        remove(&dir, &a).unwrap();
        remove(&dir, &a).unwrap();
        assert!(!path.exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
