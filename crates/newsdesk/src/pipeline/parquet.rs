//! `newsdesk export parquet -o FILE`: the JSONL export's records as a Parquet file, for pandas, DuckDB and
//! Spark. The records come from the same `for_each_record` as the JSONL lines, so both exports hold the
//! same rows with the same values; only the types differ (lists are lists, dates are timestamps).
//!
//! Memory stays flat in the store's size: records are gathered into Arrow batches of a bounded number of
//! rows, and the writer turns them into a row group, written out, every `rows_per_group` rows (sooner when
//! the row group's encoded size passes [`MAX_ROW_GROUP_BYTES`], for stores of long articles).

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use arrow_array::builder::{ListBuilder, StringBuilder, TimestampMicrosecondBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use chrono::NaiveDateTime;
use newsdesk_publish::JsonlRecord;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use super::export::{for_each_record, replace_file, Filter, TempOut};
use crate::store::Store;

/// Rows per row group unless asked otherwise: large enough for the columnar encodings to pay, small enough
/// that a reader can skip by date or outlet through the row groups' statistics.
pub const DEFAULT_ROWS_PER_GROUP: usize = 10_000;

/// A row group is written out once its encoded size passes this, whatever its row count.
const MAX_ROW_GROUP_BYTES: usize = 128 << 20;

/// Rows gathered into one Arrow batch before the writer encodes them.
const BATCH_ROWS: usize = 1024;

/// The time zone of the timestamp columns: the JSONL's dates are UTC.
const UTC: &str = "UTC";

/// The Parquet schema: the JSONL record's fields, in its order. Only `url`, `title`, `title_rss`,
/// `feed_url` and the lists (empty when there is nothing) are never null, as in the JSONL.
pub fn schema() -> SchemaRef {
    let text = |name: &str, nullable: bool| Field::new(name, DataType::Utf8, nullable);
    let time = |name: &str| Field::new(name, DataType::Timestamp(TimeUnit::Microsecond, Some(UTC.into())), true);
    let list = |name: &str| Field::new(name, DataType::List(Arc::new(list_item())), false);
    Arc::new(Schema::new(vec![
        text("url", false),
        text("source_domain", true),
        text("title", false),
        text("title_rss", false),
        text("description", true),
        text("maintext", true),
        list("authors"),
        time("date_publish"),
        time("date_modify"),
        time("date_download"),
        text("language", true),
        text("image_url", true),
        text("story_id", true),
        list("tags"),
        list("people"),
        list("places"),
        list("organizations"),
        text("feed_url", false),
    ]))
}

/// The element of every list column: a string, never null.
fn list_item() -> Field {
    Field::new("item", DataType::Utf8, false)
}

/// One batch of rows being gathered, a builder per column.
struct Columns {
    schema: SchemaRef,
    rows: usize,
    url: StringBuilder,
    source_domain: StringBuilder,
    title: StringBuilder,
    title_rss: StringBuilder,
    description: StringBuilder,
    maintext: StringBuilder,
    authors: ListBuilder<StringBuilder>,
    date_publish: TimestampMicrosecondBuilder,
    date_modify: TimestampMicrosecondBuilder,
    date_download: TimestampMicrosecondBuilder,
    language: StringBuilder,
    image_url: StringBuilder,
    story_id: StringBuilder,
    tags: ListBuilder<StringBuilder>,
    people: ListBuilder<StringBuilder>,
    places: ListBuilder<StringBuilder>,
    organizations: ListBuilder<StringBuilder>,
    feed_url: StringBuilder,
}

impl Columns {
    fn new(schema: SchemaRef) -> Columns {
        let list = || ListBuilder::new(StringBuilder::new()).with_field(list_item());
        let time = || TimestampMicrosecondBuilder::new().with_timezone(UTC);
        Columns {
            schema,
            rows: 0,
            url: StringBuilder::new(),
            source_domain: StringBuilder::new(),
            title: StringBuilder::new(),
            title_rss: StringBuilder::new(),
            description: StringBuilder::new(),
            maintext: StringBuilder::new(),
            authors: list(),
            date_publish: time(),
            date_modify: time(),
            date_download: time(),
            language: StringBuilder::new(),
            image_url: StringBuilder::new(),
            story_id: StringBuilder::new(),
            tags: list(),
            people: list(),
            places: list(),
            organizations: list(),
            feed_url: StringBuilder::new(),
        }
    }

    fn push(&mut self, r: &JsonlRecord) -> anyhow::Result<()> {
        // Dates are parsed before anything is appended, so that a failure leaves every column the same length.
        let date_publish = micros(r.date_publish.as_deref()).context("date_publish")?;
        let date_modify = micros(r.date_modify.as_deref()).context("date_modify")?;
        let date_download = micros(r.date_download.as_deref()).context("date_download")?;
        self.url.append_value(&r.url);
        self.source_domain.append_option(r.source_domain.as_deref());
        self.title.append_value(&r.title);
        self.title_rss.append_value(&r.title_rss);
        self.description.append_option(r.description.as_deref());
        self.maintext.append_option(r.maintext.as_deref());
        append_list(&mut self.authors, &r.authors);
        self.date_publish.append_option(date_publish);
        self.date_modify.append_option(date_modify);
        self.date_download.append_option(date_download);
        self.language.append_option(r.language.as_deref());
        self.image_url.append_option(r.image_url.as_deref());
        self.story_id.append_option(r.story_id.as_deref());
        append_list(&mut self.tags, &r.tags);
        append_list(&mut self.people, &r.people);
        append_list(&mut self.places, &r.places);
        append_list(&mut self.organizations, &r.organizations);
        self.feed_url.append_value(&r.feed_url);
        self.rows += 1;
        Ok(())
    }

    /// The rows gathered so far as a batch; the builders start again empty.
    fn finish(&mut self) -> anyhow::Result<RecordBatch> {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.url.finish()),
            Arc::new(self.source_domain.finish()),
            Arc::new(self.title.finish()),
            Arc::new(self.title_rss.finish()),
            Arc::new(self.description.finish()),
            Arc::new(self.maintext.finish()),
            Arc::new(self.authors.finish()),
            Arc::new(self.date_publish.finish()),
            Arc::new(self.date_modify.finish()),
            Arc::new(self.date_download.finish()),
            Arc::new(self.language.finish()),
            Arc::new(self.image_url.finish()),
            Arc::new(self.story_id.finish()),
            Arc::new(self.tags.finish()),
            Arc::new(self.people.finish()),
            Arc::new(self.places.finish()),
            Arc::new(self.organizations.finish()),
            Arc::new(self.feed_url.finish()),
        ];
        self.rows = 0;
        RecordBatch::try_new(self.schema.clone(), columns).context("assembling a batch of Parquet rows")
    }
}

