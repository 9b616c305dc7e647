//! A forgiving XML reader: decoded text in, a small element tree out, repairs noted on the way.

mod builder;
mod namespaces;
mod tree;

pub(crate) use builder::parse_tree;
pub(crate) use tree::{Element, Node};
