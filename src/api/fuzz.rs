//! Property tests that throw arbitrary and mutated documents at every
//! parser: each must return `Ok` or a `DocError` naming the document, and
//! never panic.

use super::*;
use proptest::prelude::*;

fn all_parsers(body: &str) -> Vec<Result<(), DocError>> {
    let day = Day::parse("2016-08-03").unwrap_or_else(|| unreachable!());
    let month = Month::parse("2016-08").unwrap_or_else(|| unreachable!());
    vec![
        Config::parse(body, "https://cdn.example.com/p/").map(|_| ()),
        Meta::parse(body).map(|_| ()),
        Report::parse(body, month).map(|_| ()),
        DeliveryDay::parse(body, day).map(|_| ()),
        PostHour::parse(body, day, 8).map(|_| ()),
        RevenueEvents::parse(body).map(|_| ()),
        Annotations::parse(body).map(|_| ()),
        // The posts reader in steps, two posts a step.
        PostsReader::new(body.to_owned(), day, 8).and_then(|mut r| {
            while !r.done() {
                r.read(2)?;
            }
            Ok(())
        }),
        // The events reader in steps, two events a step.
        EventsReader::new(body.to_owned()).and_then(|mut r| {
            while !r.done() {
                r.read(2)?;
            }
            r.finish().map(|_| ())
        }),
    ]
}

/// Small valid documents of every kind, to mutate.
const SEEDS: &[&str] = &[
    r#"{"annotations":[{"id":"a","kind":"incident","title":"t","from":"2016-08-19T14:05:00Z","to":"2016-08-19T17:40:00Z","tags":["x"]},{"id":"b","kind":"note","title":"u","at":"2016-08-20T00:00:00Z","url":"https://e.example/"}]}"#,
    r#"{"api_base":"api/v1","refresh_seconds":0,"title":"t"}"#,
    r#"{"name":"D","generated_at":"2016-09-01T00:00:00Z","currency":"USD","report_months":["2016-07","2016-08"],"delivery_days":["2016-08-01"],"post_days":["2016-08-03"],"networks":["twitter"],"plans":[{"id":"a","name":"A"}]}"#,
    r#"{"month":"2016-08","services":[{"name":"s","requests":1,"avg_response_ms":2.5}],"bugs":[{"severity":"S1","opened":2,"closed":1}],"platform":{"containers":3}}"#,
    r#"{"date":"2016-08-03","hour":8,"posts":[{"id":"p","profile":"P","network":"twitter","media":"image","media_bytes":10,"text":"x","thumbnail_url":"media/a.svg","due_at":"2016-08-03T08:00:00Z","sent_at":"2016-08-03T08:00:05Z","status":"sent","error":null}]}"#,
    r#"{"currency":"USD","events":[{"customer":"c","at":"2016-01-01T00:00:00Z","kind":"subscribe","plan":"a","mrr_cents":100},{"customer":"c","at":"2016-02-01T00:00:00Z","kind":"cancel","plan":"a","mrr_cents":0}],"reported_mrr":{"months":["2016-01"],"mrr_cents":[100]}}"#,
];

fn check(body: &str) {
    for result in all_parsers(body) {
        if let Err(e) = result {
            assert!(!e.doc.is_empty());
            assert!(!e.reason.is_empty());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(body in "\\PC{0,200}") {
        check(&body);
    }

    #[test]
    fn mutated_documents_never_panic(
        seed in 0..SEEDS.len(),
        at in 0usize..400,
        cut in 0usize..400,
        insert in prop::sample::select(vec!["", "-1", "1e309", "null", "\"\"", "[]", "{}", "\"\\ud800\"", "99999999999999999999", "\"2016-13-45\"", ",", "\u{202e}"]),
    ) {
        let seed = SEEDS.get(seed).copied().unwrap_or_default();
        let chars: Vec<char> = seed.chars().collect();
        let at = at.min(chars.len());
        let end = (at + cut % 8).min(chars.len());
        let mut body: String = chars.iter().take(at).collect();
        body.push_str(insert);
        body.extend(chars.iter().skip(end));
        check(&body);
    }
}

#[test]
fn the_seeds_are_valid() {
    // Seed i is valid for the parser at PARSER_OF_SEED[i] in `all_parsers`.
    const PARSER_OF_SEED: [usize; 6] = [6, 0, 1, 2, 4, 5];
    for (seed, parser) in SEEDS.iter().zip(PARSER_OF_SEED) {
        let results = all_parsers(seed);
        assert!(results[parser].is_ok(), "{seed}: {:?}", results[parser]);
        let valid = results.iter().filter(|r| r.is_ok()).count();
        // The posts and events seeds are read whole and in steps.
        let readers = if parser == 4 || parser == 5 { 2 } else { 1 };
        assert_eq!(valid, readers, "only its own parser accepts {seed}");
    }
}
