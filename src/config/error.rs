//! Configuration diagnostics: each problem points at its place in offsheet.toml
//! and, where a name was mistyped, says which name was meant.

use std::ops::Range;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(offsheet::config::invalid))]
pub struct ConfigError {
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{label}")]
    pub span: Option<SourceSpan>,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

/// Every problem of one configuration file, reported together.
#[derive(Debug, Error, Diagnostic)]
#[error("{} has {} problem{}", .file, .errors.len(), if .errors.len() == 1 { "" } else { "s" })]
#[diagnostic(
    code(offsheet::config::invalid),
    help("fix offsheet.toml (or run `offsheet init` to propose a new one beside it)")
)]
pub struct ConfigErrors {
    pub file: String,
    #[related]
    pub errors: Vec<ConfigError>,
}

/// Collects problems while a configuration is checked.
pub struct Problems {
    pub file: String,
    pub text: String,
    pub errors: Vec<ConfigError>,
}

impl Problems {
    pub fn new(file: &str, text: &str) -> Problems {
        Problems {
            file: file.to_string(),
            text: text.to_string(),
            errors: Vec::new(),
        }
    }

    pub fn push(
        &mut self,
        span: Option<Range<usize>>,
        message: impl Into<String>,
        label: impl Into<String>,
        help: Option<String>,
    ) {
        self.errors.push(ConfigError {
            message: message.into(),
            src: NamedSource::new(self.file.clone(), self.text.clone()),
            span: span.map(|r| SourceSpan::from(r.start..r.end)),
            label: label.into(),
            help,
        });
    }

    pub fn finish(self) -> Result<(), ConfigErrors> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ConfigErrors {
                file: self.file,
                errors: self.errors,
            })
        }
    }
}

/// "did you mean `quantity`?" for the closest of `candidates`, if one is close.
pub fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let given_l = given.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&given_l, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_only_when_close() {
        assert_eq!(
            did_you_mean("order_line", ["orders", "order_lines", "inventory"]),
            Some("did you mean `order_lines`?".into())
        );
        assert_eq!(
            did_you_mean("sla_dayz", ["sla_days", "stale_days"]),
            Some("did you mean `sla_days`?".into())
        );
        assert_eq!(did_you_mean("banana", ["orders", "inventory"]), None);
    }
}
