//! Charts drawn on the server as SVG with `plotters`: they need no JavaScript, print, and carry
//! a title and a description for screen readers (the page puts the data table beside each).
use plotters::prelude::*;

use crate::{domain::context::internal, error::AppError};

const SIZE: (u32, u32) = (720, 260);
pub const BLUE: RGBColor = RGBColor(37, 99, 235);
pub const ORANGE: RGBColor = RGBColor(217, 119, 6);
pub const GREEN: RGBColor = RGBColor(22, 128, 61);

/// One line of a line chart.
pub struct Line<'a> {
    pub name: &'a str,
    pub values: Vec<f64>,
    pub color: RGBColor,
}

fn day_label(days: &[String], x: f64) -> String {
    days.get(x.round().max(0.0) as usize)
        .cloned()
        .unwrap_or_default()
}

fn ceiling(max: f64) -> f64 {
    if max <= 0.0 {
        1.0
    } else {
        max * 1.1
    }
}

/// Daily series as lines, with a legend.
pub fn lines(
    id: &str,
    title: &str,
    summary: &str,
    days: &[String],
    lines: &[Line],
) -> Result<String, AppError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        let max = lines
            .iter()
            .flat_map(|l| l.values.iter().copied())
            .fold(0.0, f64::max);
        let last = days.len().saturating_sub(1).max(1) as f64;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(52)
            .build_cartesian_2d(0.0..last, 0.0..ceiling(max))
            .map_err(internal)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(7)
            .y_labels(5)
            .x_label_formatter(&|x| day_label(days, *x))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .draw()
            .map_err(internal)?;
        for line in lines {
            let color = line.color;
            chart
                .draw_series(LineSeries::new(
                    line.values.iter().enumerate().map(|(i, v)| (i as f64, *v)),
                    color.stroke_width(2),
                ))
                .map_err(internal)?
                .label(line.name)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .draw()
            .map_err(internal)?;
        root.present().map_err(internal)?;
    }
    Ok(accessible(svg, id, title, summary))
}

/// Daily values as bars; `label` formats the axis's values (money, counts).
pub fn bars(
    id: &str,
    title: &str,
    summary: &str,
    days: &[String],
    values: &[f64],
    color: RGBColor,
    label: &dyn Fn(f64) -> String,
) -> Result<String, AppError> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        let max = values.iter().copied().fold(0.0, f64::max);
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(64)
            .build_cartesian_2d(-0.5..(days.len() as f64 - 0.5).max(0.5), 0.0..ceiling(max))
            .map_err(internal)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(7)
            .y_labels(5)
            .x_label_formatter(&|x| day_label(days, *x))
            .y_label_formatter(&|y| label(*y))
            .draw()
            .map_err(internal)?;
        chart
            .draw_series(
                values
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| **v > 0.0)
                    .map(|(i, v)| {
                        let x = i as f64;
                        Rectangle::new([(x - 0.4, 0.0), (x + 0.4, *v)], color.filled())
                    }),
            )
            .map_err(internal)?;
        root.present().map_err(internal)?;
    }
    Ok(accessible(svg, id, title, summary))
}

/// Steps as horizontal bars, widest first (the funnel).
pub fn steps(
    id: &str,
    title: &str,
    summary: &str,
    steps: &[(String, i64)],
) -> Result<String, AppError> {
    let mut svg = String::new();
    {
        let height = 40 + 44 * steps.len() as u32;
        let root = SVGBackend::with_string(&mut svg, (SIZE.0, height)).into_drawing_area();
        let max = steps.iter().map(|s| s.1).max().unwrap_or(0) as f64;
        let n = steps.len() as f64;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(24)
            .y_label_area_size(150)
            .build_cartesian_2d(0.0..ceiling(max), -0.5..(n - 0.5).max(0.5))
            .map_err(internal)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(steps.len().max(1))
            .y_label_formatter(&|y| {
                // the first step at the top
                let i = (n - 1.0 - y.round()).max(0.0) as usize;
                steps.get(i).map(|s| s.0.clone()).unwrap_or_default()
            })
            .x_labels(5)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .draw()
            .map_err(internal)?;
        chart
            .draw_series(steps.iter().enumerate().map(|(i, (_, v))| {
                let y = n - 1.0 - i as f64;
                Rectangle::new([(0.0, y - 0.35), (*v as f64, y + 0.35)], BLUE.filled())
            }))
            .map_err(internal)?;
        root.present().map_err(internal)?;
    }
    Ok(accessible(svg, id, title, summary))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Names the drawing for assistive technology: `role="img"`, a `<title>` and a `<desc>` the
/// `<svg>` is labelled by; the size follows the page (the `viewBox` keeps the proportions).
fn accessible(svg: String, id: &str, title: &str, summary: &str) -> String {
    let Some(open_end) = svg.find('>') else {
        return svg;
    };
    let (open, rest) = svg.split_at(open_end);
    let open = open
        .replacen(
            "<svg ",
            &format!(r#"<svg role="img" class="chart" aria-labelledby="{id}-title {id}-desc" "#),
            1,
        )
        .replacen(&format!(r#"width="{}""#, SIZE.0), r#"width="100%""#, 1);
    let open = match open.find(" height=\"") {
        Some(at) => {
            let end = open[at + 9..]
                .find('"')
                .map_or(open.len(), |e| at + 9 + e + 1);
            format!("{}{}", &open[..at], &open[end..])
        }
        None => open,
    };
    format!(
        r#"{open}><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>{}"#,
        escape(title),
        escape(summary),
        &rest[1..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_an_svg_named_for_screen_readers() {
        let days = ["1 Dec", "2 Dec", "3 Dec"].map(String::from);
        let svg = bars(
            "sales",
            "Sales & refunds",
            "3 days <of> sales",
            &days,
            &[1.0, 0.0, 4.0],
            GREEN,
            &|v| format!("{v:.0}"),
        )
        .unwrap();
        assert!(svg.starts_with(
            "<svg role=\"img\" class=\"chart\" aria-labelledby=\"sales-title sales-desc\""
        ));
        assert!(svg.contains("<title id=\"sales-title\">Sales &amp; refunds</title>"));
        assert!(svg.contains("<desc id=\"sales-desc\">3 days &lt;of&gt; sales</desc>"));
        assert!(svg.contains("viewBox=\"0 0 720 260\""), "{}", &svg[..200]);
        let bars = svg.to_uppercase().matches("FILL=\"#16803D\"").count();
        assert_eq!(bars, 2, "one bar per day with sales");
        assert!(svg.contains("1 Dec") && svg.trim_end().ends_with("</svg>"));
        let funnel = steps(
            "f",
            "Funnel",
            "",
            &[("Viewed".into(), 10), ("Paid".into(), 2)],
        )
        .unwrap();
        assert!(funnel.contains("Viewed") && funnel.contains("Paid"));
        let line = lines(
            "l",
            "Views",
            "",
            &days,
            &[Line {
                name: "Views",
                values: vec![1.0, 2.0, 3.0],
                color: BLUE,
            }],
        )
        .unwrap();
        assert!(line.contains("<polyline") || line.contains("<path"));
    }
}
