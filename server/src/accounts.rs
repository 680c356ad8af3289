//! Staff accounts for the portal: a user name and a password (argon2id) on top of what a
//! token holds (role, agency, duty), and sessions — a random secret in an HttpOnly cookie,
//! stored hashed, with a CSRF token for the session's forms, ending at sign-out, after
//! [`SESSION_HOURS`], or when the account is revoked. API tokens stay for programs.

use crate::auth::{ApiRole, NewToken, Principal, hash_secret, issue, new_secret, principal_of};
use crate::error::{ApiError, ErrorCode};
use crate::repository::sessions::{self, Opened};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, FixedOffset};
use rand::RngCore;
use sea_orm::DatabaseConnection;
use std::sync::LazyLock;

/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 10;
/// How long a session lasts: a working day and its overtime.
pub const SESSION_HOURS: i64 = 12;

/// What a new account is.
pub struct NewAccount {
    /// The sign-in name: 3 to 64 of `a-z 0-9 . _ -` (stored in lower case).
    pub username: String,
    /// Who it is.
    pub name: String,
    /// Admin, department or officer (citizens need no account).
    pub role: ApiRole,
    /// Its agency.
    pub agency: Option<motcua_engine::codes::AgencyCode>,
    /// An officer's duty.
    pub duty: Option<motcua_engine::codes::Role>,
    /// The password.
    pub password: String,
}

/// A user name as stored: trimmed, lower case.
fn normalised(username: &str) -> String {
    username.trim().to_lowercase()
}

fn valid_username(username: &str) -> bool {
    (3..=64).contains(&username.len())
        && username.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

/// An argon2id hash of `password` in PHC format, with a fresh salt.
fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// A hash no password matches, verified when the user name is unknown so that the answer
/// takes as long as for a wrong password.
static DECOY: LazyLock<String> = LazyLock::new(|| hash_password(&new_secret("decoy-")).unwrap_or_default());

/// Password hashes computed at once, at most: argon2 takes a core and memory for a moment, and
/// a flood of sign-ins from many addresses must queue, not starve every other request.
static HASHING: LazyLock<tokio::sync::Semaphore> = LazyLock::new(|| {
    tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, std::num::NonZero::get))
});

/// Runs `work` (an argon2 hash or check) on the blocking pool once a hashing permit is free.
async fn hashing<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, String> {
    let _permit = HASHING.acquire().await.map_err(|e| e.to_string())?;
    tokio::task::spawn_blocking(work).await.map_err(|e| e.to_string())
}

/// Computes the decoy hash at start-up (in the background), so that the first sign-in with an
/// unknown name takes no longer than any other.
pub async fn warm_up() {
    let _ = hashing(|| LazyLock::force(&DECOY).len()).await;
}

fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Creates an account.
pub async fn create(db: &DatabaseConnection, new: NewAccount) -> Result<(), String> {
    let username = normalised(&new.username);
    if !valid_username(&username) {
        return Err("a user name is 3 to 64 of a-z, 0-9, `.`, `_` and `-`".to_owned());
    }
    if new.role == ApiRole::Client {
        return Err("citizens and programs do not sign in: accounts are for admin, department or officer".to_owned());
    }
    if new.password.chars().count() < MIN_PASSWORD {
        return Err(format!("a password has at least {MIN_PASSWORD} characters"));
    }
    if sessions::account(db, &username).await.map_err(|e| e.to_string())?.is_some() {
        return Err(format!("the user name `{username}` is taken"));
    }
    let token = NewToken {
        name: new.name,
        role: new.role,
        agency: new.agency,
        duty: new.duty,
        channels: Vec::new(),
        expires_at: None,
    };
    // The account's row holds a token no one is shown: it cannot be used as a bearer token.
    let (id, _) = issue(db, token).await?;
    let password = new.password;
    let hash = hashing(move || hash_password(&password)).await??;
    sessions::set_password(db, id, &username, hash).await.map_err(|e| e.to_string())
}

