//! Query parameters that only track who clicked where; removing them never changes the page.
//!
//! Built from the public lists maintained for the same purpose: Firefox's query-stripping list
//! (privacy.query_stripping.strip_list), Brave's query filter (brave-core `query_filter`), the
//! ClearURLs rules (`data.min.json`, global provider), the AdGuard "URL Tracking protection" filter, and
//! Miniflux's `urlcleaner` map; plus the publisher share codes that those lists carry for news sites
//! (Guardian `CMP`/`INTCMP`, BBC `at_*`/`ns_*`, NYT `smid`/`smtyp`, Yahoo `guccounter`, MSN `ocid`).
//! Parameters that sometimes select content (`ref`, `src`, `source`, `page`, `id`) are deliberately absent.

/// Exact parameter names, lower-case.
const EXACT: &[&str] = &[
    // Ad click ids
    "fbclid",
    "gclid",
    "gclsrc",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "twclid",
    "ttclid",
    "li_fat_id",
    "igshid",
    "epik",
    "rb_clickid",
    "s_kwcid",
    "ef_id",
    "irclickid",
    "_branch_match_id",
    // Mailchimp, HubSpot, Marketo, Vero, Oracle Eloqua, Klaviyo
    "mc_cid",
    "mc_eid",
    "_hsenc",
    "_hsmi",
    "__hssc",
    "__hstc",
    "__hsfp",
    "hsctatracking",
    "mkt_tok",
    "vero_conv",
    "vero_id",
    "elqtrackid",
    "elqtrack",
    "elq",
    "elqaid",
    "elqat",
    "elqcampaignid",
    "_ke",
    "_kx",
    // Google Analytics linker, Yandex, Openstat, Webtrends, Adobe
    "_ga",
    "_gl",
    "_openstat",
    "wt.mc_id",
    "wt_mc_id",
    "s_cid",
    "cmpid",
    "wickedid",
    "oly_anon_id",
    "oly_enc_id",
    // Facebook and Twitter share artefacts
    "fb_action_ids",
    "fb_action_types",
    "fb_ref",
    "fb_source",
    "action_object_map",
    "action_type_map",
    "action_ref_map",
    "ref_src",
    "ref_url",
    "__twitter_impression",
    "sr_share",
    // Publisher share and campaign codes seen on news links
    "cmp",
    "intcmp",
    "smid",
    "smtyp",
    "mbid",
    "ncid",
    "ocid",
    "cvid",
    "guccounter",
    "guce_referrer",
    "guce_referrer_sig",
    "xtor",
    "icid",
    "soc_src",
    "soc_trk",
    "spm",
    "trk",
    "trkcampaign",
    "sc_campaign",
    "sc_channel",
    "sc_content",
    "sc_medium",
    "sc_outcome",
    "sc_geo",
    "sc_country",
    "feedname",
    "feedtype",
    "rss_source",
    "mod",
    "taid",
    "dicbo",
    "sh_kit",
    "share_source",
];

/// Parameter name prefixes, lower-case: whole families of campaign parameters.
const PREFIXES: &[&str] = &[
    "utm_", "pk_", "mtm_", "piwik_", "hsa_", "oly_", "at_", "ns_", "ga_", "hmb_",
];

/// Whether a query parameter (its decoded name) is tracking only.
pub fn is_tracking_param(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    EXACT.contains(&lower.as_str()) || PREFIXES.iter().any(|p| lower.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_prefixed_params() {
        for p in [
            "utm_source",
            "UTM_Medium",
            "fbclid",
            "gclid",
            "mc_cid",
            "mc_eid",
            "CMP",
            "pk_kwd",
        ] {
            assert!(is_tracking_param(p), "{p}");
        }
        for p in ["id", "page", "q", "ref", "source", "article"] {
            assert!(!is_tracking_param(p), "{p}");
        }
    }
}
