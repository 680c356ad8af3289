//! Bearer tokens and who they belong to. Tokens are random, shown once, stored hashed.

use crate::error::{ApiError, ErrorCode};
use crate::repository::tokens;
use actix_web::{FromRequest, HttpRequest, dev::Payload};
use chrono::{DateTime, FixedOffset, Utc};
use motcua_engine::codes::{AgencyCode, Role};
use motcua_engine::definition::Channel;
use motcua_engine::lifecycle::Actor;
use rand::RngCore;
use sea_orm::DatabaseConnection;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Prefix that makes a motcua token recognisable in a leaked file.
const TOKEN_PREFIX: &str = "mc_";
/// Random bytes in a token.
const TOKEN_BYTES: usize = 32;

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiRole {
    /// Definitions, tokens, calendar decisions, import.
    Admin,
    /// Publishes and retires its agency's procedures and processes their dossiers as head.
    Department,
    /// Reception and processing steps of its agency, with a duty.
    Officer,
    /// Submits dossiers and reads the ones it submitted.
    Client,
}

impl ApiRole {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiRole::Admin => "admin",
            ApiRole::Department => "department",
            ApiRole::Officer => "officer",
            ApiRole::Client => "client",
        }
    }
}

impl std::str::FromStr for ApiRole {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        [ApiRole::Admin, ApiRole::Department, ApiRole::Officer, ApiRole::Client]
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown role `{s}`: expected admin, department, officer or client"))
    }
}

/// The holder of a valid token.
#[derive(Debug, Clone)]
pub struct Principal {
    /// Token id.
    pub id: i32,
    /// Who it was issued to.
    pub name: String,
    /// What it may do.
    pub role: ApiRole,
    /// An officer's duty at the steps.
    pub duty: Option<Role>,
    /// Its agency (department, officer).
    pub agency: Option<AgencyCode>,
    /// The channels a client files by.
    pub channels: Vec<Channel>,
}

impl Principal {
    /// Refuses with 403 unless the role is one of `allowed`.
    pub fn require(&self, allowed: &[ApiRole]) -> Result<(), ApiError> {
        if allowed.contains(&self.role) {
            Ok(())
        } else {
            let names: Vec<&str> = allowed.iter().map(|r| r.as_str()).collect();
            Err(ApiError::new(ErrorCode::Forbidden, format!("this needs a token of role {}", names.join(" or "))))
        }
    }

    /// The lifecycle actor this principal acts as: an officer with its duty, a department as
    /// the head (leader) of its agency, a client as the applicant it submits for.
    pub fn actor(&self) -> Result<Actor, ApiError> {
        let id = format!("{}#{}", self.name, self.id);
        match (self.role, &self.agency) {
            (ApiRole::Client, _) => Ok(Actor::Applicant { id }),
            (ApiRole::Officer, Some(agency)) => match self.duty {
                Some(role) => Ok(Actor::Official { id, role, agency: agency.clone() }),
                None => Err(ApiError::new(ErrorCode::Forbidden, "this officer token has no duty")),
            },
            (ApiRole::Department, Some(agency)) => {
                Ok(Actor::Official { id, role: Role::Leader, agency: agency.clone() })
            }
            _ => Err(ApiError::new(ErrorCode::Forbidden, "this token does not act on dossiers")),
        }
    }

    /// Whether this principal's agency is `agency` or one of its parents.
    pub fn governs(&self, agency: &AgencyCode) -> bool {
        self.role == ApiRole::Admin || self.agency.as_ref().is_some_and(|own| agency.is_within(own))
    }
}

/// SHA-256 of a secret, hex.
pub fn hash_secret(secret: &str) -> String {
    crate::hex::lower_hex(&Sha256::digest(secret.as_bytes()))
}

/// A new random secret with a prefix.
pub fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; TOKEN_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", crate::hex::lower_hex(&bytes))
}

/// What a new token is for.
pub struct NewToken {
    /// Who it is issued to.
    pub name: String,
    /// Its role.
    pub role: ApiRole,
    /// Its agency (required for department and officer).
    pub agency: Option<AgencyCode>,
    /// An officer's duty.
    pub duty: Option<Role>,
    /// The channels a client files by; online when none is named.
    pub channels: Vec<Channel>,
    /// When it stops working.
    pub expires_at: Option<DateTime<FixedOffset>>,
}

/// Creates a token and returns it; only its hash is stored.
pub async fn create_token(db: &DatabaseConnection, new: NewToken) -> Result<String, String> {
    Ok(issue(db, new).await?.1)
}

/// Creates a token: its id and the secret.
pub(crate) async fn issue(db: &DatabaseConnection, new: NewToken) -> Result<(i32, String), String> {
    match (new.role, &new.agency, new.duty) {
        (ApiRole::Department | ApiRole::Officer, None, _) => {
            return Err("department and officer tokens need --agency".to_owned());
        }
        (ApiRole::Officer, _, None) => {
            return Err("officer tokens need --duty (reception, specialist, leader, clerk, finance)".to_owned());
        }
        (ApiRole::Admin | ApiRole::Client | ApiRole::Department, _, Some(_)) => {
            return Err("only officers have a duty".to_owned());
        }
        _ => {}
    }
    let channels = client_channels(new.role, new.channels)?;
    let secret = new_secret(TOKEN_PREFIX);
    let issued = tokens::Issued {
        name: new.name,
        role: new.role.as_str(),
        duty: new.duty.map(Role::as_str),
        agency: new.agency,
        channels,
        hash: hash_secret(&secret),
        expires_at: new.expires_at,
    };
    let id = tokens::insert(db, issued).await.map_err(|e| e.to_string())?;
    Ok((id, secret))
}

