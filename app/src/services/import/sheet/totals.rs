//! Total rows (`Celkem`, `Součet`, `Total`): which money columns a kind sums, and the check of a total
//! row against the sum of the rows above it.

use super::parser::SheetParser;
use super::values::{money_json, money_of, money_text};
use crate::domain::sheet_values::{cell_address, fold_header};
use crate::dto::import::{CellIssue, TotalCheck};
use crate::services::import::kinds::{Columns, Field, SheetKind};
use crate::services::import::workbook::Cell;

/// The money columns of a kind, with their report keys.
pub(super) fn money_fields(kind: SheetKind) -> &'static [(Field, &'static str)] {
    match kind {
        SheetKind::Projects => &[(Field::Budget, "budget")],
        SheetKind::Expenditures | SheetKind::Budget => &[(Field::Amount, "amount")],
        SheetKind::Seznam => &[
            (Field::TotalCost, "total_cost"),
            (Field::LaTotal, "la_total"),
            (Field::LaEu, "la_eu"),
            (Field::LaNational, "la_national"),
            (Field::PaidTotal, "paid_total"),
            (Field::PaidEu, "paid_eu"),
            (Field::PaidNational, "paid_national"),
            (Field::PzEstimate, "pz_estimate"),
            (Field::PzPrice, "pz_price"),
            (Field::PzPaid, "pz_paid"),
        ],
        _ => &[],
    }
}

/// Seznam procurement amounts: summed over every valid row, unlike the project amounts.
pub(super) fn is_procurement(key: &str) -> bool {
    key.starts_with("pz_")
}

impl SheetParser {
    pub(super) fn check_total_row(&mut self, row: u32, cells: &[Cell], columns: &Columns) {
        for (field, key) in money_fields(columns.kind) {
            let Some(col) = columns.column(*field) else {
                continue;
            };
            let cell = cells.get(col as usize).cloned().unwrap_or_default();
            let value = money_of(&cell).ok().flatten();
            let sum = self.since_total.remove(key).unwrap_or_default();
            if cell.is_blank() && sum.is_zero() {
                continue;
            }
            let matches = value == Some(sum);
            let address = cell_address(&self.name, row, col);
            if !matches {
                self.report.push_warning(CellIssue {
                    sheet: self.name.clone(),
                    cell: address.clone(),
                    code: "total_mismatch".into(),
                    value: value.map_or(cell.to_json(), money_json),
                    message: format!(
                        "součet v souboru {} ≠ součet načtených řádků {}",
                        value.map_or_else(|| cell.as_text(), money_text),
                        money_text(sum)
                    ),
                    candidates: Vec::new(),
                });
            }
            self.report.total_rows.push(TotalCheck {
                row: row + 1,
                column: (*key).to_owned(),
                cell: address,
                value: value.map(money_text),
                sum_of_rows_above: money_text(sum),
                matches,
            });
        }
    }
}

pub(super) fn is_total_row(cells: &[Cell]) -> bool {
    cells
        .iter()
        .find(|c| !c.is_blank())
        .is_some_and(|c| match c {
            Cell::Text(t) => {
                let f = fold_header(t);
                f.starts_with("celkem") || f.starts_with("soucet") || f.starts_with("total")
            }
            _ => false,
        })
}
