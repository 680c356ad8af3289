//! Which channel a dossier arrives by is decided by who files it, not claimed in its body:
//! a client token serves the channels it was issued for (a portal online, a postal counter
//! postal), and counter dossiers come only from the reception officers of the desk. The
//! statistics by channel rest on this.

use crate::auth::{ApiRole, Principal};
use crate::error::{ApiError, ErrorCode};
use motcua_engine::definition::Channel;

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
