//! The org structure the host passes in: users, a tree of departments with their heads,
//! roles and absences with deputies. Resolvers turn assignees into people with it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::i18n::Label;

/// Users and departments, as the host's directory knows them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Org {
    /// Every user.
    #[serde(default)]
    pub users: Vec<OrgUser>,
    /// Departments, a tree through `parent`.
    #[serde(default)]
    pub departments: Vec<Department>,
}

/// A user of the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OrgUser {
    /// The user's id.
    pub id: String,
    /// The user's name, for messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The department the user belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// The user's roles (director, accountant, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// Periods of absence, each with the deputy who acts meanwhile.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub absences: Vec<Absence>,
}

/// An absence: from, to (exclusive), and the deputy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Absence {
    /// First moment of absence.
    #[serde(
        serialize_with = "crate::utc::serialize",
        deserialize_with = "crate::utc::deserialize"
    )]
    pub from: DateTime<Utc>,
    /// First moment back.
    #[serde(
        serialize_with = "crate::utc::serialize",
        deserialize_with = "crate::utc::deserialize"
    )]
    pub to: DateTime<Utc>,
    /// Who decides and works in the user's place meanwhile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deputy: Option<String>,
}

/// A department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Department {
    /// Its code.
    pub code: String,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Label>,
    /// The department it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Its heads (usually one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub heads: Vec<String>,
}

/// Most department levels walked up (guards against a cycle in the host's data).
const MAX_DEPTH: usize = 64;

impl Org {
    /// The user with this id.
    pub fn user(&self, id: &str) -> Option<&OrgUser> {
        self.users.iter().find(|u| u.id == id)
    }

    fn department(&self, code: &str) -> Option<&Department> {
        self.departments.iter().find(|d| d.code == code)
    }

    /// The heads above `user`: the heads of the user's department, or — when the user heads
    /// it — of the department above, and so on up `levels` levels (1 = the direct head).
    pub fn chain(&self, user: &str, levels: u32) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        let mut dept = self.user(user).and_then(|u| u.department.clone());
        let mut below = user.to_string();
        let mut depth = 0;
        while let Some(code) = dept {
            if out.len() >= levels as usize || depth >= MAX_DEPTH {
                break;
            }
            depth += 1;
            let Some(d) = self.department(&code) else {
                break;
            };
            let heads: Vec<String> = d.heads.iter().filter(|h| **h != below).cloned().collect();
            if !heads.is_empty() {
                below = heads[0].clone();
                out.push(heads);
            }
            dept = d.parent.clone();
        }
        out
    }

    /// The direct heads of `user` (empty when there are none).
    pub fn head_of(&self, user: &str) -> Vec<String> {
        self.chain(user, 1).into_iter().next().unwrap_or_default()
    }

    /// Every member of `department` and of the departments under it, in directory order.
    pub fn members(&self, department: &str) -> Vec<String> {
        let mut codes = vec![department.to_string()];
        let mut i = 0;
        while i < codes.len() && codes.len() < MAX_DEPTH * 16 {
            let parent = codes[i].clone();
            for d in &self.departments {
                if d.parent.as_deref() == Some(parent.as_str()) && !codes.contains(&d.code) {
                    codes.push(d.code.clone());
                }
            }
            i += 1;
        }
        self.users
            .iter()
            .filter(|u| u.department.as_ref().is_some_and(|d| codes.contains(d)))
            .map(|u| u.id.clone())
            .collect()
    }

    /// The heads of `department`.
    pub fn heads(&self, department: &str) -> Vec<String> {
        self.department(department)
            .map(|d| d.heads.clone())
            .unwrap_or_default()
    }

    /// Every user holding `role`, in directory order.
    pub fn with_role(&self, role: &str) -> Vec<String> {
        self.users
            .iter()
            .filter(|u| u.roles.iter().any(|r| r == role))
            .map(|u| u.id.clone())
            .collect()
    }

    /// The deputy acting for `user` at `now`, when the user is absent.
    pub fn deputy(&self, user: &str, now: DateTime<Utc>) -> Option<String> {
        self.user(user)?
            .absences
            .iter()
            .find(|a| a.from <= now && now < a.to)
            .and_then(|a| a.deputy.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org() -> Org {
        serde_json::from_value(serde_json::json!({
            "users": [
                {"id": "anna", "department": "sales_msk", "roles": ["manager"]},
                {"id": "boris", "department": "sales_msk", "roles": ["head"],
                 "absences": [{"from": "2026-12-01T00:00:00Z", "to": "2026-12-10T00:00:00Z", "deputy": "galina"}]},
                {"id": "galina", "department": "sales", "roles": ["head"]},
                {"id": "dmitry", "department": "board", "roles": ["director"]},
                {"id": "vera", "department": "accounting", "roles": ["accountant"]}
            ],
            "departments": [
                {"code": "board", "heads": ["dmitry"]},
                {"code": "sales", "parent": "board", "heads": ["galina"]},
                {"code": "sales_msk", "parent": "sales", "heads": ["boris"]},
                {"code": "accounting", "parent": "board", "heads": ["vera"]}
            ]
        }))
        .unwrap_or_default()
    }

    #[test]
    fn heads_chains_members_roles_and_deputies() {
        let org = org();
        assert_eq!(org.head_of("anna"), vec!["boris"]);
        // A head's head is the head of the department above.
        assert_eq!(org.head_of("boris"), vec!["galina"]);
        assert_eq!(
            org.chain("anna", 3),
            vec![vec!["boris"], vec!["galina"], vec!["dmitry"]]
        );
        assert_eq!(org.members("sales"), vec!["anna", "boris", "galina"]);
        assert_eq!(org.with_role("head"), vec!["boris", "galina"]);
        let during: DateTime<Utc> = "2026-12-05T10:00:00Z".parse().unwrap_or_default();
        let after: DateTime<Utc> = "2026-12-10T00:00:00Z".parse().unwrap_or_default();
        assert_eq!(org.deputy("boris", during).as_deref(), Some("galina"));
        assert_eq!(org.deputy("boris", after), None);
        assert!(org.head_of("nobody").is_empty());
    }
}
