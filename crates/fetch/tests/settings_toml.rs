//! The commented `[fetch]` table written for `newsdesk init` parses back to the same settings.

use newsdesk_fetch::FetchSettings;

#[derive(serde::Deserialize)]
struct File {
    fetch: FetchSettings,
}

#[test]
fn commented_toml_reads_back_equal() {
    let custom = FetchSettings {
        contact_url: "https://desk.example/\"about\"".into(),
        host_min_interval_secs: 0.25,
        allow_private_networks: true,
        allow_networks: vec!["127.0.0.0/8".into(), "::1/128".into(), "10.1.0.0/16".into()],
        ..FetchSettings::default()
    };
    for settings in [FetchSettings::default(), custom] {
        let text = format!("[fetch]\n{}", settings.commented_toml());
        let parsed: File = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(parsed.fetch, settings);
    }
    let text = FetchSettings::default().commented_toml();
    assert!(text.contains("\nallow_networks = []\n"), "{text}");
}

#[test]
fn allow_networks_is_a_toml_array() {
    let parsed: File = toml::from_str("[fetch]\nallow_networks = [\"127.0.0.0/8\", \"::1/128\"]\n").expect("array");
    assert_eq!(parsed.fetch.allow_networks, ["127.0.0.0/8", "::1/128"]);
    parsed.fetch.validate().expect("valid networks");
    let rendered = parsed.fetch.commented_toml();
    assert!(
        rendered.contains("\nallow_networks = [\"127.0.0.0/8\",\"::1/128\"]\n"),
        "{rendered}"
    );
}

#[test]
fn integers_are_accepted_for_seconds_and_unknown_keys_refused() {
    let parsed: File = toml::from_str("[fetch]\ntimeout_secs = 5\n").expect("integer seconds");
    assert_eq!(parsed.fetch.timeout_secs, 5.0);
    let err = toml::from_str::<File>("[fetch]\ntimeout = 5\n")
        .err()
        .expect("unknown key refused");
    assert!(err.to_string().contains("timeout"), "{err}");
}