/// The stored channels of a new token: a client files online unless told otherwise, never
/// at the counter (the desk's reception officers do); other roles file by no channel.
fn client_channels(role: ApiRole, mut channels: Vec<Channel>) -> Result<Option<String>, String> {
    if role != ApiRole::Client {
        return if channels.is_empty() { Ok(None) } else { Err("only client tokens have channels".to_owned()) };
    }
    if channels.contains(&Channel::Counter) {
        return Err("a client cannot file at the counter: counter dossiers are filed with reception officers' \
                    tokens (--role officer --duty reception)"
            .to_owned());
    }
    if channels.is_empty() {
        channels.push(Channel::Online);
    }
    channels.dedup();
    Ok(Some(channels.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(",")))
}

/// The channels stored for a token; a client token from before channels were recorded
/// files online.
fn stored_channels(role: ApiRole, stored: Option<&str>) -> Vec<Channel> {
    match (role, stored) {
        (ApiRole::Client, None) => vec![Channel::Online],
        (_, stored) => stored.into_iter().flat_map(|s| s.split(',')).filter_map(|c| c.parse().ok()).collect(),
    }
}

pub use crate::repository::tokens::{TokenInfo, list as list_tokens, revoke as revoke_token};

/// Who holds token row `row` (an API token or a staff account): its role, agency, duty and
/// channels as stored.
pub(crate) fn principal_of(row: TokenInfo) -> Result<Principal, ApiError> {
    let role = row.role.parse::<ApiRole>().map_err(|e| ApiError::new(ErrorCode::Internal, e))?;
    Ok(Principal {
        id: row.id,
        name: row.name,
        role,
        duty: row.duty.and_then(|d| d.parse().ok()),
        agency: row.agency.and_then(|a| a.parse().ok()),
        channels: stored_channels(role, row.channels.as_deref()),
    })
}

fn unauthorized(detail: &str) -> ApiError {
    ApiError::new(ErrorCode::Unauthorized, detail)
}

/// How long a verified token is trusted without asking the database again by default: a
/// revocation takes effect within this time on every instance.
pub const TOKEN_CACHE_TTL: Duration = Duration::from_secs(10);
/// Entries kept at most; the cache is emptied when full.
const TOKEN_CACHE_MAX: usize = 10_000;

/// A verified token: who, until when.
type Verified = (Principal, Option<DateTime<FixedOffset>>);

/// Tokens verified recently, by hash, so a busy client does not cost a query per request.
pub struct TokenCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, (Instant, Verified)>>,
}

impl TokenCache {
    /// A cache trusting a verification for `ttl` (zero: always ask the database).
    pub fn new(ttl: Duration) -> Self {
        TokenCache { ttl, entries: Mutex::new(HashMap::new()) }
    }

    /// Forgets every verification: after a revocation here, no request of this instance is
    /// let through on the strength of an earlier one.
    pub fn clear(&self) {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }

    fn get(&self, hash: &str) -> Option<Verified> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.get(hash).filter(|(at, _)| at.elapsed() < self.ttl).map(|(_, verified)| verified.clone())
    }

    fn put(&self, hash: String, verified: Verified) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= TOKEN_CACHE_MAX {
            entries.clear();
        }
        entries.insert(hash, (Instant::now(), verified));
    }
}

async fn authenticate(
    db: &DatabaseConnection,
    cache: &TokenCache,
    header: Option<&str>,
) -> Result<Option<Principal>, ApiError> {
    let Some(header) = header else { return Ok(None) };
    let secret =
        header.strip_prefix("Bearer ").ok_or_else(|| unauthorized("use `Authorization: Bearer <token>`"))?.trim();
    let hash = hash_secret(secret);
    let (principal, expires) = match cache.get(&hash) {
        Some(verified) => verified,
        None => {
            let row = tokens::find_by_hash(db, &hash).await?.ok_or_else(|| unauthorized("unknown token"))?;
            if row.revoked_at.is_some() {
                return Err(unauthorized("this token was revoked"));
            }
            let expires_at = row.expires_at;
            let principal = principal_of(row)?;
            cache.put(hash, (principal.clone(), expires_at));
            (principal, expires_at)
        }
    };
    if expires.is_some_and(|at| at <= Utc::now()) {
        return Err(unauthorized("this token has expired"));
    }
    Ok(Some(principal))
}

fn authorization(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    match req.headers().get("authorization") {
        None => Ok(None),
        Some(value) => {
            value.to_str().map(|v| Some(v.to_owned())).map_err(|_| unauthorized("the Authorization header is not text"))
        }
    }
}

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    /// A route taking a `Principal` refuses a missing or bad token with 401.
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let (state, header) = (crate::state::of(req), authorization(req));
        Box::pin(async move {
            let state = state?;
            authenticate(&state.db, &state.tokens, header?.as_deref())
                .await?
                .ok_or_else(|| unauthorized("this needs a bearer token"))
        })
    }
}

/// For routes that are public but do more for a token holder; a bad token is still a 401.
pub struct MaybePrincipal(pub Option<Principal>);

impl FromRequest for MaybePrincipal {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let (state, header) = (crate::state::of(req), authorization(req));
        Box::pin(async move {
            let state = state?;
            Ok(MaybePrincipal(authenticate(&state.db, &state.tokens, header?.as_deref()).await?))
        })
    }
}
