//! The Stripe rules end to end: archives in memory (and on disk) through
//! [`StripeReader`] and [`read_stripe`], and property tests of the whole.

use super::blocks::Split;
use super::*;
use proptest::prelude::*;
use std::collections::HashMap;

/// A subscription event line with one monthly item, from `spec`: "id kind
/// created customer subscription status plan amount quantity" (`kind` the
/// part after `customer.subscription.`).
fn sub_event(spec: &str) -> String {
    let fields: Vec<&str> = spec.split(' ').collect();
    let [id, kind, created, customer, sub, status, plan, amount, quantity] = fields[..] else {
        panic!("spec {spec:?}");
    };
    let items = monthly(plan, amount.parse().unwrap(), quantity.parse().unwrap());
    event_line(
        id,
        kind,
        created.parse().unwrap(),
        customer,
        sub,
        status,
        &items,
    )
}

/// [`sub_event`] with each field apart.
fn event_line(
    id: &str,
    kind: &str,
    created: i64,
    customer: &str,
    sub: &str,
    status: &str,
    items: &str,
) -> String {
    format!(
        r#"{{"id":"{id}","object":"event","api_version":"2020-08-27","created":{created},"data":{{"object":{{"id":"{sub}","object":"subscription","customer":"{customer}","status":"{status}","currency":"usd","items":{{"object":"list","data":{items}}}}}}},"livemode":false,"type":"customer.subscription.{kind}"}}"#
    )
}

/// One monthly price item.
fn monthly(nickname: &str, amount: i64, quantity: u64) -> String {
    format!(
        r#"[{{"quantity":{quantity},"price":{{"id":"price_{nickname}","nickname":"{nickname}","currency":"usd","unit_amount":{amount},"recurring":{{"interval":"month","interval_count":1}}}}}}]"#
    )
}

fn read(files: &[(&str, &str)], currency: Option<&str>) -> Result<StripeOutcome, StripeError> {
    let opts = StripeOptions {
        currency: currency.map(str::to_string),
    };
    let mut reader = StripeReader::new(&opts)?;
    for (name, text) in files {
        reader.read(name, text.as_bytes())?;
    }
    reader.finish()
}

fn out(
    customer: &str,
    at: &str,
    kind: &'static str,
    plan: &str,
    mrr_cents: i64,
) -> RevenueEventOut {
    RevenueEventOut {
        customer: customer.to_string(),
        at: at.to_string(),
        kind,
        plan: plan.to_string(),
        mrr_cents,
    }
}

#[test]
fn the_contract_example() {
    let archive = [
        sub_event("evt_1 created 1420372800 cus_0001 sub_1 active awesome 1000 1"),
        sub_event("evt_2 updated 1433928600 cus_0001 sub_1 active business 5000 1"),
        sub_event("evt_3 deleted 1454284800 cus_0001 sub_1 canceled business 5000 1"),
    ]
    .join("\n");
    let got = read(&[("a.jsonl", &archive)], None).unwrap();
    assert_eq!(
        got.events,
        [
            out(
                "cus_0001",
                "2015-01-04T12:00:00Z",
                "subscribe",
                "awesome",
                1000
            ),
            out(
                "cus_0001",
                "2015-06-10T09:30:00Z",
                "change",
                "business",
                5000
            ),
            out("cus_0001", "2016-02-01T00:00:00Z", "cancel", "business", 0),
        ]
    );
    assert_eq!(got.currency.as_deref(), Some("USD"));
    assert_eq!(got.plans, ["awesome", "business"]);
}

#[test]
fn order_is_created_then_id_whatever_the_files() {
    let first = sub_event("evt_b updated 200 cus_1 sub_1 active basic 300 1");
    let same_second = sub_event("evt_a updated 200 cus_1 sub_1 active basic 200 1");
    let earliest = sub_event("evt_z created 100 cus_1 sub_1 active basic 100 1");
    let file_1 = format!("{first}\n");
    let file_2 = format!("{same_second}\n{earliest}\n");
    let want = [
        out("cus_1", "1970-01-01T00:01:40Z", "subscribe", "basic", 100),
        out("cus_1", "1970-01-01T00:03:20Z", "change", "basic", 200),
        out("cus_1", "1970-01-01T00:03:20Z", "change", "basic", 300),
    ];
    let a = read(&[("1.jsonl", &file_1), ("2.jsonl", &file_2)], None).unwrap();
    let b = read(&[("2.jsonl", &file_2), ("1.jsonl", &file_1)], None).unwrap();
    assert_eq!(a.events, want);
    assert_eq!(b.events, want);
}

