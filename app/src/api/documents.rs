//! Server function of the documents component: the list of a project's, a period's or an expenditure's
//! documents. Uploads, new versions, deletions and downloads are plain HTTP routes of the server
//! (multipart forms and files).

use crate::domain::documents::Attachment;
use crate::dto::documents::DocumentList;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use super::{allow, db, not_found_status, state, viewer};

/// The documents attached to `to` in project `project_id`, with what the viewer may do.
#[server(input = Json)]
pub async fn get_documents(project_id: i32, to: Attachment) -> Result<DocumentList, AppError> {
    let v = viewer()?;
    allow(v.can_read(project_id))?;
    let settings = state()?.documents;
    crate::services::documents::list(&db()?, &settings, &v, project_id, to)
        .await
        .map_err(|e| not_found_status(e.into()))
}
