//! The rendered block: one paragraph, heading, list item, quote, code block, table row, caption
//! or image of the chosen content, with its text, Markdown and HTML. `render::render` builds them;
//! `content::trim_blocks` cuts them. Both use this type, so neither imports the other for it.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Heading(u8),
    Para,
    /// List item: ordered?, nesting depth (0 = top).
    Item(bool, u8),
    Quote,
    Pre,
    Row,
    Caption,
    Image,
}

#[derive(Debug, Clone)]
pub struct Block {
    pub kind: Kind,
    pub text: String,
    pub md: String,
    pub html: String,
    /// Text length inside links (to judge link-heavy blocks).
    pub link_chars: usize,
}
