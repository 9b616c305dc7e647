//! Publishers.
