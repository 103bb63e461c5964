//! Obligations: scored against the hand labels in fixtures/corpus/obligations.

use std::path::Path;

use proptest::prelude::*;
use regex::Regex;
use vanban::extract::obligations::{
    Counts, GoldObligation, Obligation, matches, normalize_deadline, obligations, score,
};

#[derive(serde::Deserialize)]
struct LabelFile {
    id: String,
    obligations: Vec<GoldObligation>,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The signing date of the header ("…, ngày 14 tháng 5 năm 2008"), ISO.
fn document_date(text: &str) -> Option<String> {
    let head: String = text.chars().take(1500).collect();
    let re = Regex::new(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})").unwrap();
    let c = re.captures(&head)?;
    let (d, m, y): (u32, u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

fn load(id: &str) -> String {
    let raw = std::fs::read_to_string(root().join(format!("fixtures/corpus/texts/{id}.txt")))
        .expect("text fixture");
    vanban::text::normalize(&raw).as_str().to_string()
}

fn run(id: &str) -> Vec<Obligation> {
    let text = load(id);
    let date = document_date(&text);
    obligations(&text, date.as_deref())
}

fn labels() -> Vec<LabelFile> {
    let dir = root().join("fixtures/corpus/obligations");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("labels dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
        .collect()
}

/// Set OBLIGATIONS_DEBUG=<id> to see the unmatched predictions and labels of a document.
fn debug(id: &str, pred: &[Obligation], gold: &[GoldObligation]) {
    if std::env::var("OBLIGATIONS_DEBUG").ok().as_deref() != Some(id) {
        return;
    }
    for p in pred {
        let hit = gold.iter().any(|g| matches(p, g));
        eprintln!(
            "{} P [{}] {} | {} | {:?}",
            if hit { "  " } else { "FP" },
            p.modality,
            p.actor,
            p.action.chars().take(110).collect::<String>(),
            normalize_deadline(p)
        );
    }
    for g in gold {
        if !pred.iter().any(|p| matches(p, g)) {
            eprintln!(
                "FN G {} | {} | {:?}",
                g.actor,
                g.action.chars().take(110).collect::<String>(),
                g.deadline
            );
        }
    }
    for g in gold.iter().filter(|g| g.deadline.is_some()) {
        if let Some(p) = pred.iter().find(|p| matches(p, g))
            && normalize_deadline(p) != g.deadline
        {
            eprintln!(
                "DL {} | {:?} vs gold {:?}",
                g.action.chars().take(60).collect::<String>(),
                normalize_deadline(p),
                g.deadline
            );
        }
    }
}

#[test]
fn obligations_against_labels() {
    let mut total = Counts::default();
    for f in labels() {
        let pred = run(&f.id);
        let c = score(&pred, &f.obligations);
        debug(&f.id, &pred, &f.obligations);
        eprintln!(
            "{:40} gold {:3} pred {:3} match {:3}  P {:.2} R {:.2} F1 {:.2}  deadline(set) {}/{}",
            f.id,
            c.gold,
            c.predicted,
            c.matched,
            c.precision(),
            c.recall(),
            c.f1(),
            c.deadline_gold_set_equal,
            c.deadline_gold_set
        );
        total += c;
    }
    eprintln!(
        "TOTAL gold {} pred {} match {}  P {:.3} R {:.3} F1 {:.3}  deadline acc {:.3} (all matched) {:.3} (gold set: {}/{})",
        total.gold,
        total.predicted,
        total.matched,
        total.precision(),
        total.recall(),
        total.f1(),
        total.deadline_accuracy(),
        total.deadline_accuracy_set(),
        total.deadline_gold_set_equal,
        total.deadline_gold_set
    );
    // Issue 5 asks for F1 >= 0.85 and deadline accuracy >= 0.90 on matched pairs whose
    // labelled deadline is set. Reached on the dev labels: F1 0.887, deadline 67/73 =
    // 0.918; asserted a little below so that a regression shows.
    assert!(total.f1() >= 0.88, "F1 {:.3}", total.f1());
    assert!(
        total.deadline_accuracy_set() >= 0.91,
        "deadline {:.3}",
        total.deadline_accuracy_set()
    );
}

#[test]
fn seed_article_bac_kan() {
    let pred = run("2021-bac-kan-bau-cu");
    let has = |actor: &str, action: &str| {
        pred.iter()
            .any(|o| o.actor.contains(actor) && o.action.contains(action))
    };
    assert!(
        has("Ủy ban nhân dân thành phố", "thành lập Ủy ban bầu cử"),
        "{pred:#?}"
    );
    assert!(
        has(
            "HĐND, Uỷ ban Mặt trận Tổ quốc Việt Nam thành phố",
            "hiệp thương lần 1"
        ),
        "{pred:#?}"
    );
    assert!(
        has(
            "thành viên Ban Chỉ đạo bầu cử thành phố",
            "nắm tình hình địa bàn"
        ),
        "{pred:#?}"
    );
    assert!(
        has(
            "thành viên Ban Chỉ đạo bầu cử thành phố",
            "hướng dẫn, đôn đốc các địa phương"
        ),
        "{pred:#?}"
    );
    let lead = pred
        .iter()
        .find(|o| o.actor == "Thành ủy" && o.action.contains("chuẩn bị đầy đủ"))
        .expect("lead");
    assert_eq!(
        lead.deadline.as_ref().and_then(|d| d.value.as_deref()),
        Some("2021-05-23")
    );
    let hdnd = pred
        .iter()
        .find(|o| o.actor.starts_with("HĐND"))
        .expect("HĐND");
    assert_eq!(
        hdnd.actor_normalized.as_deref(),
        Some("Hội đồng nhân dân, Uỷ ban Mặt trận Tổ quốc Việt Nam thành phố")
    );
}

#[test]
fn co_assigned_bodies_stay_one_obligation() {
    let text = "Điều 2. Tổ chức thực hiện:\n- Giao Sở Nông nghiệp & Phát triển nông thôn chủ trì, phối hợp với các sở, ban, ngành liên quan hướng dẫn, theo dõi, đôn đốc thực hiện Kế hoạch; tổng hợp báo cáo UBND tỉnh theo định kỳ hàng tháng, qúy, năm.\n";
    let pred = obligations(text, None);
    let lead: Vec<_> = pred
        .iter()
        .filter(|o| o.actor == "Sở Nông nghiệp & Phát triển nông thôn")
        .collect();
    assert_eq!(lead.len(), 2, "{pred:#?}");
    assert!(
        pred.iter()
            .any(|o| o.actor == "các sở, ban, ngành liên quan"
                && o.role == vanban::extract::obligations::Role::Support)
    );
    let report = lead
        .iter()
        .find(|o| o.action.starts_with("tổng hợp"))
        .expect("report");
    assert_eq!(
        report
            .deadline
            .as_ref()
            .and_then(|d| d.recurring.as_deref()),
        Some("monthly")
    );
}

#[test]
fn relative_deadline_resolved_against_the_signing_date() {
    let text =
        "Giao Sở Tài chính xây dựng dự thảo quy chế trong 15 ngày kể từ ngày ký Quyết định này.";
    let with = obligations(text, Some("2021-05-14"));
    let d = with[0].deadline.as_ref().expect("deadline");
    assert_eq!(
        (d.value.as_deref(), d.grain.as_str()),
        (Some("2021-05-29"), "day")
    );
    let without = obligations(text, None);
    let d = without[0].deadline.as_ref().expect("deadline");
    assert_eq!((d.value.as_deref(), d.grain.as_str()), (None, "relative"));
}

proptest! {
    #[test]
    fn never_panics_and_spans_are_char_boundaries(s in "\\PC{0,400}") {
        for o in obligations(&s, Some("2021-05-14")) {
            prop_assert!(o.span.start <= o.span.end && o.span.end <= s.len());
            prop_assert!(s.is_char_boundary(o.span.start) && s.is_char_boundary(o.span.end));
        }
    }

    #[test]
    fn never_panics_on_document_like_text(
        parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "Giao ", "Sở Tài chính", " chủ trì, phối hợp với ", "UBND các huyện", " thực hiện",
                " có trách nhiệm", " phải", "; ", ". ", ":\n", "\n- ", "\n1. ", "Điều 3. ",
                "trước ngày 30/6/2021", " quý II/2004", " hàng tháng", " do Bộ Tài chính quy định",
                "TT   Nội dung   Cơ quan chủ trì   Thời hạn\n", " 1   Lập kế hoạch   Sở Nội vụ   2026 - 2027\n",
                "TT\nNội dung\nThời hạn\nĐơn vị thực hiện\n1\nNộp hồ sơ\n", "…", "Đối với ", "(i). ", "  ", "ế",
            ]),
            0..40,
        )
    ) {
        let s: String = parts.concat();
        for o in obligations(&s, None) {
            prop_assert!(o.span.end <= s.len());
            prop_assert!(s.is_char_boundary(o.span.start) && s.is_char_boundary(o.span.end));
        }
    }
}

/// Set OBLIGATIONS_TEXT to a sentence to see what the extractor makes of it.
#[test]
fn obligations_of_env_text() {
    if let Ok(t) = std::env::var("OBLIGATIONS_TEXT") {
        for o in obligations(&t, None) {
            eprintln!("{o:?}");
        }
    }
}

#[test]
fn characters_whose_lower_case_is_longer_do_not_break_offsets() {
    // "İ" lower-cases to two characters; offsets found in the lower-cased clause must
    // still fall on character boundaries of the original.
    for text in [
        "İİİ Sở Tài chính có trách nhiệm lập kế hoạch.",
        "Giao İ Sở Tài chính chủ trì, phối hợp với UBND các huyện İİ thực hiện; İ báo cáo.",
        "İİ Các ông (bà) Giám đốc Sở chịu trách nhiệm thi hành Quyết định này.",
    ] {
        for o in obligations(text, None) {
            assert!(text.is_char_boundary(o.span.start) && text.is_char_boundary(o.span.end));
        }
    }
}
