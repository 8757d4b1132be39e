//! offsheet.toml: the mapping a person has approved, rule settings, shadow/system
//! pairs and decommission criteria. Found in the audited folder or its parents;
//! every problem is reported at its line with a "did you mean".

mod error;
pub mod plan;
mod raw;
pub mod write;

use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use error::Problems;
pub use error::{ConfigError, ConfigErrors, did_you_mean};
use raw::RawConfig;

use crate::findings::Severity;
use crate::model::Entity;
use crate::rules::registry;
use crate::settings::{RuleSetting, Settings, Threshold};

pub const FILE_NAME: &str = "offsheet.toml";

/// A checked configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    /// The folder paths in the file are relative to.
    pub dir: PathBuf,
    pub settings: Settings,
    pub decommission: Decommission,
    pub sources: Vec<SourceConfig>,
    pub shadows: Vec<ShadowConfig>,
    /// The file's text, for diagnostics that point into it later.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decommission {
    pub min_rate: f64,
    pub streak: usize,
    pub quiet_days: i64,
}

impl Default for Decommission {
    fn default() -> Self {
        Decommission {
            min_rate: 0.98,
            streak: 3,
            quiet_days: 14,
        }
    }
}

#[derive(Debug, Clone)]
pub struct SourceConfig {
    pub file: String,
    pub sheet: Option<String>,
    pub header_row: Option<u32>,
    pub feeds: Vec<Entity>,
    pub owner: Option<String>,
    pub columns: Vec<ColumnConfig>,
    pub span: Range<usize>,
    pub sheet_span: Option<Range<usize>>,
}

#[derive(Debug, Clone)]
pub struct ColumnConfig {
    /// 0-based column.
    pub col: u32,
    pub header: String,
    /// `None` for a column kept as an extra field ("-").
    pub field: Option<&'static str>,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct ShadowConfig {
    pub name: String,
    pub path: String,
    pub sheet: Option<String>,
    pub entity: Entity,
    pub owner: Option<String>,
    pub system: String,
    pub system_sheet: Option<String>,
    pub span: Range<usize>,
}

/// offsheet.toml in `start` (a folder or a file's folder) or the nearest parent.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = if start.is_file() {
        start.parent()?
    } else {
        start
    };
    let start = start.canonicalize().ok()?;
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// Reads and checks a configuration file.
pub fn load(path: &Path) -> Result<Config, ConfigErrors> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        let mut p = Problems::new(&name, "");
        p.push(None, format!("cannot read {name}: {e}"), "", None);
        p.finish().err().unwrap_or_else(|| ConfigErrors {
            file: name.clone(),
            errors: Vec::new(),
        })
    })?;
    let mut problems = Problems::new(&name, &text);
    let raw: RawConfig = match toml::from_str(&text) {
        Ok(r) => r,
        Err(e) => {
            let help = unknown_key_help(e.message());
            problems.push(e.span(), e.message().trim().to_string(), "here", help);
            problems.finish()?;
            return Err(ConfigErrors {
                file: name,
                errors: Vec::new(),
            });
        }
    };
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let config = check(raw, &mut problems, path, &dir, &text);
    problems.finish()?;
    Ok(config)
}

/// toml names the unknown key and the expected ones; suggest the closest.
fn unknown_key_help(message: &str) -> Option<String> {
    let unknown = message.split('`').nth(1)?;
    let expected: Vec<&str> = message
        .split("expected")
        .nth(1)?
        .split('`')
        .skip(1)
        .step_by(2)
        .collect();
    did_you_mean(unknown, expected.iter().copied())
}

fn check(raw: RawConfig, p: &mut Problems, path: &Path, dir: &Path, text: &str) -> Config {
    if let Some(v) = &raw.version
        && *v.get_ref() != 1
    {
        p.push(
            Some(v.span()),
            format!(
                "offsheet.toml version {} is not known to this offsheet (it reads version 1)",
                v.get_ref()
            ),
            "version",
            Some("upgrade offsheet, or write version = 1".into()),
        );
    }
    let settings = check_settings(&raw, p);
    let decommission = check_decommission(&raw, p);
    let sources = raw
        .sources
        .iter()
        .filter_map(|s| check_source(s, p, dir))
        .collect();
    let shadows = raw
        .shadows
        .iter()
        .filter_map(|s| check_shadow(s, p, dir))
        .collect();
    Config {
        path: path.to_path_buf(),
        dir: dir.to_path_buf(),
        settings,
        decommission,
        sources,
        shadows,
        text: text.to_string(),
    }
}

