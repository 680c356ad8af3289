//! Who may edit a procedure code. A code belongs to the agency recorded when it was first
//! published (or moved there by an administrator); a department edits only the codes its
//! agency owns, whatever agency an uploaded text names, and no text may hand a code's
//! dossiers to an agency outside its owner.

use crate::auth::{ApiRole, Principal};
use crate::error::{ApiError, ErrorCode};
use crate::repository::owners;
use motcua_engine::codes::AgencyCode;
use sea_orm::DatabaseConnection;

/// The code's owner, once the caller is known to be allowed to edit `code` with definitions
/// naming the agencies `named` (the uploaded text's, a stored draft's). `None` for a code
/// never published: then the caller must govern every named agency.
pub(crate) async fn may_edit(
    principal: &Principal,
    db: &DatabaseConnection,
    code: &str,
    named: &[&AgencyCode],
) -> Result<Option<AgencyCode>, ApiError> {
    principal.require(&[ApiRole::Admin, ApiRole::Department])?;
    let owner = owners::owner(db, code).await?;
    check(principal, code, owner.as_ref(), named)?;
    Ok(owner)
}

/// Whether the caller may retire a published version naming `stored`: the owner decides,
/// whatever agency the version names (it may predate a move of the code).
pub(crate) async fn may_retire(
    principal: &Principal,
    db: &DatabaseConnection,
    code: &str,
    stored: &AgencyCode,
) -> Result<(), ApiError> {
    principal.require(&[ApiRole::Admin, ApiRole::Department])?;
    match owners::owner(db, code).await? {
        Some(owner) => check(principal, code, Some(&owner), &[]),
        None => check(principal, code, None, &[stored]),
    }
}

/// Whether `principal` may edit `code` owned by `owner` (none: never published) with
/// definitions naming `named`, the rule itself without the database.
pub(crate) fn allowed(principal: &Principal, code: &str, owner: Option<&AgencyCode>, named: &[&AgencyCode]) -> bool {
    matches!(principal.role, ApiRole::Admin | ApiRole::Department) && check(principal, code, owner, named).is_ok()
}

/// The rule itself, without the database.
fn check(principal: &Principal, code: &str, owner: Option<&AgencyCode>, named: &[&AgencyCode]) -> Result<(), ApiError> {
    match owner {
        Some(owner) => {
            if !principal.governs(owner) {
                return Err(not_owner(format!(
                    "procedure `{code}` belongs to `{owner}`; only that agency or an administrator may change it"
                )));
            }
            if let Some(outside) = named.iter().find(|agency| !agency.is_within(owner)) {
                return Err(not_owner(format!(
                    "the definition names agency `{outside}`, but procedure `{code}` belongs to `{owner}`; \
                     an administrator moves a code with PUT /api/v1/procedures/{code}/owner"
                )));
            }
        }
        None => {
            if let Some(outside) = named.iter().find(|agency| !principal.governs(agency)) {
                return Err(not_owner(format!("procedures of `{outside}` belong to another agency")));
            }
        }
    }
    Ok(())
}

fn not_owner(detail: String) -> ApiError {
    ApiError::new(ErrorCode::NotOwner, detail)
}

/// Whether the caller may see the code's drafts: those who may edit it.
pub(crate) async fn is_editor(
    principal: Option<&Principal>,
    db: &DatabaseConnection,
    code: &str,
    named: Option<&AgencyCode>,
) -> Result<bool, ApiError> {
    let Some(principal) = principal else { return Ok(false) };
    if !matches!(principal.role, ApiRole::Admin | ApiRole::Department) {
        return Ok(false);
    }
    let owner = owners::owner(db, code).await?;
    let named: Vec<&AgencyCode> = named.into_iter().collect();
    Ok(check(principal, code, owner.as_ref(), &named).is_ok())
}
