//! Roles (*role*) and what each may do. A user may have several roles:
//! - *admin* (správce): users and codebooks;
//! - *manager* (projektový manažer): edits the projects assigned to them;
//! - *finance* (finanční manažer): budgets, expenditures, claims and imports of the assigned projects,
//!   or of all projects when so granted;
//! - *reviewer* (monitorovací pracovník MPSV): reads the whole portfolio and writes review comments and
//!   review status, but changes no project data.
//!
//! [`Viewer`] answers "may this user …?" for one project; the server asks it in every server function and
//! route, the browser only to hide buttons.

use serde::{Deserialize, Serialize};

/// A role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Users and codebooks.
    Admin,
    /// Edits the assigned projects.
    Manager,
    /// Money and imports of the assigned projects (or all).
    Finance,
    /// Reads everything, writes reviews.
    Reviewer,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Manager, Role::Finance, Role::Reviewer];

    /// Stable code: `admin`, `manager`, `finance`, `reviewer`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Manager => "manager",
            Self::Finance => "finance",
            Self::Reviewer => "reviewer",
        }
    }

    /// Czech name.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Admin => "správce",
            Self::Manager => "projektový manažer",
            Self::Finance => "finanční manažer",
            Self::Reviewer => "monitorovací pracovník MPSV",
        }
    }

    /// Parses a code (also the Czech names).
    #[must_use]
    pub fn parse(input: &str) -> Option<Self> {
        let folded = super::fold_for_search(input);
        Self::ALL
            .into_iter()
            .find(|r| r.code() == folded || super::fold_for_search(r.label()) == folded)
    }
}

/// Who is asking, with their roles and assigned projects: the rules of access in one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Viewer {
    /// User id.
    pub id: i32,
    /// E-mail (sign-in name).
    pub email: String,
    /// Display name.
    pub name: String,
    /// Roles.
    pub roles: Vec<Role>,
    /// Assigned projects.
    pub projects: Vec<i32>,
    /// Finance officer for all projects.
    pub finance_all: bool,
    /// The language of the interface the user chose.
    pub lang: super::Lang,
}

impl Viewer {
    /// Has the role.
    #[must_use]
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    fn assigned(&self, project_id: i32) -> bool {
        self.projects.contains(&project_id)
    }

    /// Sees every project (reviewers, admins, finance officers for all projects).
    #[must_use]
    pub fn sees_all(&self) -> bool {
        self.has(Role::Reviewer)
            || self.has(Role::Admin)
            || (self.has(Role::Finance) && self.finance_all)
    }

    /// May read a project's data.
    #[must_use]
    pub fn can_read(&self, project_id: i32) -> bool {
        self.sees_all()
            || ((self.has(Role::Manager) || self.has(Role::Finance)) && self.assigned(project_id))
    }

    /// May edit a project's registry data, indicators, periods and participants.
    #[must_use]
    pub fn can_edit_project(&self, project_id: i32) -> bool {
        self.has(Role::Manager) && self.assigned(project_id)
    }

    /// May create projects (admins and project managers; a manager is assigned the new project).
    #[must_use]
    pub fn can_create_project(&self) -> bool {
        self.has(Role::Admin) || self.has(Role::Manager)
    }

    /// May edit a project's money: budget, financing, expenditures, claims, advances.
    #[must_use]
    pub fn can_edit_finance(&self, project_id: i32) -> bool {
        self.has(Role::Finance) && (self.finance_all || self.assigned(project_id))
    }

    /// May import spreadsheets (rows of projects they may not change are refused row by row).
    #[must_use]
    pub fn can_import(&self) -> bool {
        self.has(Role::Finance) || self.has(Role::Manager) || self.has(Role::Admin)
    }

    /// May change what an import row of this kind writes for this project.
    #[must_use]
    pub fn can_import_into(&self, project_id: i32, money: bool) -> bool {
        if money {
            self.can_edit_finance(project_id)
        } else {
            self.can_edit_project(project_id) || self.can_edit_finance(project_id)
        }
    }

    /// May rename an organisation (a beneficiary, shared by all its projects) whose projects are
    /// `its_projects`: admins, and whoever may edit every one of them. Anyone else keeps its stored name.
    #[must_use]
    pub fn can_rename_organisation(&self, its_projects: &[i32]) -> bool {
        self.is_admin() || its_projects.iter().all(|&p| self.can_edit_project(p))
    }

    /// May manage users, codebooks and settings.
    #[must_use]
    pub fn is_admin(&self) -> bool {
        self.has(Role::Admin)
    }

    /// May write review comments and set review status.
    #[must_use]
    pub fn can_review(&self) -> bool {
        self.has(Role::Reviewer)
    }

    /// Is the project's team for a review: its assigned manager, or a finance officer with access to it,
    /// who may answer the reviewer and resubmit a returned report.
    #[must_use]
    pub fn can_answer_review(&self, project_id: i32) -> bool {
        self.can_edit_project(project_id) || self.can_edit_finance(project_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(roles: &[Role], projects: &[i32], finance_all: bool) -> Viewer {
        Viewer {
            id: 1,
            email: "x@demo.cz".into(),
            name: "X".into(),
            roles: roles.to_vec(),
            projects: projects.to_vec(),
            finance_all,
            lang: crate::domain::Lang::Cs,
        }
    }

    #[test]
    fn each_role_gets_what_the_issue_says() {
        let manager = viewer(&[Role::Manager], &[7], false);
        assert!(manager.can_read(7) && manager.can_edit_project(7));
        assert!(!manager.can_read(8) && !manager.can_edit_project(8));
        assert!(
            !manager.can_edit_finance(7),
            "a manager does not edit money"
        );

        let finance = viewer(&[Role::Finance], &[7], false);
        assert!(finance.can_edit_finance(7) && !finance.can_edit_finance(8));
        assert!(!finance.can_edit_project(7));
        let finance_all = viewer(&[Role::Finance], &[], true);
        assert!(finance_all.can_edit_finance(8) && finance_all.can_read(8));

        let reviewer = viewer(&[Role::Reviewer], &[], false);
        assert!(reviewer.can_read(7) && reviewer.can_read(8) && reviewer.can_review());
        assert!(!reviewer.can_edit_project(7) && !reviewer.can_edit_finance(7));
        assert!(!reviewer.can_import() && !reviewer.is_admin());

        let admin = viewer(&[Role::Admin], &[], false);
        assert!(admin.is_admin() && admin.can_read(9) && admin.can_create_project());
        assert!(
            !admin.can_edit_project(9),
            "admins manage users, not project data"
        );

        let both = viewer(&[Role::Manager, Role::Finance], &[7], false);
        assert!(both.can_edit_project(7) && both.can_edit_finance(7));
    }

    #[test]
    fn only_admins_and_editors_of_every_project_rename_an_organisation() {
        let manager = viewer(&[Role::Manager], &[7, 8], false);
        assert!(manager.can_rename_organisation(&[7, 8]));
        assert!(
            manager.can_rename_organisation(&[]),
            "nobody else's project"
        );
        assert!(
            !manager.can_rename_organisation(&[7, 9]),
            "project 9 is someone else's"
        );
        let admin = viewer(&[Role::Admin], &[], false);
        assert!(admin.can_rename_organisation(&[9]));
        let finance = viewer(&[Role::Finance], &[7], true);
        assert!(!finance.can_rename_organisation(&[7]));
    }

    #[test]
    fn roles_parse() {
        assert_eq!(Role::parse("finance"), Some(Role::Finance));
        assert_eq!(Role::parse("Projektový manažer"), Some(Role::Manager));
        assert_eq!(Role::parse("boss"), None);
    }
}
