//! Small reusable view pieces.

mod errors;
mod field;
mod municipality_picker;
mod pager;
mod status;

pub use errors::{ErrorBox, Loading};
pub use field::{SelectField, TextAreaField, TextField};
pub use municipality_picker::MunicipalityPicker;
pub use pager::Pager;
pub use status::StatusBadge;
