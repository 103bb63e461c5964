//! The rules that read an assignment off one clause: a list of functions over one
//! [`Clause`], tried in order by [`analyse`]; the first that decides gives the clause's
//! assignment (or that it has none).

use std::cell::OnceCell;
use std::ops::Range;

use super::super::Role;
use super::super::deadline;
use super::super::lexicon::{capitals_only, is_actor, lower};
use super::{
    ADVERBIAL_START, ActorRef, CONDITION, Cue, Cues, Hit, LEAD_ADVERBIAL, MODAL, MODAL_WORDS,
    PREDICATIVE, SKIP, TIME_ADVERBIAL, TRIGGER, View, Words, action_start, action_start_from,
    clean_actor, cue_words, has_word, may_be_predicative, may_open_with, opens_action, role_of,
    starts_upper, trim_action, words_with,
};

/// Where a clause stands: what it may inherit and whether it is a list item.
#[derive(Clone, Copy)]
pub(super) struct Scope<'x> {
    /// The actor a subjectless clause takes (the list lead-in's or the previous
    /// sentence's).
    pub(super) inherited: Option<&'x ActorRef>,
    /// The clause is in a list whose lead-in names an actor.
    pub(super) list_mode: bool,
    /// The clause opens a list item.
    pub(super) item_start: bool,
    /// The list's lead-in names duties, so every item is one, verb or not.
    pub(super) duties: bool,
}

/// One clause and what the rules read off it, worked out once.
struct Clause<'v, 'x> {
    v: &'v View<'v>,
    /// The clause: a range of `v.s`, after a leading adverbial ("Đồng thời, …").
    r: Range<usize>,
    /// `v.s[r]`.
    c: &'v str,
    /// `v.lower[r]`.
    lc: &'v str,
    w: Words<'v>,
    cues: Cues,
    /// Where a leading time adverbial ends in `c`, worked out when a rule first asks.
    time_end: OnceCell<Option<usize>>,
    scope: Scope<'x>,
}

impl<'v, 'x> Clause<'v, 'x> {
    /// The clause `r` of `v`; `None` when it is empty, a preamble line ("Căn cứ …",
    /// "Nơi nhận") or has no words.
    fn new(v: &'v View<'v>, r: Range<usize>, scope: Scope<'x>) -> Option<Clause<'v, 'x>> {
        let s = &v.s[..];
        let mut r = r;
        if may_open_with(&s[r.clone()], b"tmnb")
            && let Some(m) = LEAD_ADVERBIAL.find(&s[r.clone()])
        {
            r.start += m.end();
        }
        let c = &s[r.clone()];
        if c.is_empty() || may_open_with(c, b"cxtqnk") && SKIP.is_match(c) {
            return None;
        }
        let w = v.words(r.clone());
        if w.lower.is_empty() {
            return None;
        }
        let cues = Cues::of(&w);
        Some(Clause {
            v,
            lc: &v.lower[r.clone()],
            r,
            c,
            w,
            cues,
            time_end: OnceCell::new(),
            scope,
        })
    }

    /// The view string the clause is a range of.
    fn s(&self) -> &'v str {
        &self.v.s
    }

    /// The number of words.
    fn n(&self) -> usize {
        self.w.lower.len()
    }

    /// Where the clause ends in the view string.
    fn end(&self) -> usize {
        self.r.end
    }

    /// Where a leading time or reason adverbial ("Trước ngày 15/3, …", "Căn cứ chức
    /// năng, nhiệm vụ, …") ends in the clause, if it opens with one.
    fn time_adverbial(&self) -> Option<usize> {
        *self.time_end.get_or_init(|| {
            may_open_with(self.c, b"cpthskn")
                .then(|| TIME_ADVERBIAL.find(self.c).map(|t| t.end()))
                .flatten()
        })
    }

    /// The first word at or after byte `at` of the view string (`n` when none).
    fn word_from(&self, at: usize) -> usize {
        self.w
            .ranges
            .iter()
            .position(|x| x.start >= at)
            .unwrap_or(self.n())
    }
}

/// What a rule makes of a clause.
enum Verdict {
    /// Not this rule's kind of clause: the next rule is tried.
    Pass,
    /// This rule's: the assignment it found, or none (no later rule is tried).
    Decided(Option<Hit>),
}