fn append_list(builder: &mut ListBuilder<StringBuilder>, values: &[String]) {
    for v in values {
        builder.values().append_value(v);
    }
    builder.append(true);
}

/// A JSONL date (`YYYY-MM-DD HH:MM:SS`, UTC) as microseconds since the epoch: parsed back from the record's
/// text so that the column holds exactly the instant the JSONL line shows.
fn micros(date: Option<&str>) -> anyhow::Result<Option<i64>> {
    let Some(date) = date else { return Ok(None) };
    let time = NaiveDateTime::parse_from_str(date, newsdesk_publish::DATE_FORMAT)
        .with_context(|| format!("unexpected date {date:?}"))?;
    Ok(Some(time.and_utc().timestamp_micros()))
}

/// Write the records `filter` keeps to `out` as Parquet, a row group every `rows_per_group` rows; returns how
/// many rows.
pub fn write_parquet(
    store: &dyn Store,
    out: &mut TempOut,
    filter: &Filter,
    rows_per_group: usize,
) -> anyhow::Result<usize> {
    anyhow::ensure!(rows_per_group > 0, "rows per row group must be at least 1");
    let schema = schema();
    let properties = WriterProperties::builder()
        // Snappy: what Spark and pandas write by default, fast, and the only codec built in (pure Rust).
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(rows_per_group))
        .set_max_row_group_bytes(Some(MAX_ROW_GROUP_BYTES))
        .set_created_by(format!("newsdesk {}", env!("CARGO_PKG_VERSION")))
        .build();
    let mut writer =
        ArrowWriter::try_new(out, schema.clone(), Some(properties)).context("starting the Parquet file")?;
    let batch_rows = BATCH_ROWS.min(rows_per_group);
    let mut columns = Columns::new(schema);
    let n = for_each_record(store, filter, |record| {
        columns
            .push(record)
            .with_context(|| format!("the record of {}", record.url))?;
        if columns.rows >= batch_rows {
            writer.write(&columns.finish()?).context("writing Parquet rows")?;
        }
        Ok(())
    })?;
    if columns.rows > 0 {
        writer.write(&columns.finish()?).context("writing Parquet rows")?;
    }
    writer.close().context("finishing the Parquet file")?;
    Ok(n)
}

/// `export parquet -o FILE`: [`write_parquet`] into a temporary file beside `path`, renamed over it once
/// complete, so that a reader never sees half a file (Parquet's footer is written last).
pub fn export_parquet(store: &dyn Store, path: &Path, filter: &Filter, rows_per_group: usize) -> anyhow::Result<usize> {
    replace_file(
        path,
        |out| write_parquet(store, out, filter, rows_per_group),
        |_| Ok(()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_dates_become_utc_microseconds() {
        assert_eq!(micros(None).expect("none"), None);
        assert_eq!(
            micros(Some("2026-01-05 09:30:00")).expect("date"),
            Some(1_767_605_400_000_000)
        );
        assert!(micros(Some("5 January")).is_err());
    }
}