fn positive(p: &mut Problems, v: &Option<toml::Spanned<i64>>, name: &str, default: i64) -> i64 {
    match v {
        Some(s) if *s.get_ref() < 0 => {
            p.push(
                Some(s.span()),
                format!("{name} must not be negative"),
                "negative",
                None,
            );
            default
        }
        Some(s) => *s.get_ref(),
        None => default,
    }
}

fn check_settings(raw: &RawConfig, p: &mut Problems) -> Settings {
    let d = Settings::default();
    let s = &raw.settings;
    let as_of = s.as_of.as_ref().and_then(|v| {
        let parsed = NaiveDate::parse_from_str(v.get_ref(), "%Y-%m-%d").ok();
        if parsed.is_none() {
            p.push(
                Some(v.span()),
                format!("as_of {:?} is not a date", v.get_ref()),
                "not YYYY-MM-DD",
                Some(
                    "write as_of = \"2026-11-27\", or remove it to use the newest date in the data"
                        .into(),
                ),
            );
        }
        parsed
    });
    let amount_tolerance = match &s.amount_tolerance {
        Some(v) => v.get_ref().trim().parse::<Decimal>().unwrap_or_else(|_| {
            p.push(
                Some(v.span()),
                format!("amount_tolerance {:?} is not an amount", v.get_ref()),
                "not a decimal",
                Some("write it as text, e.g. amount_tolerance = \"0.01\"".into()),
            );
            d.amount_tolerance
        }),
        None => d.amount_tolerance,
    };
    let pct = match &s.stock_tolerance_pct {
        Some(v) if !(0.0..=100.0).contains(v.get_ref()) => {
            p.push(
                Some(v.span()),
                "stock_tolerance_pct must be between 0 and 100",
                "out of range",
                None,
            );
            d.stock_tolerance_pct
        }
        Some(v) => *v.get_ref(),
        None => d.stock_tolerance_pct,
    };
    let mut rules = std::collections::BTreeMap::new();
    for (id, rule) in &raw.rules {
        let Some(known) = registry::find(id) else {
            p.push(
                Some(rule.span()),
                format!("no rule has the id `{id}`"),
                "unknown rule",
                did_you_mean(id, registry::RULES.iter().map(|r| r.id)),
            );
            continue;
        };
        let r = rule.get_ref();
        let severity = r.severity.as_ref().and_then(|s| {
            let sev = Severity::from_name(s.get_ref());
            if sev.is_none() {
                p.push(
                    Some(s.span()),
                    format!("severity {:?} is not error, warning or info", s.get_ref()),
                    "unknown severity",
                    did_you_mean(s.get_ref(), ["error", "warning", "info"]),
                );
            }
            sev
        });
        let threshold = r.threshold.as_ref().and_then(|t| {
            let parsed = match t.get_ref() {
                toml::Value::Integer(n) if *n >= 0 => Some(Threshold::Count(*n as usize)),
                toml::Value::String(s) => match s.trim().strip_suffix('%') {
                    Some(pct) => pct
                        .trim()
                        .parse::<f64>()
                        .ok()
                        .filter(|v| (0.0..=100.0).contains(v))
                        .map(Threshold::Percent),
                    None => s.trim().parse::<usize>().ok().map(Threshold::Count),
                },
                _ => None,
            };
            if parsed.is_none() {
                p.push(
                    Some(t.span()),
                    "threshold must be a count (10) or a share of rows (\"5%\")",
                    "not a threshold",
                    None,
                );
            }
            parsed
        });
        rules.insert(
            known.id.to_string(),
            RuleSetting {
                enabled: r.enabled,
                severity,
                threshold,
            },
        );
    }
    Settings {
        as_of,
        sla_days: positive(p, &s.sla_days, "sla_days", d.sla_days),
        stale_days: positive(p, &s.stale_days, "stale_days", d.stale_days),
        stock_tolerance_units: positive(
            p,
            &s.stock_tolerance_units,
            "stock_tolerance_units",
            d.stock_tolerance_units,
        ),
        stock_tolerance_pct: pct,
        amount_tolerance,
        adoption_window_days: positive(
            p,
            &s.adoption_window_days,
            "adoption_window_days",
            d.adoption_window_days,
        ),
        rules,
    }
}