use Verdict::{Decided, Pass};

/// A rule: reads a clause, passes or decides.
type Rule = fn(&Clause<'_, '_>) -> Verdict;

/// The rules in the order they are tried, each with its name. ("Cơ quan chủ trì: X" and
/// "Trách nhiệm chỉ đạo thực hiện: X" lines are read by the caller.)
const RULES: [(&str, Rule); 9] = [
    ("closing", closing),
    ("leading verb", leading_verb),
    ("capitals", capitals),
    ("then", then_clause),
    ("modal", modal),
    ("predicative", predicative),
    ("colon", colon),
    ("indicative", indicative),
    ("subjectless", subjectless),
];

/// Analyses one clause (`r`, a range of `v.s`): the assignment of the first rule of
/// [`RULES`] that decides, if any.
pub(super) fn analyse(v: &View<'_>, r: Range<usize>, scope: Scope<'_>) -> Option<Hit> {
    let clause = Clause::new(v, r, scope)?;
    RULES
        .iter()
        .find_map(|(_, rule)| match rule(&clause) {
            Pass => None,
            Decided(hit) => Some(hit),
        })
        .flatten()
}

/// The closing clause, "… chịu trách nhiệm thi hành Quyết định này": all those named
/// before it.
fn closing(cl: &Clause<'_, '_>) -> Verdict {
    let closing = cl
        .cues
        .any(Cue::Closing)
        .then(|| {
            cl.lc
                .find("chịu trách nhiệm thi hành")
                .or_else(|| cl.lc.find("có trách nhiệm thi hành"))
        })
        .flatten();
    let Some(k) = closing else {
        return Pass;
    };
    let actor = clean_actor(&cl.c[..k]);
    if actor.is_empty() {
        return Pass;
    }
    let a = cl.r.start + k + cl.lc[k..].find("thi hành").unwrap_or(0);
    Decided(Some(Hit {
        verb: None,
        role: Role::All,
        actor,
        modality: "chịu trách nhiệm".into(),
        action: trim_action(cl.s(), a..cl.end()),
        support: None,
    }))
}

/// A leading verb: "Giao X …", "Đề nghị X …", "X yêu cầu Y …" (the words of [`TRIGGER`],
/// which `lc` holds whatever their case).
fn leading_verb(cl: &Clause<'_, '_>) -> Verdict {
    let (v, s, c, w) = (cl.v, cl.s(), cl.c, &cl.w);
    for m in cl
        .cues
        .any(Cue::Trigger)
        .then(|| TRIGGER.find_iter(c))
        .into_iter()
        .flatten()
    {
        let g = cue_words(m);
        let prefix = c[..g.start].trim();
        let last = v.lower_of(prefix.rsplit(' ').next().unwrap_or(""));
        if matches!(
            &*last,
            "ban" | "theo" | "của" | "các" | "những" | "có" | "ý" | "kiến"
        ) {
            continue;
        }
        let ok_prefix = prefix.is_empty()
            || (v.is_actor(prefix)
                && action_start(&v.words_of(prefix), 0).is_none_or(|k| {
                    // "Chủ tịch Ủy ban nhân dân tỉnh trân trọng đề nghị"
                    v.words_of(prefix).lower.get(k).is_some_and(|x| x == "trân")
                }))
            || v.lower_of(prefix).ends_with("trân trọng")
            || (prefix.ends_with(',') && ADVERBIAL_START.is_match(prefix));
        if !ok_prefix {
            continue;
        }
        let trig = v.lower_of(&c[g.clone()]);
        let after = cl.r.start + g.end;
        let Some(wi) = w.ranges.iter().position(|x| x.start >= after) else {
            return Decided(None);
        };
        if (trig == "chỉ đạo" || trig == "đề nghị") && cl.scope.list_mode && prefix.is_empty()
        {
            return Pass; // the list actor directs: a subjectless item
        }
        let k = action_start_from(w, wi + 1, false).unwrap_or(cl.n());
        let actor = clean_actor(&s[w.ranges[wi].start..w.ranges[k - 1].end]);
        if !is_actor(&actor) {
            return Pass;
        }
        return Decided(hit_from(
            s,
            w,
            actor,
            &trig.replace(" cho", ""),
            k,
            cl.end(),
        ));
    }
    Pass
}

