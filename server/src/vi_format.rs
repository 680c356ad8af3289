//! Numbers as Vietnamese readers write them: a dot between thousands, a comma before
//! decimals (30.000 đồng).

/// An amount of money: `30.000 đồng`, `1.250.000 đồng`, `0 đồng`.
pub fn dong(amount: i64) -> String {
    format!("{} đồng", thousands(amount))
}

/// An integer with a dot between thousands: `1.250.000`, `-5.000`.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_has_dots_between_thousands() {
        assert_eq!(dong(30_000), "30.000 đồng");
        assert_eq!(dong(1_250_000), "1.250.000 đồng");
        assert_eq!(dong(0), "0 đồng");
        assert_eq!(dong(500), "500 đồng");
        assert_eq!(thousands(-5_000), "-5.000");
        assert_eq!(thousands(i64::MIN), "-9.223.372.036.854.775.808");
    }
}