#[test]
fn a_duplicate_id_is_ignored_the_first_reading_wins() {
    let original = sub_event("evt_1 created 10 cus_1 sub_1 active basic 1000 1");
    let replay = sub_event("evt_1 created 10 cus_1 sub_1 active basic 9000 1");
    let ignored =
        r#"{"id":"evt_9","type":"invoice.paid","created":11,"data":{"object":{"id":"in_1"}}}"#;
    let archive = format!("{original}\n{ignored}\n{replay}\n{ignored}\n");
    let got = read(&[("a.jsonl", &archive)], None).unwrap();
    assert_eq!(got.events.len(), 1);
    assert_eq!(got.events[0].mrr_cents, 1000);
    assert_eq!(
        got.stats,
        StripeStats {
            lines: 4,
            duplicates: 2,
            ignored_types: 1,
            other_currency: 0,
            subscriptions: 1,
        }
    );
}

#[test]
fn duplicates_across_files_are_ignored_too() {
    let event = sub_event("evt_1 created 10 cus_1 sub_1 active basic 1000 1");
    let got = read(&[("a", &event), ("b", &event)], None).unwrap();
    assert_eq!((got.events.len(), got.stats.duplicates), (1, 1));
}

#[test]
fn other_types_are_counted_and_ignored_whatever_their_shape() {
    let archive = [
        r#"{"id":"evt_1","type":"customer.subscription.trial_will_end","created":1,"data":{"object":{"id":"sub_1","customer":"cus_1","status":"active","currency":"usd","items":{"data":[]}}}}"#,
        r#"{"id":"evt_2","type":"order.created","data":{"object":{"items":[{"amount":1}],"customer":{"id":"cus_1"}}}}"#,
        r#"{"id":"evt_3","type":"charge.succeeded"}"#,
    ]
    .join("\n");
    let got = read(&[("a", &archive)], None).unwrap();
    assert!(got.events.is_empty());
    assert_eq!((got.stats.lines, got.stats.ignored_types), (3, 3));
    assert_eq!(got.currency, None);
}

#[test]
fn customers_sum_their_subscriptions() {
    let archive = [
        sub_event("e1 created 1 cus_1 sub_a active basic 1000 1"),
        sub_event("e2 created 2 cus_1 sub_b past_due pro 2500 2"),
        sub_event("e3 created 3 cus_2 sub_c trialing pro 2500 1"),
        sub_event("e4 deleted 4 cus_1 sub_b canceled pro 2500 2"),
        sub_event("e5 updated 5 cus_2 sub_c active pro 2500 1"),
    ]
    .join("\n");
    let got = read(&[("a", &archive)], None).unwrap();
    assert_eq!(
        got.events,
        [
            out("cus_1", "1970-01-01T00:00:01Z", "subscribe", "basic", 1000),
            out("cus_1", "1970-01-01T00:00:02Z", "change", "pro", 6000),
            out("cus_1", "1970-01-01T00:00:04Z", "change", "basic", 1000),
            out("cus_2", "1970-01-01T00:00:05Z", "subscribe", "pro", 2500),
        ]
    );
}

#[test]
fn no_event_when_nothing_changes() {
    let archive = [
        sub_event("e1 created 1 cus_1 sub_1 incomplete basic 1000 1"),
        sub_event("e2 updated 2 cus_1 sub_1 active basic 1000 1"),
        sub_event("e3 updated 3 cus_1 sub_1 active basic 1000 1"),
        sub_event("e4 updated 4 cus_1 sub_1 past_due basic 1000 1"),
    ]
    .join("\n");
    let got = read(&[("a", &archive)], None).unwrap();
    assert_eq!(
        got.events,
        [out(
            "cus_1",
            "1970-01-01T00:00:02Z",
            "subscribe",
            "basic",
            1000
        )]
    );
    assert_eq!(got.stats.subscriptions, 4);
}

