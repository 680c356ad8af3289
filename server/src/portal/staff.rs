//! What every staff page shows above its content: who is signed in, the pages their role
//! opens, and signing out.

use crate::accounts::Session;
use crate::auth::ApiRole;

/// The staff pages' navigation.
pub struct Nav {
    /// `Cán bộ: name`.
    pub who: String,
    /// The session's form token, for signing out.
    pub csrf: String,
    /// Whether the role has an inbox (officers and departments act on dossiers).
    pub inbox: bool,
    /// Whether the officer files dossiers at the counter (reception).
    pub counter: bool,
    /// Whether the role edits definitions (departments and administrators).
    pub definitions: bool,
    /// Whether the role manages accounts and tokens (administrators).
    pub accounts: bool,
}

/// The navigation of `session`'s staff member.
pub fn nav(session: &Session) -> Nav {
    let role = session.principal.role;
    Nav {
        who: format!("{}: {}", role_label(role), session.principal.name),
        csrf: session.csrf.clone(),
        inbox: matches!(role, ApiRole::Officer | ApiRole::Department),
        counter: role == ApiRole::Officer && session.principal.duty == Some(motcua_engine::codes::Role::Reception),
        definitions: matches!(role, ApiRole::Admin | ApiRole::Department),
        accounts: role == ApiRole::Admin,
    }
}

/// A role as staff call it.
pub fn role_label(role: ApiRole) -> &'static str {
    match role {
        ApiRole::Admin => "Quản trị viên",
        ApiRole::Department => "Lãnh đạo cơ quan",
        ApiRole::Officer => "Cán bộ",
        ApiRole::Client => "Ứng dụng",
    }
}
