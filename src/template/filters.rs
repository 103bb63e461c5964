//! Vietnamese filters for templates.
//!
//! | filter | example | result |
//! |---|---|---|
//! | `date_line(place)` | `{{ ngay \| date_line(dia_danh) }}` | `Bắc Kạn, ngày 14 tháng 01 năm 2021` |
//! | `date_words` (`ngay_thang`) | `{{ ngay \| date_words }}` | `ngày 14 tháng 01 năm 2021` |
//! | `dmy` | `{{ "2020-03-05" \| dmy }}` | `05/3/2020` |
//! | `maybe_dmy` | `{{ "hằng năm" \| maybe_dmy }}` | a date as `dmy`, other text unchanged |
//! | `percent(of)` | `{{ 191 \| percent(200) }}` | `95,5` |
//! | `pad` | `{{ 5 \| pad }}` | `05` |
//! | `words` (`bang_chu`) | `{{ 21 \| words }}` | `hai mươi mốt` |
//! | `money` (`tien`) | `{{ 1250000 \| money }}` | `1.250.000 đồng` |
//! | `thousands` | `{{ 1250000 \| thousands }}` | `1.250.000` |
//! | `upper_vi` (`hoa`), `lower_vi` (`thuong`), `capfirst` | `{{ "Ủy ban" \| upper_vi }}` | `ỦY BAN` |

use minijinja::{Environment, Error, ErrorKind, Value};

use crate::document::vi;

fn invalid(msg: String) -> Error {
    Error::new(ErrorKind::InvalidOperation, msg)
}

fn text(value: &Value) -> String {
    match value.as_str() {
        Some(s) => s.to_string(),
        None => value.to_string(),
    }
}

/// A date from any form data gives: ISO, `d/m/yyyy`, `ngày d tháng m năm yyyy`, or an
/// Excel serial day number (`44260`); a date-shaped text naming no real day says why.
fn date(value: &Value) -> Result<vi::Date, Error> {
    let s = text(value);
    let iso = match super::data::date_text(&s, true) {
        Some(Ok(iso)) => iso,
        Some(Err(why)) => return Err(invalid(format!("not a date: '{s}' ({why})"))),
        None => s.clone(),
    };
    vi::Date::parse(&iso).ok_or_else(|| invalid(format!("not a date: '{s}'")))
}

fn integer(value: &Value) -> Result<i64, Error> {
    if let Some(n) = value.as_i64() {
        return Ok(n);
    }
    let s = text(value);
    let digits: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' ' | '\u{a0}'))
        .collect();
    digits
        .parse()
        .map_err(|_| invalid(format!("not a whole number: '{s}'")))
}

fn date_line(value: Value, place: Option<Value>) -> Result<String, Error> {
    let place = place.map(|p| text(&p)).unwrap_or_default();
    Ok(vi::date_line(&place, &date(&value)?))
}

fn date_words(value: Value) -> Result<String, Error> {
    Ok(date(&value)?.words())
}

fn dmy(value: Value) -> Result<String, Error> {
    Ok(date(&value)?.numeric())
}

fn maybe_dmy(value: Value) -> String {
    let s = text(&value);
    vi::Date::parse(&s).map_or(s, |d| d.numeric())
}

fn number(value: &Value) -> Result<f64, Error> {
    if let Ok(n) = f64::try_from(value.clone()) {
        return Ok(n);
    }
    let s = text(value);
    s.trim()
        .replace('.', "")
        .replace(',', ".")
        .parse()
        .map_err(|_| invalid(format!("not a number: '{s}'")))
}

fn percent(value: Value, of: Value) -> Result<String, Error> {
    let (a, b) = (number(&value)?, number(&of)?);
    if b == 0.0 {
        return Ok("-".into());
    }
    let p = format!("{:.1}", a * 100.0 / b);
    let p = p.strip_suffix(".0").unwrap_or(&p);
    Ok(p.replace('.', ","))
}

fn pad(value: Value) -> Result<String, Error> {
    Ok(vi::pad_number(integer(&value)?))
}

fn words(value: Value) -> Result<String, Error> {
    Ok(vi::number_words(integer(&value)?))
}

fn money(value: Value) -> Result<String, Error> {
    Ok(vi::money(integer(&value)?))
}

fn thousands(value: Value) -> Result<String, Error> {
    Ok(vi::group_thousands(integer(&value)?))
}

fn upper_vi(value: Value) -> String {
    vi::upper(&text(&value))
}

fn lower_vi(value: Value) -> String {
    vi::lower(&text(&value))
}

fn capfirst(value: Value) -> String {
    vi::capitalize_first(&text(&value))
}

/// Adds the filters to `env`.
pub(crate) fn register(env: &mut Environment<'static>) {
    env.add_filter("date_line", date_line);
    env.add_filter("date_words", date_words);
    env.add_filter("ngay_thang", date_words);
    env.add_filter("dmy", dmy);
    env.add_filter("maybe_dmy", maybe_dmy);
    env.add_filter("percent", percent);
    env.add_filter("pad", pad);
    env.add_filter("words", words);
    env.add_filter("bang_chu", words);
    env.add_filter("money", money);
    env.add_filter("tien", money);
    env.add_filter("thousands", thousands);
    env.add_filter("upper_vi", upper_vi);
    env.add_filter("hoa", upper_vi);
    env.add_filter("lower_vi", lower_vi);
    env.add_filter("thuong", lower_vi);
    env.add_filter("capfirst", capfirst);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(src: &str, want: &str) {
        let mut env = Environment::new();
        register(&mut env);
        let got = env.render_str(src, ()).unwrap();
        assert_eq!(got, want, "{src}");
    }

    #[test]
    fn filters() {
        check(
            r#"{{ "2021-01-14" | date_line("Bắc Kạn") }}"#,
            "Bắc Kạn, ngày 14 tháng 01 năm 2021",
        );
        check(
            r#"{{ "2020-03-05" | ngay_thang }}"#,
            "ngày 05 tháng 3 năm 2020",
        );
        check(r#"{{ "2020-03-05" | dmy }}"#, "05/3/2020");
        check("{{ 5 | pad }}", "05");
        check(r#"{{ "7" | pad }}"#, "07");
        check("{{ 21 | words }}", "hai mươi mốt");
        check("{{ 1250000 | money }}", "1.250.000 đồng");
        check(
            r#"{{ "1.250.000" | bang_chu }}"#,
            "một triệu hai trăm năm mươi nghìn",
        );
        check(r#"{{ "Ủy ban nhân dân" | upper_vi }}"#, "ỦY BAN NHÂN DÂN");
        check(r#"{{ "ĐẢNG BỘ" | thuong }}"#, "đảng bộ");
        check(r#"{{ "đồng" | capfirst }}"#, "Đồng");
        check(r#"{{ "Quý I" | maybe_dmy }}"#, "Quý I");
        check(r#"{{ "2021-02-05" | maybe_dmy }}"#, "05/02/2021");
        check("{{ 191 | percent(200) }}", "95,5");
        check("{{ 50 | percent(50) }}", "100");
    }
}