fn in_currency(id: &str, created: i64, currency: &str) -> String {
    event_line(
        id,
        "created",
        created,
        &format!("cus_{id}"),
        &format!("sub_{id}"),
        "active",
        &monthly("basic", 1000, 1),
    )
    .replace(
        r#""currency":"usd""#,
        &format!(r#""currency":"{currency}""#),
    )
}

#[test]
fn currency_is_upper_cased_and_case_does_not_make_a_second_one() {
    let archive = [
        in_currency("e1", 1, "eur"),
        in_currency("e2", 2, "EUR"),
        in_currency("e3", 3, "Eur"),
    ]
    .join("\n");
    let got = read(&[("a", &archive)], None).unwrap();
    assert_eq!(got.currency.as_deref(), Some("EUR"));
    assert_eq!(got.events.len(), 3);
}

#[test]
fn a_second_currency_is_an_error_naming_the_event() {
    // In file order GBP comes first, but by `created` USD does: the error
    // names the GBP event, its file and line.
    let archive = format!(
        "\n{}\n{}\n",
        in_currency("evt_gbp", 5, "gbp"),
        in_currency("evt_usd", 1, "usd")
    );
    let error = read(&[("x.jsonl", "\n"), ("a.jsonl", &archive)], None).unwrap_err();
    assert_eq!(error.file, "a.jsonl");
    assert_eq!(error.line, Some(2));
    assert!(
        error
            .message
            .starts_with("event evt_gbp: a second currency, GBP after USD"),
        "{error}"
    );
    assert!(error.message.contains("--currency"), "{error}");
}

#[test]
fn with_currency_others_are_counted_and_skipped() {
    let archive = [
        in_currency("e1", 1, "usd"),
        in_currency("e2", 2, "eur"),
        in_currency("e3", 3, "USD"),
    ]
    .join("\n");
    let got = read(&[("a", &archive)], Some("Usd")).unwrap();
    assert_eq!(got.currency.as_deref(), Some("USD"));
    assert_eq!(got.events.len(), 2);
    assert_eq!((got.stats.other_currency, got.stats.subscriptions), (1, 2));
    let got = read(&[("a", &archive)], Some("eur")).unwrap();
    assert_eq!(
        got.events,
        [out(
            "cus_e2",
            "1970-01-01T00:00:02Z",
            "subscribe",
            "basic",
            1000
        )]
    );
    assert_eq!(got.stats.other_currency, 2);
}

#[test]
fn currency_option_without_events_is_still_the_currency() {
    assert_eq!(
        read(&[], Some("jpy")).unwrap().currency.as_deref(),
        Some("JPY")
    );
    assert_eq!(read(&[], None).unwrap().currency, None);
}

#[test]
fn a_currency_option_must_be_a_code() {
    let error = read(&[], Some("dollars")).unwrap_err();
    assert_eq!(error.file, "--currency");
    assert_eq!(
        error.to_string(),
        r#"--currency: "dollars" is not a three-letter currency code"#
    );
}

#[test]
fn currency_of_older_versions_comes_from_the_plan() {
    let line = r#"{"id":"e1","type":"customer.subscription.created","created":1,"data":{"object":{"id":"sub_1","customer":"cus_1","status":"active","plan":{"id":"gold","currency":"cad","amount":500,"interval":"month"},"quantity":2}}}"#;
    let got = read(&[("a", line)], None).unwrap();
    assert_eq!(got.currency.as_deref(), Some("CAD"));
    assert_eq!(
        got.events,
        [out(
            "cus_1",
            "1970-01-01T00:00:01Z",
            "subscribe",
            "gold",
            1000
        )]
    );
}

#[test]
fn a_broken_line_is_an_error_with_its_number() {
    let good = sub_event("e1 created 1 cus_1 sub_1 active basic 1000 1");
    let archive = format!("{good}\n\n  \n{{\"id\":\"e2\",\"type\":\n{good}\n");
    let error = read(&[("events.jsonl", &archive)], None).unwrap_err();
    assert_eq!((error.file.as_str(), error.line), ("events.jsonl", Some(4)));
    assert!(
        error
            .message
            .starts_with("not a Stripe event: EOF while parsing"),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .starts_with("events.jsonl:4: not a Stripe event"),
        "{error}"
    );
}

#[test]
fn a_subscription_event_of_the_wrong_shape_names_event_and_line() {
    let archive = format!(
        "{}\n{}\n",
        r#"{"id":"e0","type":"invoice.paid","data":{"object":{"items":[]}}}"#,
        r#"{"id":"e1","type":"customer.subscription.updated","created":1,"data":{"object":{"id":"s","customer":"c","quantity":-2}}}"#
    );
    let error = read(&[("a", &archive)], None).unwrap_err();
    assert_eq!(error.line, Some(2));
    assert!(
        error
            .message
            .starts_with("event e1: invalid value: integer `-2`, expected u64 at line 1 column"),
        "{error}"
    );
}

#[test]
fn missing_fields_of_a_subscription_event_are_named() {
    let good = sub_event("e1 created 1 cus_1 sub_1 active basic 1000 1");
    let cases = [
        (good.replace(r#""created":1,"#, ""), "event e1: no created"),
        (
            good.replace(r#""created":1,"#, r#""created":-1,"#),
            "event e1: created -1 is not between 1970 and 9999",
        ),
        (
            good.replace(r#""customer":"cus_1""#, r#""customer":null"#),
            "event e1: data.object has no customer",
        ),
        (
            good.replace(r#""id":"sub_1","#, ""),
            "event e1: data.object has no id",
        ),
        (
            good.replace(r#""currency":"usd""#, r#""currency":"us""#),
            "event e1: currency \"us\" is not a three-letter code",
        ),
        (
            good.replace(r#""currency":"usd","#, "")
                .replace(r#""currency":"usd","#, ""),
            "event e1: data.object has no currency",
        ),
        (
            good.replace(r#""unit_amount":1000"#, r#""unit_amount":-1"#),
            "event e1: data.object.items.data[0].price: the amount is below 0",
        ),
        (
            r#"{"id":"e1","type":"customer.subscription.created","created":1}"#.to_string(),
            "event e1: no data.object",
        ),
    ];
    for (line, want) in cases {
        let error = read(&[("a", &line)], None).unwrap_err();
        assert_eq!((error.line, error.message.as_str()), (Some(1), want));
    }
}

#[test]
fn plans_are_sorted_and_unique() {
    let archive = [
        sub_event("e1 created 1 c1 s1 active pro 1000 1"),
        sub_event("e2 created 2 c2 s2 active basic 100 1"),
        sub_event("e3 created 3 c3 s3 active pro 1000 1"),
        // A plan no event uses (never counted) is not listed.
        sub_event("e4 created 4 c4 s4 trialing trial 1000 1"),
    ]
    .join("\n");
    assert_eq!(
        read(&[("a", &archive)], None).unwrap().plans,
        ["basic", "pro"]
    );
}

#[test]
fn a_byte_order_mark_and_crlf_line_ends_are_fine() {
    let line = sub_event("e1 created 1 c1 s1 active pro 1000 1");
    let archive = format!("\u{feff}{line}\r\n\r\n");
    assert_eq!(read(&[("a", &archive)], None).unwrap().events.len(), 1);
}

#[test]
fn read_stripe_reads_files_in_order_and_names_a_missing_one() {
    let folder = std::env::temp_dir().join(format!("pulse-stripe-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let (a, b) = (folder.join("a.jsonl"), folder.join("b.jsonl"));
    std::fs::write(&a, sub_event("e2 updated 2 c1 s1 active pro 2000 1")).unwrap();
    std::fs::write(&b, sub_event("e1 created 1 c1 s1 active pro 1000 1")).unwrap();
    let got = read_stripe(&[a.clone(), b.clone()], &StripeOptions::default()).unwrap();
    let kinds: Vec<_> = got.events.iter().map(|e| (e.kind, e.mrr_cents)).collect();
    assert_eq!(kinds, [("subscribe", 1000), ("change", 2000)]);
    let missing = folder.join("none.jsonl");
    let error = read_stripe(&[a, missing.clone()], &StripeOptions::default()).unwrap_err();
    assert_eq!(
        (error.file, error.line),
        (missing.display().to_string(), None)
    );
    assert!(error.message.starts_with("cannot open: "));
    std::fs::remove_dir_all(&folder).unwrap();
}

// ---------------------------------------------------------------- properties

/// One generated subscription event: everything the independent model
/// below needs to know what it is worth.
#[derive(Debug, Clone)]
struct Gen {
    customer: u8,
    sub: u8,
    created: i64,
    kind: &'static str,
    status: &'static str,
    amount: i64,
    quantity: u64,
}

fn gen_event() -> impl Strategy<Value = Gen> {
    (
        0u8..4,
        0u8..3,
        0i64..40,
        prop::sample::select(vec!["created", "updated", "updated", "deleted"]),
        prop::sample::select(vec![
            "active", "active", "past_due", "trialing", "canceled", "unpaid",
        ]),
        0i64..5000,
        0u64..4,
    )
        .prop_map(
            |(customer, sub, created, kind, status, amount, quantity)| Gen {
                customer,
                sub,
                created,
                kind,
                status,
                amount,
                quantity,
            },
        )
}

impl Gen {
    fn line(&self, id: &str) -> String {
        let items = monthly(
            &format!("plan{}", self.amount % 3),
            self.amount,
            self.quantity,
        );
        let (customer, sub) = (
            format!("cus_{}", self.customer),
            format!("sub_{}_{}", self.customer, self.sub),
        );
        event_line(
            id,
            self.kind,
            self.created,
            &customer,
            &sub,
            self.status,
            &items,
        )
    }

    /// What the rules say this subscription is worth, computed directly.
    fn mrr(&self) -> i64 {
        let counts = self.kind != "deleted" && matches!(self.status, "active" | "past_due");
        if counts {
            self.amount * self.quantity as i64
        } else {
            0
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn replayed_events_give_each_customers_final_mrr(
        events in prop::collection::vec(gen_event(), 0..40),
        duplicates in prop::collection::vec(any::<prop::sample::Index>(), 0..5),
        split in any::<prop::sample::Index>(),
    ) {
        let ids: Vec<String> = (0..events.len()).map(|i| format!("evt_{i:03}")).collect();
        // Files hold the events last first; a resent event (same id, other
        // content) comes after the first and is ignored.
        let mut lines: Vec<String> = events.iter().zip(&ids).map(|(e, id)| e.line(id)).rev().collect();
        let mut resent_count = 0;
        for index in &duplicates {
            if !events.is_empty() {
                resent_count += 1;
                let i = index.index(events.len());
                let mut resent = events[i].clone();
                resent.amount += 1;
                resent.status = "active";
                lines.push(resent.line(&ids[i]));
            }
        }
        let cut = split.index(lines.len() + 1);
        let (first, second) = (lines[..cut].join("\n"), lines[cut..].join("\n"));
        let got = read(&[("2.jsonl", &first), ("1.jsonl", &second)], None).unwrap();

        // The model: each subscription at its last event by (created, id).
        let mut order: Vec<usize> = (0..events.len()).collect();
        order.sort_by_key(|&i| (events[i].created, &ids[i]));
        let mut latest: HashMap<(u8, u8), i64> = HashMap::new();
        for &i in &order {
            latest.insert((events[i].customer, events[i].sub), events[i].mrr());
        }
        let mut want: HashMap<String, i64> = HashMap::new();
        for ((customer, _), mrr) in latest {
            *want.entry(format!("cus_{customer}")).or_default() += mrr;
        }

        let mut replayed: HashMap<String, i64> = HashMap::new();
        for pair in got.events.windows(2) {
            prop_assert!(pair[0].at <= pair[1].at, "out of order: {:?}", pair);
        }
        for event in &got.events {
            let before = replayed.insert(event.customer.clone(), event.mrr_cents).unwrap_or(0);
            match event.kind {
                "subscribe" => prop_assert!(before == 0 && event.mrr_cents > 0, "{:?}", event),
                "cancel" => prop_assert!(before > 0 && event.mrr_cents == 0, "{:?}", event),
                "change" => prop_assert!(before > 0 && event.mrr_cents > 0, "{:?}", event),
                other => prop_assert!(false, "kind {}", other),
            }
            prop_assert!(got.plans.contains(&event.plan));
        }
        for (customer, mrr) in &want {
            prop_assert_eq!(replayed.get(customer).copied().unwrap_or(0), *mrr, "{}", customer);
        }
        for customer in replayed.keys() {
            prop_assert!(want.contains_key(customer));
        }
        prop_assert_eq!(got.stats.lines, (events.len() + resent_count) as u64);
        prop_assert_eq!(got.stats.duplicates, resent_count as u64);
        prop_assert_eq!(got.stats.subscriptions, events.len() as u64);
    }

    #[test]
    fn arbitrary_lines_never_panic(lines in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..200), 0..8)) {
        let text: Vec<u8> = lines.join(&b'\n');
        let mut reader = StripeReader::new(&StripeOptions::default()).unwrap();
        if reader.read("fuzz", text.as_slice()).is_ok() {
            let _outcome = reader.finish();
        }
    }

    #[test]
    fn mutated_lines_never_panic(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..6),
        currency in prop::option::of(prop::sample::select(vec!["usd", "EUR", "x"])),
    ) {
        let base = event_line("evt_1", "updated", 1_470_211_200, "cus_1", "sub_1", "active", r#"[{"quantity":2,"price":{"id":"p","nickname":"Pro","unit_amount":1999,"unit_amount_decimal":"1999","recurring":{"interval":"week","interval_count":2}}},{"plan":{"id":"q","amount":10,"interval":"day"}}]"#)
            .replace(r#""status""#, r#""discount":{"coupon":{"duration":"forever","percent_off":12.5,"amount_off":100}},"status""#);
        let mut bytes = base.into_bytes();
        for (at, byte, how) in edits {
            let i = at.index(bytes.len() + 1);
            match how {
                0 if i < bytes.len() => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                _ => bytes.truncate(i),
            }
        }
        let other = sub_event("evt_2 created 5 cus_2 sub_2 active basic 100 1");
        let text = [bytes, other.into_bytes()].join(&b'\n');
        let opts = StripeOptions { currency: currency.map(str::to_string) };
        if let Ok(mut reader) = StripeReader::new(&opts) {
            if reader.read("fuzz", text.as_slice()).is_ok() {
                let _outcome = reader.finish();
            }
        }
    }

    #[test]
    fn extreme_values_never_panic(
        amount in prop::sample::select(vec!["0", "-1", "9223372036854775807", "-9223372036854775808", "1.5", "null", "\"7\"", "1e400"]),
        decimal in prop::sample::select(vec!["null", "\"0.000000000001\"", "\"99999999999999999999999999999\"", "\"-3\"", "\"\""]),
        quantity in prop::sample::select(vec!["0", "1", "18446744073709551615", "-1", "null"]),
        interval in prop::sample::select(vec!["\"month\"", "\"year\"", "\"week\"", "\"day\"", "\"hour\"", "null", "3"]),
        count in prop::sample::select(vec!["0", "1", "18446744073709551615", "null", "-2"]),
        percent in prop::sample::select(vec!["0", "100", "100.0000001", "1e-300", "5e-324", "33.333333333333336", "-0.0", "null"]),
        amount_off in prop::sample::select(vec!["0", "9223372036854775807", "-1", "null"]),
        created in prop::sample::select(vec!["0", "-1", "253402300799", "253402300800", "9223372036854775807", "1.5"]),
    ) {
        let line = format!(
            r#"{{"id":"e","type":"customer.subscription.updated","created":{created},"data":{{"object":{{"id":"s","customer":"c","status":"active","currency":"usd","discount":{{"coupon":{{"duration":"forever","percent_off":{percent},"amount_off":{amount_off}}}}},"items":{{"data":[{{"quantity":{quantity},"price":{{"id":"p","unit_amount":{amount},"unit_amount_decimal":{decimal},"recurring":{{"interval":{interval},"interval_count":{count}}}}}}},{{"quantity":{quantity},"price":{{"id":"p","unit_amount":{amount},"recurring":{{"interval":{interval},"interval_count":{count}}}}}}}]}}}}}}}}"#
        );
        let result = read(&[("x", &line), ("y", &line.replace("\"id\":\"e\"", "\"id\":\"f\""))], None);
        if let Ok(outcome) = result {
            prop_assert!(outcome.events.iter().all(|e| e.mrr_cents >= 0));
        }
    }
}

// ---------------------------------------------------------------- splits

/// A line of a generated archive for [`any_split_reads_as_one_thread`]:
/// mostly good events, some resent, of other types or blank, and now and
/// then one that is broken, incomplete or in another currency.
fn gen_line() -> impl Strategy<Value = String> {
    let event = || (gen_event(), 0u16..60).prop_map(|(g, id)| g.line(&format!("evt_{id}")));
    prop_oneof![
        12 => event(),
        2 => event().prop_map(|l| l.replace("customer.subscription.updated", "invoice.paid")),
        1 => Just(String::new()),
        1 => event().prop_map(|l| l.replace('}', " }\r")),
        1 => event().prop_map(|l| l.replace("\"usd\"", "\"eur\"")),
        1 => event().prop_map(|l| l.replace("\"customer\":", "\"buyer\":")),
        1 => event().prop_map(|l| l.replace("\"created\":", "\"made\":")),
        1 => (event(), 1usize..300).prop_map(|(l, cut)| l.chars().take(cut).collect()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Blocks of any size read on several threads give exactly what one
    /// thread reading everything at once gives: events, stats and the
    /// first error with its file and line.
    #[test]
    fn any_split_reads_as_one_thread(
        files in prop::collection::vec(
            (prop::collection::vec(gen_line(), 0..40), any::<bool>(), any::<bool>()),
            1..3,
        ),
        currency in prop::option::of(Just("EUR")),
        threads in 2usize..5,
        block in 1usize..3000,
    ) {
        let texts: Vec<String> = files
            .iter()
            .map(|(lines, bom, last_end)| {
                let mut text = if *bom { "\u{feff}".to_string() } else { String::new() };
                text.push_str(&lines.join("\n"));
                if *last_end {
                    text.push('\n');
                }
                text
            })
            .collect();
        let run = |split: Split| {
            let opts = StripeOptions { currency: currency.map(str::to_string) };
            let mut reader = StripeReader::new(&opts)?;
            for (i, text) in texts.iter().enumerate() {
                reader.read_split(&format!("f{i}"), text.as_bytes(), split)?;
            }
            reader.finish()
        };
        let one = run(Split { threads: 1, block: 1 << 20 });
        prop_assert_eq!(&run(Split { threads, block }), &one);
        prop_assert_eq!(&run(Split { threads, block: 1 }), &one);
        prop_assert_eq!(&run(Split::all_cores()), &one);
    }
}

/// The split test's archives do reach errors and events both.
#[test]
fn split_reading_errors_name_the_same_line() {
    let good = sub_event("evt_1 created 10 cus_a sub_a active gold 900 1");
    let text = format!("{good}\n\n{good}\n{{\"id\":\"evt_2\",\"type\"\n{good}\n");
    for split in [
        Split {
            threads: 1,
            block: 1 << 20,
        },
        Split {
            threads: 3,
            block: 1,
        },
        Split {
            threads: 2,
            block: 50,
        },
    ] {
        let mut reader = StripeReader::new(&StripeOptions::default()).unwrap();
        let error = reader
            .read_split("a.jsonl", text.as_bytes(), split)
            .unwrap_err();
        assert_eq!(
            (error.file.as_str(), error.line),
            ("a.jsonl", Some(4)),
            "{split:?}"
        );
        assert!(error.message.starts_with("not a Stripe event: "), "{error}");
    }
}

// ---------------------------------------------------------------- timing

/// What the `i`-th timed event is about.
struct Variant {
    customer: u64,
    kind: &'static str,
    status: &'static str,
    amount: i64,
    interval: &'static str,
    created: i64,
}

impl Variant {
    fn of(i: u64) -> Variant {
        let kinds = ["created", "updated", "updated", "updated", "deleted"];
        let statuses = ["active", "active", "past_due", "trialing", "canceled"];
        let prices = [
            (1900, "month"),
            (4900, "month"),
            (19_000, "year"),
            (500, "week"),
        ];
        let (amount, interval) = prices[(i / 25 % 4) as usize];
        Variant {
            customer: i % 50_000,
            kind: kinds[(i % 5) as usize],
            status: statuses[(i / 5 % 5) as usize],
            amount,
            interval,
            created: 1_420_070_400 + i as i64 * 60,
        }
    }
}

/// The `i`-th timed event written with `template` (a `format!` string
/// naming the fields of [`Variant`], `i` and `quantity`).
macro_rules! variant_event {
    ($i:expr, $template:expr) => {{
        let i: u64 = $i;
        let v = Variant::of(i);
        format!(
            $template,
            i = i,
            created = v.created,
            customer = v.customer,
            amount = v.amount,
            interval = v.interval,
            quantity = 1 + i % 3,
            status = v.status,
            kind = v.kind,
        )
    }};
}

/// A subscription event the size and shape Stripe writes (about 2.9 KB),
/// for the timing below.
fn full_size_event(i: u64) -> String {
    variant_event!(
        i,
        concat!(
            r#"{{"id":"evt_1N{i:018}","object":"event","api_version":"2023-10-16","created":{created},"#,
            r#""data":{{"object":{{"id":"sub_1N{customer:014}","object":"subscription","application":null,"#,
            r#""application_fee_percent":null,"automatic_tax":{{"enabled":false,"liability":null}},"#,
            r#""billing_cycle_anchor":{created},"billing_thresholds":null,"cancel_at":null,"cancel_at_period_end":false,"#,
            r#""canceled_at":null,"cancellation_details":{{"comment":null,"feedback":null,"reason":null}},"#,
            r#""collection_method":"charge_automatically","created":{created},"currency":"usd","#,
            r#""current_period_end":{created},"current_period_start":{created},"customer":"cus_O{customer:012}","#,
            r#""days_until_due":null,"default_payment_method":"pm_1N{customer:014}","default_source":null,"#,
            r#""default_tax_rates":[],"description":null,"discount":null,"ended_at":null,"#,
            r#""items":{{"object":"list","data":[{{"id":"si_O{customer:012}","object":"subscription_item","#,
            r#""billing_thresholds":null,"created":{created},"metadata":{{}},"#,
            r#""plan":{{"id":"price_1N{amount:08}","object":"plan","active":true,"aggregate_usage":null,"amount":{amount},"#,
            r#""amount_decimal":"{amount}","billing_scheme":"per_unit","created":1686000000,"currency":"usd","#,
            r#""interval":"{interval}","interval_count":1,"livemode":false,"metadata":{{}},"nickname":"Plan {amount}","#,
            r#""product":"prod_O{amount:010}","tiers_mode":null,"transform_usage":null,"trial_period_days":null,"usage_type":"licensed"}},"#,
            r#""price":{{"id":"price_1N{amount:08}","object":"price","active":true,"billing_scheme":"per_unit","#,
            r#""created":1686000000,"currency":"usd","custom_unit_amount":null,"livemode":false,"lookup_key":null,"#,
            r#""metadata":{{}},"nickname":"Plan {amount}","product":"prod_O{amount:010}","#,
            r#""recurring":{{"aggregate_usage":null,"interval":"{interval}","interval_count":1,"trial_period_days":null,"usage_type":"licensed"}},"#,
            r#""tax_behavior":"unspecified","tiers_mode":null,"transform_quantity":null,"type":"recurring","#,
            r#""unit_amount":{amount},"unit_amount_decimal":"{amount}"}},"quantity":{quantity},"#,
            r#""subscription":"sub_1N{customer:014}","tax_rates":[]}}],"has_more":false,"total_count":1,"#,
            r#""url":"/v1/subscription_items?subscription=sub_1N{customer:014}"}},"latest_invoice":"in_1N{i:018}","#,
            r#""livemode":false,"metadata":{{"team":"growth","source":"web"}},"next_pending_invoice_item_invoice":null,"#,
            r#""on_behalf_of":null,"pause_collection":null,"payment_settings":{{"payment_method_options":null,"#,
            r#""payment_method_types":null,"save_default_payment_method":"off"}},"pending_invoice_item_interval":null,"#,
            r#""pending_setup_intent":null,"pending_update":null,"schedule":null,"start_date":{created},"#,
            r#""status":"{status}","test_clock":null,"transfer_data":null,"trial_end":null,"#,
            r#""trial_settings":{{"end_behavior":{{"missing_payment_method":"create_invoice"}}}},"trial_start":null}},"#,
            r#""previous_attributes":{{"status":"incomplete"}}}},"livemode":false,"pending_webhooks":0,"#,
            r#""request":{{"id":"req_{i:014}","idempotency_key":"{i:08}-1111-2222-3333-444455556666"}},"#,
            r#""type":"customer.subscription.{kind}"}}"#
        )
    )
}

/// The same subscription event as an older API version writes it (a
/// subscription-level plan, no prices; about 640 bytes).
fn compact_event(i: u64) -> String {
    variant_event!(
        i,
        concat!(
            r#"{{"id":"evt_1N{i:018}","object":"event","api_version":"2017-08-15","created":{created},"#,
            r#""data":{{"object":{{"id":"sub_1N{customer:014}","object":"subscription","#,
            r#""cancel_at_period_end":false,"created":{created},"current_period_end":{created},"#,
            r#""current_period_start":{created},"customer":"cus_O{customer:012}","discount":null,"#,
            r#""metadata":{{}},"plan":{{"id":"plan_{amount}","object":"plan","amount":{amount},"#,
            r#""currency":"usd","interval":"{interval}","interval_count":1,"nickname":"Plan {amount}"}},"#,
            r#""quantity":{quantity},"start":{created},"status":"{status}"}}}},"livemode":false,"#,
            r#""pending_webhooks":0,"request":"req_{i:014}","type":"customer.subscription.{kind}"}}"#
        )
    )
}

/// One million events through [`read_stripe`], timed beside serde_json
/// merely scanning the same file (run by hand: `cargo test --release --
/// --ignored million --nocapture`; `PULSE_STRIPE_COMPACT=1` for the older,
/// smaller events). Every tenth event is of another type, every hundredth
/// a resend.
#[test]
#[ignore]
fn a_million_events_timed() {
    use std::io::{BufRead, Write};
    let compact = std::env::var_os("PULSE_STRIPE_COMPACT").is_some();
    let make = if compact {
        compact_event
    } else {
        full_size_event
    };
    let path =
        std::env::temp_dir().join(format!("pulse-stripe-million-{}.jsonl", std::process::id()));
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    for i in 0..1_000_000 {
        let line = match i % 100 {
            99 => make(i - 1),
            n if n % 10 == 3 => make(i).replace("customer.subscription.updated", "invoice.paid"),
            _ => make(i),
        };
        writeln!(file, "{line}").unwrap();
    }
    file.into_inner().unwrap().sync_all().unwrap();
    let size = std::fs::metadata(&path).unwrap().len();

    let (start, cpu_start) = (std::time::Instant::now(), cpu_seconds());
    let got = read_stripe(std::slice::from_ref(&path), &StripeOptions::default()).unwrap();
    let (wall, cpu) = (start.elapsed().as_secs_f64(), cpu_seconds() - cpu_start);

    let scan_start = cpu_seconds();
    let mut reader = std::io::BufReader::new(std::fs::File::open(&path).unwrap());
    let mut line = Vec::new();
    while reader.read_until(b'\n', &mut line).unwrap() > 0 {
        let _: serde::de::IgnoredAny = serde_json::from_slice(&line).unwrap();
        line.clear();
    }
    let scan = cpu_seconds() - scan_start;
    std::fs::remove_file(&path).unwrap();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    eprintln!(
        "1 000 000 events, {:.0} MB: read_stripe {cpu:.2} s on the CPUs ({wall:.2} s wall, {:.0} MB/s of CPU); \
         serde_json scanning the lines {scan:.2} s; {} revenue events; {:?}; load average {}",
        size as f64 / 1e6,
        size as f64 / 1e6 / cpu,
        got.events.len(),
        got.stats,
        load.trim()
    );
    assert_eq!(got.stats.lines, 1_000_000);
    assert_eq!(got.stats.duplicates, 10_000);
    assert_eq!(got.stats.ignored_types, 100_000);
    assert!(!got.events.is_empty());
}

/// The time this process's threads have run on a CPU (Linux, in clock
/// ticks of 10 ms), which a busy machine does not inflate as it does wall
/// time.
fn cpu_seconds() -> f64 {
    let text = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // After the command's name in parentheses: utime and stime are the
    // 12th and 13th fields.
    let after_name = text.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: f64 = after_name
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|n| n.parse::<f64>().ok())
        .sum();
    ticks / 100.0
}
