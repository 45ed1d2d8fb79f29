//! `AppError`: the only error a browser ever sees. Its variants carry user-safe Czech text; internal
//! causes (SQL, I/O) are logged on the server and never sent.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// An error of a server function, safe to show to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The requested record does not exist (or is not visible).
    #[error("Záznam nebyl nalezen.")]
    NotFound,
    /// The request was malformed in a way a form cannot express.
    #[error("{0}")]
    BadRequest(String),
    /// The record changed meanwhile, or its state does not allow the change: reload and repeat.
    #[error("{0}")]
    Conflict(String),
    /// Not signed in (or the session expired).
    #[error("Nejste přihlášeni, nebo přihlášení vypršelo. Přihlaste se prosím znovu.")]
    Unauthorized,
    /// Signed in, but not allowed to do this.
    #[error("K této akci nemáte oprávnění.")]
    Forbidden,
    /// Something failed on the server; details are in the server log under this reference.
    #[error("Na serveru došlo k chybě. Zkuste to prosím znovu; pokud potíže trvají, kontaktujte správce.")]
    Internal,
    /// The browser could not reach the server or understand its answer.
    #[error("Spojení se serverem selhalo. Zkontrolujte připojení a zkuste to znovu.")]
    Communication,
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::BadRequest("Požadavek nemá očekávaný tvar.".into())
            }
            ServerFnErrorErr::ServerError(_) => AppError::Internal,
            _ => AppError::Communication,
        }
    }
}
