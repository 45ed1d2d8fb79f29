//! Small reusable view pieces.

mod combobox;
mod deadline_cards;
mod documents;
mod drawdown_chart;
mod errors;
mod field;
mod flags;
mod history;
mod import_report;
mod municipality_picker;
mod pager;
mod portfolio_charts;
mod project_tabs;
mod save_notice;
mod status;

pub use deadline_cards::{NextDeadline, OverdueDeadlinesCard};
pub use documents::Documents;
pub use drawdown_chart::DrawdownChart;
pub use errors::{ErrorBox, ErrorSummary, Loading};
pub use field::{SelectField, TextAreaField, TextField};
pub use flags::{FlagList, PercentBar};
pub use history::HistoryTable;
pub use import_report::{format_count, ImportReportView};
pub use municipality_picker::MunicipalityPicker;
pub use pager::{PageLinks, Pager};
pub use portfolio_charts::{millions, percent_text, Bar, BarChart, RegionMap};
pub use project_tabs::ProjectTabs;
pub use save_notice::{announce, focus_first_invalid, focus_form, SaveNotice, SaveNoticeLine};
pub use status::StatusBadge;
