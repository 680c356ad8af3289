//! The query string, with an empty parameter (`?status=`, `?status`) read as absent: forms
//! and generated clients send every field, filled or not.

use crate::error::{ApiError, ErrorCode};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use serde::de::DeserializeOwned;
use std::future::{Ready, ready};
use std::ops::Deref;

/// A query string read as `T`; 400 `invalid_query` when it is not one.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned> Query<T> {
    /// Reads `query` (without the `?`).
    pub fn parse(query: &str) -> Result<Self, ApiError> {
        let filled: Vec<&str> =
            query.split('&').filter(|pair| pair.split_once('=').is_some_and(|(_, v)| !v.is_empty())).collect();
        web::Query::<T>::from_query(&filled.join("&"))
            .map(|q| Query(q.into_inner()))
            .map_err(|e| ApiError::new(ErrorCode::InvalidQuery, e.to_string()))
    }

    /// The parameters.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Query<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Self::parse(req.query_string()))
    }
}
