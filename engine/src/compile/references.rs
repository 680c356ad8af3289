//! Finds the form fields a rule reads (`form.don.nguoi_nop.ngay_sinh`), skipping strings and
//! comments, so a misspelt field is reported at publication instead of reading `()` forever.

/// A `form.…` path in a rule and where it starts (1-based line and column in the script).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldReference {
    pub line: usize,
    pub column: usize,
    pub path: Vec<String>,
}

pub(crate) fn form_references(script: &str) -> Vec<FieldReference> {
    let chars: Vec<char> = script.chars().collect();
    let mut found = Vec::new();
    let (mut i, mut line, mut line_start) = (0, 1, 0);
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\n' => {
                line += 1;
                line_start = i + 1;
                i += 1;
            }
            '"' | '`' | '\'' => i = skip_quoted(&chars, i, &mut line, &mut line_start),
            '/' if chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            c if is_ident_start(c) => {
                let start = i;
                let mut path = Vec::new();
                loop {
                    let word_start = i;
                    while i < chars.len() && is_ident(chars[i]) {
                        i += 1;
                    }
                    path.push(chars[word_start..i].iter().collect::<String>());
                    if chars.get(i) == Some(&'.') && chars.get(i + 1).is_some_and(|&c| is_ident_start(c)) {
                        i += 1;
                    } else {
                        break;
                    }
                }
                let preceded_by_dot = start > 0 && chars[start - 1] == '.';
                if !preceded_by_dot && path.first().is_some_and(|w| w == "form") && path.len() > 1 {
                    path.remove(0);
                    found.push(FieldReference { line, column: start - line_start + 1, path });
                }
            }
            _ => i += 1,
        }
    }
    found
}

fn skip_quoted(chars: &[char], open: usize, line: &mut usize, line_start: &mut usize) -> usize {
    let quote = chars[open];
    let mut i = open + 1;
    while i < chars.len() && chars[i] != quote {
        if chars[i] == '\\' {
            i += 1;
        } else if chars[i] == '\n' {
            *line += 1;
            *line_start = i + 1;
        }
        i += 1;
    }
    i + 1
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_paths_outside_strings_and_comments() {
        let script = "let a = form.don.ho_ten; // form.not.this\nif \"form.nor.this\" == platform.x { form.b.c.d }";
        let refs = form_references(script);
        let paths: Vec<_> = refs.iter().map(|r| r.path.join(".")).collect();
        assert_eq!(paths, ["don.ho_ten", "b.c.d"]);
        assert_eq!((refs[0].line, refs[0].column), (1, 9));
        assert_eq!((refs[1].line, refs[1].column), (2, 36));
    }
}
