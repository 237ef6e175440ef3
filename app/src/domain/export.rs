//! Tables as CSV for spreadsheets: the guest list and every table of the dashboard.

/// RFC 4180 field quoting; a leading `=`, `+`, `-`, `@`, tab or carriage return is defused so
/// spreadsheets do not run what a guest typed as a formula, and a field with `;` is quoted too,
/// so spreadsheets that split on semicolons keep it one cell.
pub fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', ';', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// A header line and one line per row, CRLF-terminated (RFC 4180).
pub fn csv<H: AsRef<str>>(headers: &[H], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let fields: Vec<String> = cells.map(csv_field).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    };
    line(&mut headers.iter().map(AsRef::as_ref));
    for row in rows {
        line(&mut row.iter().map(String::as_str));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{csv, csv_field};

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        for risky in ["+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"] {
            assert!(
                csv_field(risky).trim_start_matches('"').starts_with('\''),
                "{risky:?}"
            );
        }
        // one cell however the spreadsheet splits
        assert_eq!(csv_field("x;=1+1"), "\"x;=1+1\"");
    }

    #[test]
    fn a_table_is_a_header_and_crlf_lines() {
        assert_eq!(
            csv(&["day", "views"], &[vec!["2026-12-01".into(), "3".into()]]),
            "day,views\r\n2026-12-01,3\r\n"
        );
    }
}
