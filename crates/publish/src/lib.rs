//! Publishers: render stored items into Hugo posts and JSONL records, written atomically.