/// A session opened at sign-in: the cookie's secret (shown once, stored hashed) and the
/// session's CSRF token.
pub struct SignedIn {
    /// The cookie's value.
    pub secret: String,
    /// The token the session's forms carry.
    pub csrf: String,
}

/// Signs `username` in with `password` at `now`: 401 `unauthorized` for an unknown name, a
/// wrong password or a revoked or expired account, with the same answer for each.
pub async fn sign_in(
    db: &DatabaseConnection,
    username: &str,
    password: &str,
    now: DateTime<FixedOffset>,
) -> Result<SignedIn, ApiError> {
    let refused = || ApiError::new(ErrorCode::Unauthorized, "wrong user name or password");
    let found = sessions::account(db, &normalised(username)).await?;
    let (account, hash) = match found {
        Some((account, hash)) => (Some(account), hash),
        None => (None, DECOY.clone()),
    };
    let password = password.to_owned();
    let matches = hashing(move || verify(&password, &hash))
        .await
        .map_err(|_| ApiError::new(ErrorCode::Internal, "the password check stopped"))?;
    let account = account.filter(|_| matches).ok_or_else(refused)?;
    if account.revoked_at.is_some() || account.expires_at.is_some_and(|at| at <= now) {
        return Err(refused());
    }
    let (secret, csrf) = (new_secret("ms_"), new_secret(""));
    let opened = Opened {
        account: account.id,
        hash: hash_secret(&secret),
        csrf: &csrf,
        at: now,
        expires_at: now + Duration::hours(SESSION_HOURS),
    };
    sessions::open(db, opened).await?;
    Ok(SignedIn { secret, csrf })
}

/// A signed-in staff member.
#[derive(Debug, Clone)]
pub struct Session {
    /// The session's id, to end it.
    pub id: i32,
    /// Who, as the application sees any caller.
    pub principal: Principal,
    /// The CSRF token its forms must carry.
    pub csrf: String,
}

/// The session of cookie `secret` at `now`, if it is live and its account is not revoked.
pub async fn session(
    db: &DatabaseConnection,
    secret: &str,
    now: DateTime<FixedOffset>,
) -> Result<Option<Session>, ApiError> {
    let Some(live) = sessions::live(db, &hash_secret(secret), now).await? else { return Ok(None) };
    if live.account.revoked_at.is_some() || live.account.expires_at.is_some_and(|at| at <= now) {
        return Ok(None);
    }
    Ok(Some(Session { id: live.id, csrf: live.csrf, principal: principal_of(live.account)? }))
}

/// Ends session `id`.
pub async fn sign_out(db: &DatabaseConnection, id: i32, now: DateTime<FixedOffset>) -> Result<(), ApiError> {
    Ok(sessions::revoke(db, id, now).await?)
}

/// The name of the portal's own identity: not a valid user name (`@`), so no one signs in as it.
const PORTAL: &str = "@cong-dich-vu-cong";

/// Who files the dossiers citizens send through the portal: an online client of its own,
/// created the first time it is needed.
pub async fn portal_client(db: &DatabaseConnection) -> Result<Principal, ApiError> {
    let internal = |e: String| ApiError::new(ErrorCode::Internal, e);
    if let Some(row) = sessions::named(db, PORTAL).await? {
        return principal_of(row);
    }
    let token = NewToken {
        name: "Cổng dịch vụ công".to_owned(),
        role: ApiRole::Client,
        agency: None,
        duty: None,
        channels: vec![motcua_engine::definition::Channel::Online],
        expires_at: None,
    };
    let (id, _) = issue(db, token).await.map_err(internal)?;
    if let Err(error) = sessions::set_username(db, id, PORTAL).await {
        // Another instance named its own row first: use that one, and drop this.
        tracing::info!(%error, "the portal's identity was created elsewhere");
        let _ = crate::repository::tokens::revoke(db, id).await;
    }
    principal_of(sessions::named(db, PORTAL).await?.ok_or_else(|| internal("the portal's identity".to_owned()))?)
}