fn check_decommission(raw: &RawConfig, p: &mut Problems) -> Decommission {
    let d = Decommission::default();
    let r = &raw.decommission;
    let min_rate = match &r.min_rate {
        Some(v) if !(0.0..=1.0).contains(v.get_ref()) => {
            p.push(
                Some(v.span()),
                "min_rate is a share between 0 and 1",
                "out of range",
                Some("0.98 means 98% of keys in the system".into()),
            );
            d.min_rate
        }
        Some(v) => *v.get_ref(),
        None => d.min_rate,
    };
    Decommission {
        min_rate,
        streak: positive(p, &r.streak, "streak", d.streak as i64).max(1) as usize,
        quiet_days: positive(p, &r.quiet_days, "quiet_days", d.quiet_days),
    }
}

fn entity(p: &mut Problems, name: &toml::Spanned<String>) -> Option<Entity> {
    let e = Entity::from_name(name.get_ref());
    if e.is_none() {
        p.push(
            Some(name.span()),
            format!("`{}` is not a canonical table", name.get_ref()),
            "unknown entity",
            did_you_mean(name.get_ref(), Entity::ALL.iter().map(|e| e.name())),
        );
    }
    e
}

fn file_exists(p: &mut Problems, dir: &Path, file: &toml::Spanned<String>) -> bool {
    if dir.join(file.get_ref()).is_file() {
        return true;
    }
    let walked = crate::source::walk::walk(&[dir.to_path_buf()]);
    let names: Vec<&str> = walked.files.iter().map(|c| c.display.as_str()).collect();
    p.push(
        Some(file.span()),
        format!("{} does not exist in {}", file.get_ref(), dir.display()),
        "no such file",
        did_you_mean(file.get_ref(), names.iter().copied()),
    );
    false
}

fn check_source(s: &raw::RawSource, p: &mut Problems, dir: &Path) -> Option<SourceConfig> {
    let exists = file_exists(p, dir, &s.file);
    let feeds: Vec<Entity> = s
        .feeds
        .get_ref()
        .iter()
        .filter_map(|e| entity(p, e))
        .collect();
    if s.feeds.get_ref().is_empty() {
        p.push(
            Some(s.feeds.span()),
            "a source must feed at least one table",
            "empty",
            Some("e.g. feeds = [\"orders\"]".into()),
        );
    }
    let mut columns = Vec::new();
    for c in &s.columns {
        let Some(col) = crate::source::a1::column_index(c.column.get_ref().trim()) else {
            p.push(
                Some(c.column.span()),
                format!("`{}` is not a column letter", c.column.get_ref()),
                "not A..XFD",
                None,
            );
            continue;
        };
        let field_name = c.field.get_ref().trim();
        let field = if field_name == "-" {
            None
        } else {
            let found = feeds
                .iter()
                .find_map(|e| e.field(field_name))
                .map(|f| f.name);
            if found.is_none() && !feeds.is_empty() {
                let names: Vec<&str> = feeds
                    .iter()
                    .flat_map(|e| e.fields().iter().map(|f| f.name))
                    .collect();
                let tables: Vec<&str> = feeds.iter().map(|e| e.name()).collect();
                p.push(
                    Some(c.field.span()),
                    format!("`{field_name}` is not a field of {}", tables.join(" or ")),
                    "unknown field",
                    did_you_mean(field_name, names).or(Some(
                        "use \"-\" to keep the column as an extra field".into(),
                    )),
                );
                continue;
            }
            found
        };
        columns.push(ColumnConfig {
            col,
            header: c.header.get_ref().trim().to_string(),
            field,
            span: c.header.span(),
        });
    }
    exists.then(|| SourceConfig {
        file: s.file.get_ref().clone(),
        sheet: s.sheet.as_ref().map(|v| v.get_ref().clone()),
        header_row: s.header_row.as_ref().map(|v| *v.get_ref()),
        feeds,
        owner: s.owner.clone(),
        columns,
        span: s.file.span(),
        sheet_span: s.sheet.as_ref().map(|v| v.span()),
    })
}

fn check_shadow(s: &raw::RawShadow, p: &mut Problems, dir: &Path) -> Option<ShadowConfig> {
    let a = file_exists(p, dir, &s.path);
    let b = file_exists(p, dir, &s.system);
    let e = entity(p, &s.entity)?;
    (a && b).then(|| ShadowConfig {
        name: s.name.get_ref().clone(),
        path: s.path.get_ref().clone(),
        sheet: s.sheet.as_ref().map(|v| v.get_ref().clone()),
        entity: e,
        owner: s.owner.clone(),
        system: s.system.get_ref().clone(),
        system_sheet: s.system_sheet.as_ref().map(|v| v.get_ref().clone()),
        span: s.name.span(),
    })
}

#[cfg(test)]
mod tests;
