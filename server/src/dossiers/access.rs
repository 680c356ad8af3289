//! Who may do what with dossiers, in one place: who files by which channel, who receives at
//! a desk, who sees a dossier and which dossiers a list shows them.
//!
//! The channel a dossier arrives by is decided by who files it, not claimed in its body: a
//! client token serves the channels it was issued for (a portal online, a postal counter
//! postal), and counter dossiers come only from the reception officers of the desk. The
//! statistics by channel rest on this.

use super::list::ListFilter;
use super::record::StoredDossier;
use crate::auth::{ApiRole, Principal};
use crate::error::{ApiError, ErrorCode};
use motcua_engine::Procedure;
use motcua_engine::codes::Role;
use motcua_engine::definition::Channel;

/// Whether `principal` may see `dossier`: admins all; clients what they submitted; departments
/// and officers their agency's, and those with a step of their agency (inter-agency steps).
pub fn may_see(principal: &Principal, dossier: &StoredDossier) -> bool {
    match principal.role {
        ApiRole::Admin => true,
        ApiRole::Client => dossier.client == Some(principal.id),
        ApiRole::Department | ApiRole::Officer => {
            let Some(own) = &principal.agency else { return false };
            dossier.agency.is_within(own)
                || dossier.lifecycle.steps.iter().any(|s| s.agency.is_within(own))
                || dossier.client == Some(principal.id)
        }
    }
}

/// Narrows `filter` to what `principal` may see (the list's side of [`may_see`]).
pub fn scope(principal: &Principal, filter: &mut ListFilter) -> Result<(), ApiError> {
    match principal.role {
        ApiRole::Admin => {}
        ApiRole::Client => filter.client = Some(principal.id),
        ApiRole::Department | ApiRole::Officer => {
            // Officials see their agency's dossiers and those with a step of theirs
            // (inter-agency steps); `agency` then narrows within those.
            let own = principal
                .agency
                .as_ref()
                .ok_or_else(|| ApiError::new(ErrorCode::Forbidden, "this token has no agency"))?;
            filter.involving = Some(own.clone());
        }
    }
    Ok(())
}

/// Who files: clients, and reception officers at the desk.
pub fn may_file(principal: &Principal) -> Result<(), ApiError> {
    principal.require(&[ApiRole::Client, ApiRole::Officer])
}

/// At the desk, only the procedure's own one-stop desk (or a parent unit) receives.
pub fn at_desk(principal: &Principal, procedure: &Procedure) -> Result<(), ApiError> {
    if principal.role != ApiRole::Officer {
        return Ok(());
    }
    let desk = procedure.reception_agency();
    let at_desk =
        principal.duty == Some(Role::Reception) && principal.agency.as_ref().is_some_and(|own| desk.is_within(own));
    if at_desk {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorCode::Forbidden,
            format!("only reception officers of `{desk}` receive dossiers of this procedure"),
        ))
    }
}

/// Who imports historic dossiers: administrators.
pub fn may_import(principal: &Principal) -> Result<(), ApiError> {
    principal.require(&[ApiRole::Admin])
}

/// The channel of a dossier `principal` files, given what the body `claimed`: the token's
/// own when it serves one, the claimed one when the token serves it, else a refusal.
pub fn channel(principal: &Principal, claimed: Option<Channel>) -> Result<Channel, ApiError> {
    let served: &[Channel] = match principal.role {
        ApiRole::Officer => &[Channel::Counter],
        ApiRole::Client => &principal.channels,
        ApiRole::Admin | ApiRole::Department => &[],
    };
    match (claimed, served) {
        (Some(channel), served) if served.contains(&channel) => Ok(channel),
        (None, [only]) => Ok(*only),
        (None, _) => Err(ApiError::new(
            ErrorCode::InvalidBody,
            format!("this token files by {}: say which in `channel`", names(served)),
        )),
        (Some(channel), _) => Err(refused(principal, channel, served)),
    }
}

fn refused(principal: &Principal, channel: Channel, served: &[Channel]) -> ApiError {
    let why = match (principal.role, channel) {
        (ApiRole::Client, Channel::Counter) => {
            "counter dossiers are filed by the desk's reception officers, not by API clients".to_owned()
        }
        (ApiRole::Officer, _) => "an officer at the desk files counter dossiers".to_owned(),
        _ => format!("this token files by {} only", names(served)),
    };
    ApiError::new(ErrorCode::ChannelNotAllowed, format!("channel `{}` is not this token's: {why}", channel.as_str()))
        .with("channels", serde_json::json!(served.iter().map(|c| c.as_str()).collect::<Vec<_>>()))
}

fn names(channels: &[Channel]) -> String {
    let names: Vec<&str> = channels.iter().map(|c| c.as_str()).collect();
    if names.is_empty() { "no channel".to_owned() } else { names.join(" or ") }
}