/// A heading or a signature in capitals: no assignment.
fn capitals(cl: &Clause<'_, '_>) -> Verdict {
    if capitals_only(cl.c, 3) {
        Decided(None)
    } else {
        Pass
    }
}

/// "Trường hợp …, thì X V …": the duty is X's.
fn then_clause(cl: &Clause<'_, '_>) -> Verdict {
    let (v, s) = (cl.v, cl.s());
    if cl.cues.any(Cue::Then)
        && let Some(k) = cl.lc.find(" thì ")
        && k > 0
    {
        let tail = cl.r.start + k + " thì ".len();
        let tw = words_with(s, v.lower_exact.then_some(&v.lower[..]), tail..cl.end());
        if let Some(vk) = action_start(&tw, 0)
            && vk > 0
            && !matches!(&*tw.lower[0], "phải" | "được" | "không" | "cần")
        {
            let subj = &s[tw.ranges[0].start..tw.ranges[vk - 1].end];
            if subj.split_whitespace().count() <= 15 && v.is_actor(subj) {
                let actor = clean_actor(subj);
                if let Some(h) = hit_from(s, &tw, actor, "giao", vk, cl.end()) {
                    return Decided(Some(h));
                }
            }
        }
    }
    Pass
}

/// "X có trách nhiệm / phải / chủ trì …" (the words of [`MODAL`], which is
/// case-sensitive; a word of `c` in lower case is in `lc` too, so the cue is a
/// prefilter).
fn modal(cl: &Clause<'_, '_>) -> Verdict {
    let (v, c, lc) = (cl.v, cl.c, cl.lc);
    let modal_words = cl.cues.any(Cue::Modal) && MODAL_WORDS.iter().any(|t| c.contains(t));
    let modal_match = modal_words
        .then(|| MODAL.find_iter(c))
        .into_iter()
        .flatten()
        .find(|&m| {
            let g = cue_words(m);
            let before = lc[..g.start].trim_end();
            !(before.ends_with("giao")
                || before.ends_with("được")
                || before.ends_with("rõ cơ quan"))
        });
    let Some(m) = modal_match else {
        return Pass;
    };
    let g = cue_words(m);
    let modal = v.lower_of(&c[g.clone()]);
    if modal_excluded(&lc[..g.start], &lc[g.end..], &modal) {
        return Pass;
    }
    let subj_start = cl.time_adverbial().filter(|&t| t < g.start).unwrap_or(0);
    let (subj, conditional) = modal_subject(&c[subj_start..g.start]);
    let (actor, actor_ok) = actor_before_modal(v, subj);
    let ai = cl.word_from(cl.r.start + g.end);
    let limit = if conditional { 40 } else { 18 };
    if !actor.is_empty() && actor_ok && actor.split_whitespace().count() <= limit {
        return Decided(hit_from(cl.s(), &cl.w, actor, &modal, ai, cl.end()));
    }
    if subj.trim().is_empty() || !v.is_actor(subj) {
        let condition = conditional && CONDITION.is_match(c[subj_start..g.start].trim_start())
            || subj.split_whitespace().count() <= 8 && deadline::find(subj, None).is_some();
        if let Some(inh) = cl.scope.inherited
            && (subj.trim().is_empty() || condition)
        {
            return Decided(hit_from(
                cl.s(),
                &cl.w,
                inh.text.clone(),
                &modal,
                ai,
                cl.end(),
            ));
        }
    }
    Pass
}

/// Whether the modal words between `before` and `rest` (lower case) impose no duty:
/// "không cần", "khi phải", "phải có đủ", "có trách nhiệm về …".
fn modal_excluded(before: &str, rest: &str, modal: &str) -> bool {
    let rest = rest.trim_start();
    let before = before.trim_end();
    before.ends_with("không")
        || before.ends_with("không cần")
        || before.ends_with("khi")
        || before.ends_with("nếu")
        || before.ends_with("đã")
        || rest.starts_with("trước")
        || rest.starts_with("về ")
        || rest.starts_with("có đủ")
        || rest.starts_with("đáp ứng")
        || rest.starts_with("có ")
        || rest.starts_with("chịu")
        || rest.starts_with("được")
        || rest.starts_with("bị")
        || rest.starts_with("thiết")
        || rest.starts_with("bảo đảm tiêu chuẩn")
        || rest.starts_with("là ") && modal != "phải"
}

