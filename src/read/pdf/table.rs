//! Ruled tables: rules that touch each other form a grid; its rows are the bands between
//! horizontal rules, its cells the spans between the vertical rules crossing each band
//! (so merged cells stay whole). Each cell is read as its own lines and given one line per
//! paragraph, row after row, the shape the DOCX reader gives a table.

use super::content::{Glyph, Rule};
use super::layout::{OutLine, inside};

/// Rules closer than this (points) touch.
const TOUCH: f32 = 2.5;
/// Pages with more rules than this are not searched for tables (drawings, not tables).
const MAX_RULES: usize = 4000;

/// One ruled table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    /// Row boundaries, top to bottom.
    ys: Vec<f32>,
    /// The vertical rules of the table.
    verticals: Vec<Rule>,
    x0: f32,
    x1: f32,
}

impl Table {
    /// The top edge.
    pub(crate) fn top(&self) -> f32 {
        self.ys.first().copied().unwrap_or(0.0)
    }

    /// Whether a glyph sits inside one of the table's cells.
    pub(crate) fn holds(&self, g: &Glyph) -> bool {
        let (Some(&top), Some(&bottom)) = (self.ys.first(), self.ys.last()) else {
            return false;
        };
        if !inside(g, self.x0, top, self.x1, bottom) {
            return false;
        }
        self.ys.windows(2).any(|band| {
            self.separators(band[0], band[1])
                .windows(2)
                .any(|cell| inside(g, cell[0], band[0], cell[1], band[1]))
        })
    }

    /// The cell separators crossing the band between `y0` and `y1`.
    fn separators(&self, y0: f32, y1: f32) -> Vec<f32> {
        let mid = (y0 + y1) / 2.0;
        let mut xs: Vec<f32> = self
            .verticals
            .iter()
            .filter(|v| v.y0 <= mid && v.y1 >= mid)
            .map(|v| v.x0)
            .collect();
        xs.sort_by(f32::total_cmp);
        xs.dedup_by(|a, b| (*a - *b).abs() < TOUCH);
        xs
    }

    /// The table's text: each row's cells left to right, one line per cell paragraph.
    pub(crate) fn read<F>(&self, glyphs: &[&Glyph], lines: F) -> Vec<OutLine>
    where
        F: Fn(&[&Glyph]) -> Vec<OutLine>,
    {
        let mut out = Vec::new();
        for band in self.ys.windows(2) {
            let (y0, y1) = (band[0], band[1]);
            let xs = self.separators(y0, y1);
            for cell in xs.windows(2) {
                let inner: Vec<&Glyph> = glyphs
                    .iter()
                    .copied()
                    .filter(|g| inside(g, cell[0], y0, cell[1], y1))
                    .collect();
                if inner.is_empty() {
                    continue;
                }
                out.extend(lines(&inner));
            }
        }
        out
    }
}

/// The ruled tables among a page's rules.
pub(crate) fn find(rules: &[Rule]) -> Vec<Table> {
    if rules.len() > MAX_RULES {
        return Vec::new();
    }
    let mut tables = Vec::new();
    for component in components(rules) {
        let (h, v): (Vec<Rule>, Vec<Rule>) = component.iter().partition(|r| r.horizontal());
        if h.len() < 2 || v.len() < 2 {
            continue;
        }
        let mut ys: Vec<f32> = h.iter().map(|r| (r.y0 + r.y1) / 2.0).collect();
        ys.sort_by(f32::total_cmp);
        ys.dedup_by(|a, b| (*a - *b).abs() < TOUCH);
        let x0 = v.iter().map(|r| r.x0).fold(f32::MAX, f32::min);
        let x1 = v.iter().map(|r| r.x1).fold(f32::MIN, f32::max);
        let table = Table {
            ys,
            verticals: v,
            x0,
            x1,
        };
        let cells: usize = table
            .ys
            .windows(2)
            .map(|b| table.separators(b[0], b[1]).len().saturating_sub(1))
            .sum();
        if cells >= 2 {
            tables.push(table);
        }
    }
    tables
}

/// Groups rules that touch (union-find over pairs).
fn components(rules: &[Rule]) -> Vec<Vec<Rule>> {
    let mut parent: Vec<usize> = (0..rules.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..rules.len() {
        for j in i + 1..rules.len() {
            if touch(&rules[i], &rules[j]) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<Rule>> = Default::default();
    for (i, rule) in rules.iter().enumerate() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(*rule);
    }
    groups.into_values().collect()
}

fn touch(a: &Rule, b: &Rule) -> bool {
    a.x0 <= b.x1 + TOUCH && b.x0 <= a.x1 + TOUCH && a.y0 <= b.y1 + TOUCH && b.y0 <= a.y1 + TOUCH
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(y: f32, x0: f32, x1: f32) -> Rule {
        Rule {
            x0,
            y0: y,
            x1,
            y1: y,
        }
    }
    fn v(x: f32, y0: f32, y1: f32) -> Rule {
        Rule {
            x0: x,
            y0,
            x1: x,
            y1,
        }
    }

    #[test]
    fn a_grid_is_a_table_and_a_box_is_not() {
        let grid = [
            h(0.0, 0.0, 100.0),
            h(20.0, 0.0, 100.0),
            h(40.0, 0.0, 100.0),
            v(0.0, 0.0, 40.0),
            v(50.0, 0.0, 40.0),
            v(100.0, 0.0, 40.0),
        ];
        let tables = find(&grid);
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].ys, vec![0.0, 20.0, 40.0]);
        assert_eq!(tables[0].separators(0.0, 20.0), vec![0.0, 50.0, 100.0]);
        let a_box = [
            h(0.0, 0.0, 100.0),
            h(20.0, 0.0, 100.0),
            v(0.0, 0.0, 20.0),
            v(100.0, 0.0, 20.0),
        ];
        assert!(find(&a_box).is_empty());
        let underline = [h(10.0, 0.0, 80.0)];
        assert!(find(&underline).is_empty());
    }
}
