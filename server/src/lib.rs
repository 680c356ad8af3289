//! The motcua HTTP API. Routes, auth and persistence land here with the HTTP issue.