/// The subject before a modal (`before`, the clause up to it after a time adverbial),
/// without a condition around it ("X … thì phải …", "Trường hợp X thì phải"); and
/// whether there was one.
fn modal_subject(before: &str) -> (&str, bool) {
    let mut subj = before;
    if let Some(k) = subj.find(" khi ").or_else(|| subj.find(", nếu ")) {
        subj = &subj[..k];
    }
    if let Some(k) = subj.rfind(" thì") {
        subj = &subj[..k];
        for p in ["Trường hợp ", "trường hợp ", "Nếu ", "nếu ", "Khi ", "khi "] {
            if let Some(x) = subj.strip_prefix(p) {
                subj = x;
            }
        }
    }
    (subj, subj.len() < before.len())
}

/// The actor in the subject of a modal, and whether it is one: the subject, else its
/// part before " là " ("X là công bộc của nhân dân, …, phải …"), else what follows an
/// adverbial ("Trên cơ sở …, các Giám đốc Sở …").
fn actor_before_modal(v: &View<'_>, subj: &str) -> (String, bool) {
    let actor = clean_actor(subj);
    if is_actor(&actor) {
        return (actor, true);
    }
    let (mut actor, mut actor_ok) = (actor, false);
    if let Some(k) = subj.find(" là ")
        && v.is_actor(&subj[..k])
    {
        actor = clean_actor(&subj[..k]);
        actor_ok = is_actor(&actor);
    }
    if !actor_ok {
        let mut from = 0;
        while let Some(k) = subj[from..].find(", ") {
            from += k + 2;
            let cand = clean_actor(&subj[from..]);
            if is_actor(&cand) {
                return (cand, true);
            }
        }
    }
    (actor, actor_ok)
}

/// Predicative: "… do X quy định." ([`PREDICATIVE`] needs " do ", case-insensitive,
/// which `lc` already is).
fn predicative(cl: &Clause<'_, '_>) -> Verdict {
    let (v, lc) = (cl.v, cl.lc);
    let Some(m) = (cl.cues.any(Cue::Do)
        && has_word(lc, "do")
        && cl.cues.any(Cue::PredicativeVerb)
        && may_be_predicative(lc))
    .then(|| PREDICATIVE.captures(cl.c))
    .flatten() else {
        return Pass;
    };
    let actor = clean_actor(&m[2]);
    let subj = m[1].trim();
    let lsubj = v.lower_of(subj);
    let sw = v.words_of(subj);
    let clause_like = opens_action(&sw, 0)
        || lsubj.contains(" theo ")
        || lsubj.contains("mức")
        || lsubj.contains(" có thể ")
        || lsubj.contains(" phải ");
    if !is_actor(&actor) || lsubj.contains(" do ") || lsubj.starts_with("trường hợp") || clause_like
    {
        return Pass;
    }
    let verb = lower(&m[3]);
    let subj = subj
        .strip_prefix("Việc ")
        .or_else(|| subj.strip_prefix("việc "))
        .unwrap_or(subj);
    let a = m.get(1).map_or(0, |g| g.start()) + (m[1].len() - subj.len());
    let b = a + subj.len();
    Decided(Some(Hit {
        verb: Some(verb.clone()),
        role: role_of(&actor),
        actor,
        modality: format!("do … {verb}"),
        action: trim_action(cl.s(), cl.r.start + a..cl.r.start + b),
        support: None,
    }))
}

