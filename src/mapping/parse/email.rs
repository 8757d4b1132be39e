//! A plain check of e-mail addresses: an email field always holds its text, and this
//! says why an address cannot be delivered to. Not RFC 5322 in full, on purpose.

/// Returns the trimmed address, or why it is not one. Checked, in this order: not empty;
/// no whitespace inside; exactly one "@"; a non-empty local part; a domain of dot-separated
/// labels of letters, digits and hyphens (any script), with no empty label, no trailing
/// dot, and at least one dot. Quoted local parts, IP-literal domains and display names
/// ("Ann <ann@example.com>") are not accepted.
pub fn check_email(s: &str) -> Result<&str, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("empty".to_string());
    }
    if t.chars().any(char::is_whitespace) {
        return Err("space inside the address".to_string());
    }
    let (local, domain) = match t.split('@').count() {
        1 => return Err("no @".to_string()),
        2 => t.split_once('@').ok_or_else(|| "no @".to_string())?,
        _ => return Err("more than one @".to_string()),
    };
    if local.is_empty() {
        return Err("empty local part".to_string());
    }
    if domain.is_empty() {
        return Err("no domain after the @".to_string());
    }
    if let Some(bad) = domain
        .chars()
        .find(|c| !(c.is_alphanumeric() || *c == '-' || *c == '.'))
    {
        return Err(format!("'{bad}' is not allowed in the domain"));
    }
    if domain.ends_with('.') {
        return Err("trailing dot".to_string());
    }
    if !domain.contains('.') {
        return Err("no dot in the domain".to_string());
    }
    if domain.split('.').any(str::is_empty) {
        return Err("empty part in the domain".to_string());
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_addresses_come_back_trimmed() {
        assert_eq!(check_email("ann@example.com"), Ok("ann@example.com"));
        assert_eq!(
            check_email("  Ann.Lee+shop@mail.example.co.uk "),
            Ok("Ann.Lee+shop@mail.example.co.uk")
        );
        assert_eq!(check_email("jörg@bücher.de"), Ok("jörg@bücher.de"));
        assert_eq!(check_email("a@b-c.io"), Ok("a@b-c.io"));
    }

    #[test]
    fn each_failure_names_its_reason() {
        let cases = [
            ("", "empty"),
            ("   ", "empty"),
            ("ann.example.com", "no @"),
            ("ann@@example.com", "more than one @"),
            ("ann@shop@example.com", "more than one @"),
            ("ann lee@example.com", "space inside the address"),
            ("ann@example .com", "space inside the address"),
            ("@example.com", "empty local part"),
            ("ann@", "no domain after the @"),
            ("ann@localhost", "no dot in the domain"),
            ("ann@example.com.", "trailing dot"),
            ("ann@example..com", "empty part in the domain"),
            ("ann@.example.com", "empty part in the domain"),
            ("ann@example,com", "',' is not allowed in the domain"),
            ("ann@[10.0.0.1]", "'[' is not allowed in the domain"),
        ];
        for (input, reason) in cases {
            assert_eq!(check_email(input), Err(reason.to_string()), "{input:?}");
        }
    }
}
