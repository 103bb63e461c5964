//! Tables after filling: the grid of a table whose cells a loop made is fitted to its rows,
//! and the drawings of the body are numbered again (a loop copies their ids), as docxtpl
//! does.

use super::patch::FIT_GRID;
use super::xml;

/// `xml` with the grid of every table marked [`FIT_GRID`] fitted to its rows (the marks
/// removed): columns are added when a row has more cells than the grid, scaled to keep the
/// table's width, and removed when no row reaches them, their width shared by the others.
/// Rows of nested tables count too, and a cell counts its `w:gridSpan` only when columns
/// are removed (docxtpl's rules).
pub(super) fn fit_grids(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() + 256);
    let mut rest = xml;
    while let Some(p) = rest.find(FIT_GRID) {
        let (before, after) = (&rest[..p], &rest[p + FIT_GRID.len()..]);
        out.push_str(before);
        // The table's content starts here; fit its grid.
        let end = xml::element_end(after, 0, "w:tbl").unwrap_or(after.len());
        out.push_str(&fit(&after[..end]));
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// A table's content (after `<w:tbl>`, through `</w:tbl>`) with its grid fitted.
fn fit(table: &str) -> String {
    let table = table.replace(FIT_GRID, "");
    let (Some(grid_start), Some(grid_end)) = (
        table.find("<w:tblGrid"),
        table.find("</w:tblGrid>").map(|p| p + 12),
    ) else {
        return table;
    };
    let grid_open_end = table[grid_start..]
        .find('>')
        .map_or(grid_start, |p| grid_start + p + 1);
    let mut widths: Vec<f64> = xml::children(&table[grid_open_end..grid_end - 12])
        .iter()
        .filter(|c| c.0 == "gridCol")
        .map(|c| attr_number(&c.1, "w:w").unwrap_or(0.0))
        .collect();
    let rows = rows(&table);
    let most_cells = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    if most_cells > widths.len() {
        let total: f64 = widths.iter().sum();
        let add = most_cells - widths.len();
        if total > 0.0 {
            let old_average = total / widths.len() as f64;
            let new_average = total / (widths.len() + add) as f64;
            for w in &mut widths {
                *w = (*w * new_average / old_average).trunc();
            }
            widths.extend(std::iter::repeat_n(new_average.trunc(), add));
        }
    }
    let widest = rows
        .iter()
        .map(|r| r.iter().map(|span| *span as usize).sum::<usize>())
        .max()
        .unwrap_or(0);
    if widest > 0 && widths.len() > widest {
        let removed: f64 = widths[widest..].iter().sum();
        widths.truncate(widest);
        let extra = (removed / widths.len() as f64).trunc();
        for w in &mut widths {
            *w = (*w + extra).trunc();
        }
    }
    let mut grid = table[grid_start..grid_open_end].to_string();
    for w in &widths {
        grid.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
    }
    grid.push_str("</w:tblGrid>");
    format!("{}{grid}{}", &table[..grid_start], &table[grid_end..])
}

/// Every row in `table` (nested tables' too), as the spans of its own cells.
fn rows(table: &str) -> Vec<Vec<u32>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = table[from..].find("<w:tr") {
        let at = from + p;
        from = at + 5;
        if !matches!(table.as_bytes().get(at + 5), Some(b' ' | b'>')) {
            continue;
        }
        let open_end = table[at..].find('>').map_or(at, |e| at + e + 1);
        let end = xml::element_end(table, open_end, "w:tr").unwrap_or(table.len());
        let inner = &table[open_end..end.saturating_sub(7).max(open_end)];
        let spans = xml::children(inner)
            .iter()
            .filter(|c| c.0 == "tc")
            .map(|c| cell_span(&c.1))
            .collect();
        out.push(spans);
    }
    out
}

/// A cell's `w:gridSpan` (1 without one).
fn cell_span(cell: &str) -> u32 {
    let open_end = cell.find('>').map_or(0, |p| p + 1);
    xml::children(&cell[open_end..])
        .iter()
        .find(|c| c.0 == "tcPr")
        .and_then(|pr| {
            let inner_start = pr.1.find('>').map_or(0, |p| p + 1);
            xml::children(&pr.1[inner_start..])
                .into_iter()
                .find(|c| c.0 == "gridSpan")
        })
        .and_then(|g| attr_number(&g.1, "w:val"))
        .map_or(1, |v| v as u32)
}

fn attr_number(tag: &str, name: &str) -> Option<f64> {
    let p = tag.find(&format!("{name}=\""))? + name.len() + 2;
    tag[p..p + tag[p..].find('"')?].parse().ok()
}

/// `xml` with every `wp:docPr` id numbered from 1001 in order (a loop that copies a
/// drawing copies its id, and Word wants them unique).
pub(super) fn number_drawings(xml: &str) -> String {
    if !xml.contains("<wp:docPr ") {
        return xml.to_string();
    }
    let mut out = String::with_capacity(xml.len() + 64);
    let mut rest = xml;
    let mut id = 1000;
    while let Some(p) = rest.find("<wp:docPr ") {
        let tag_end = rest[p..].find('>').map_or(rest.len(), |e| p + e);
        let tag = &rest[p..tag_end];
        match tag.find(" id=\"") {
            Some(q) => {
                let value_start = p + q + 5;
                let value_end = rest[value_start..]
                    .find('"')
                    .map_or(value_start, |e| value_start + e);
                id += 1;
                out.push_str(&rest[..value_start]);
                out.push_str(&id.to_string());
                rest = &rest[value_end..];
            }
            None => {
                out.push_str(&rest[..tag_end]);
                rest = &rest[tag_end..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(grid: &[u32], rows: &[&[u32]]) -> String {
        let mut s = format!("<w:tbl>{FIT_GRID}<w:tblGrid>");
        for w in grid {
            s.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
        }
        s.push_str("</w:tblGrid>");
        for r in rows {
            s.push_str("<w:tr>");
            for span in *r {
                s.push_str(&format!(
                    "<w:tc><w:tcPr><w:gridSpan w:val=\"{span}\"/></w:tcPr><w:p/></w:tc>"
                ));
            }
            s.push_str("</w:tr>");
        }
        s.push_str("</w:tbl>");
        s
    }

    fn grid_of(xml: &str) -> Vec<String> {
        xml.split("<w:gridCol w:w=\"")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].to_string())
            .collect()
    }

    #[test]
    fn columns_are_added_for_a_longer_row_keeping_the_width() {
        let got = fit_grids(&table(&[3000, 3000], &[&[1, 1, 1, 1]]));
        assert_eq!(grid_of(&got), ["1500", "1500", "1500", "1500"]);
        assert!(!got.contains(FIT_GRID));
    }

    #[test]
    fn columns_no_row_reaches_are_removed() {
        let got = fit_grids(&table(&[1000, 1000, 1000, 1000], &[&[1, 2]]));
        assert_eq!(grid_of(&got), ["1333", "1333", "1333"]);
    }

    #[test]
    fn drawings_are_numbered_in_order() {
        let got = number_drawings("<wp:docPr id=\"5\" name=\"a\"/><wp:docPr id=\"5\" name=\"b\"/>");
        assert_eq!(
            got,
            "<wp:docPr id=\"1001\" name=\"a\"/><wp:docPr id=\"1002\" name=\"b\"/>"
        );
    }
}