/// "X: nội dung" (inside a list, too): a noun phrase with no verb, of at most 12 words
/// (15 in a list), before a colon.
fn colon(cl: &Clause<'_, '_>) -> Verdict {
    let (v, c) = (cl.v, cl.c);
    let Some(k) = c.find(':') else {
        return Pass;
    };
    let head = &c[..k];
    let noun = {
        // (16 words at most are cut: when there are 15 or fewer, they are all)
        let hw = v.words_of_upto(head, 16);
        (hw.lower.len() <= 12 && !head.contains(',') || cl.scope.list_mode && hw.lower.len() <= 15)
            && v.is_actor(head)
            && action_start(&hw, 0).is_none()
    };
    if !noun {
        return Pass;
    }
    let actor = clean_actor(head);
    let a = cl.r.start + k + 1;
    let action = trim_action(cl.s(), a..cl.end());
    if action.is_empty() {
        return Pass;
    }
    Decided(Some(Hit {
        verb: None,
        role: role_of(&actor),
        actor,
        modality: "giao".into(),
        action,
        support: None,
    }))
}

/// Indicative: "X V …", an actor and then a verb of the lexicon.
fn indicative(cl: &Clause<'_, '_>) -> Verdict {
    let (s, w) = (cl.s(), &cl.w);
    let subj_start = cl.time_adverbial().unwrap_or(0);
    let w0 = cl.word_from(cl.r.start + subj_start);
    let Some(k) = action_start(w, w0).filter(|&k| k > w0) else {
        return Pass;
    };
    let a = cl.r.start + subj_start;
    let b = w.ranges[k - 1].end;
    if a >= b {
        return Pass;
    }
    let subj = &s[a..b];
    let prev = &*w.lower[k - 1];
    let auxiliary = matches!(
        prev,
        "đã" | "đang"
            | "được"
            | "bị"
            | "sẽ"
            | "vừa"
            | "chưa"
            | "không"
            | "cũng"
            | "chỉ"
            | "trọng"
            | "có"
            | "thể"
    );
    if auxiliary || subj.split_whitespace().count() > 25 || !cl.v.is_actor(subj) {
        return Pass;
    }
    Decided(hit_from(s, w, clean_actor(subj), "giao", k, cl.end()))
}

/// Subjectless: "V …" under a lead-in or after an assignment in the same paragraph, the
/// inherited actor's.
fn subjectless(cl: &Clause<'_, '_>) -> Verdict {
    let (c, w, n) = (cl.c, &cl.w, cl.n());
    let Some(inh) = cl.scope.inherited else {
        return Pass;
    };
    let start = cl.time_adverbial().unwrap_or(0);
    let mut wi = cl.word_from(cl.r.start + start);
    if wi < n && !opens_action(w, wi) && may_open_with(c, b"ctsknhm") && ADVERBIAL_START.is_match(c)
    {
        // "Căn cứ theo chức năng, nhiệm vụ, lĩnh vực …, thường xuyên kiểm tra …"
        if let Some(k) = (1..n.min(20))
            .find(|&k| (w.raw(k - 1).ends_with(',') || w.lower[0] != "căn") && opens_action(w, k))
        {
            wi = k;
        }
    }
    let scope = cl.scope;
    let any_item = scope.list_mode
        && scope.duties
        && scope.item_start
        && wi == 0
        && starts_upper(w.raw(0))
        && !matches!(&*w.lower[0], "chỉ" | "không" | "được" | "nghiêm" | "cấm");
    if wi < n && (opens_action(w, wi) || any_item) {
        let lw = &*w.lower[wi];
        if !matches!(lw, "có" | "được" | "là" | "không")
            || (any_item && lw == "có" && w.lower.get(1).is_some_and(|x| x != "quyền"))
        {
            return Decided(hit_from(cl.s(), w, inh.text.clone(), "giao", wi, cl.end()));
        }
    }
    Pass
}

/// The assignment of `actor` with the action from word `i` of `w` to `end`, after a
/// partner ("phối hợp với Y") and a repeated modal ("có trách nhiệm phải"); `None` for
/// an empty actor.
fn hit_from(
    s: &str,
    w: &Words<'_>,
    actor: String,
    modality: &str,
    mut i: usize,
    end: usize,
) -> Option<Hit> {
    let (support, k) = partner(s, w, i);
    i = k;
    // skip a repeated modal: "có trách nhiệm phải"
    while i < w.lower.len() && matches!(&*w.lower[i], "phải" | "cần") {
        i += 1;
    }
    let action = match w.ranges.get(i) {
        Some(x) => trim_action(s, x.start..end),
        None => end..end, // a lead-in: "X có trách nhiệm:"
    };
    if actor.is_empty() {
        return None;
    }
    let role = if support.is_some() || modality == "chủ trì" {
        Role::Lead
    } else {
        role_of(&actor)
    };
    Some(Hit {
        verb: None,
        actor,
        role,
        modality: modality.to_string(),
        action,
        support,
    })
}

