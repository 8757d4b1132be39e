//! Frames as one XLSX workbook, a sheet per frame: the header row in bold, then
//! each value in its type (numbers as numbers, dates as dates, text as text).

use polars::prelude::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// Excel's last row.
const MAX_ROWS: usize = 1_048_575;

pub fn workbook(frames: &[(String, DataFrame)]) -> Result<Vec<u8>, String> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    for (name, df) in frames {
        if df.height() > MAX_ROWS {
            return Err(format!(
                "{name} has {} rows, more than an Excel sheet holds; use --format parquet or csv",
                df.height()
            ));
        }
        let ws = wb.add_worksheet();
        ws.set_name(name).map_err(|e| e.to_string())?;
        for (c, col) in df.columns().iter().enumerate() {
            let c = c as u16;
            ws.write_with_format(0, c, col.name().as_str(), &bold)
                .map_err(|e| e.to_string())?;
        }
        for r in 0..df.height() {
            let row = r as u32 + 1;
            for (c, col) in df.columns().iter().enumerate() {
                let c = c as u16;
                let v = col.get(r).map_err(|e| e.to_string())?;
                let res = match v {
                    AnyValue::Null => continue,
                    AnyValue::String(s) => ws.write(row, c, s),
                    AnyValue::StringOwned(s) => ws.write(row, c, s.as_str()),
                    AnyValue::Boolean(b) => ws.write(row, c, b),
                    AnyValue::UInt32(n) => ws.write(row, c, n),
                    AnyValue::Int64(n) => ws.write(row, c, n as f64),
                    AnyValue::Decimal(m, _, scale) => {
                        let d = rust_decimal::Decimal::try_from_i128_with_scale(m, scale as u32)
                            .map_err(|e| e.to_string())?;
                        let f: f64 = d.to_string().parse().unwrap_or(f64::NAN);
                        ws.write(row, c, f)
                    }
                    AnyValue::Date(days) => {
                        let Some(d) = crate::rules::emit::date_from_days(days) else {
                            continue;
                        };
                        let x = ExcelDateTime::parse_from_str(&d.to_string())
                            .map_err(|e| e.to_string())?;
                        ws.write_datetime_with_format(row, c, x, &date)
                    }
                    AnyValue::Datetime(ms, _, _) => {
                        let Some(d) = chrono::DateTime::from_timestamp_millis(ms) else {
                            continue;
                        };
                        let text = d.naive_utc().format("%Y-%m-%dT%H:%M:%S").to_string();
                        let x = ExcelDateTime::parse_from_str(&text).map_err(|e| e.to_string())?;
                        ws.write_datetime_with_format(row, c, x, &datetime)
                    }
                    other => ws.write(row, c, other.str_value().as_ref()),
                };
                res.map_err(|e| e.to_string())?;
            }
        }
    }
    wb.save_to_buffer().map_err(|e| e.to_string())
}