/// "chủ trì, phối hợp với Y V …" / "phối hợp với Y V …" at word `i`: the partner and
/// the word where the action starts.
fn partner(s: &str, w: &Words<'_>, mut i: usize) -> (Option<String>, usize) {
    let n = w.lower.len();
    if i < n && w.lower[i] == "chủ" && w.lower.get(i + 1).is_some_and(|x| x == "trì") {
        i += 2;
        if w.lower.get(i).is_some_and(|x| x == "và") {
            i += 1;
        }
    }
    if i + 1 < n && w.lower[i] == "phối" && w.lower[i + 1] == "hợp" {
        let mut j = i + 2;
        while j < n && matches!(&*w.lower[j], "với" | "cùng" | "chặt" | "chẽ") {
            j += 1;
        }
        let k = action_start_from(w, j + 1, false).unwrap_or(n);
        if k > j {
            let a = w.ranges[j].start;
            let b = w.ranges[k - 1].end;
            let y = clean_actor(&s[a..b]);
            if !y.is_empty() {
                return (Some(y), k);
            }
        }
        return (None, k.min(n));
    }
    (None, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The name of the rule that decides `clause` (alone in its view), and the actor
    /// it finds.
    fn decided_by(clause: &str, scope: Scope<'_>) -> Option<(&'static str, Option<String>)> {
        let v = View::new(clause, 0..clause.len());
        let cl = Clause::new(&v, 0..v.s.len(), scope)?;
        RULES.iter().find_map(|(name, rule)| match rule(&cl) {
            Pass => None,
            Decided(hit) => Some((*name, hit.map(|h| h.actor))),
        })
    }

    #[test]
    fn each_rule_decides_its_own_clauses() {
        let lead = ActorRef {
            text: "Sở Y tế".into(),
        };
        let alone = Scope {
            inherited: None,
            list_mode: false,
            item_start: false,
            duties: false,
        };
        let item = Scope {
            inherited: Some(&lead),
            list_mode: true,
            item_start: true,
            duties: true,
        };
        let cases: [(&str, Scope<'_>, &str, Option<&str>); 10] = [
            (
                "Chánh Văn phòng, Giám đốc Sở Tài chính chịu trách nhiệm thi hành Quyết định này.",
                alone,
                "closing",
                Some("Chánh Văn phòng, Giám đốc Sở Tài chính"),
            ),
            (
                "Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ thực hiện.",
                alone,
                "leading verb",
                Some("Sở Tài chính"),
            ),
            ("ỦY BAN NHÂN DÂN TỈNH", alone, "capitals", None),
            (
                "Trường hợp cần thiết thì Sở Y tế báo cáo Ủy ban nhân dân tỉnh.",
                alone,
                "then",
                Some("Sở Y tế"),
            ),
            (
                "Sở Xây dựng có trách nhiệm hướng dẫn thực hiện.",
                alone,
                "modal",
                Some("Sở Xây dựng"),
            ),
            (
                "Mẫu báo cáo do Bộ Tài chính quy định.",
                alone,
                "predicative",
                Some("Bộ Tài chính"),
            ),
            (
                "Sở Công Thương: kiểm tra thị trường.",
                alone,
                "colon",
                Some("Sở Công Thương"),
            ),
            (
                "Sở Giáo dục và Đào tạo tổ chức kiểm tra.",
                alone,
                "indicative",
                Some("Sở Giáo dục và Đào tạo"),
            ),
            (
                "Tổ chức kiểm tra việc thực hiện.",
                item,
                "subjectless",
                Some("Sở Y tế"),
            ),
            ("Tổ chức kiểm tra việc thực hiện.", alone, "none", None),
        ];
        for (clause, scope, rule, actor) in cases {
            let got = decided_by(clause, scope);
            let want = (rule != "none").then(|| (rule, actor.map(str::to_string)));
            assert_eq!(got, want, "{clause}");
        }
    }
}
