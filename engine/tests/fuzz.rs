//! Property fuzzing of the definition compiler and the calendar: mutated definitions and
//! random instants never panic, never hang, and every failure is a located diagnostic.
//! `MOTCUA_FUZZ_ITERATIONS` runs longer; inputs that once broke something are kept in
//! tests/fuzz_regressions/ and replayed first.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, FixedOffset, TimeZone};
use motcua_engine::calendar::{Calendar, ProcessingTime, VIETNAM_OFFSET, WorkingDays};
use motcua_engine::compile::DirLoader;
use motcua_engine::{CompileContext, compile};
use std::path::Path;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// xorshift64*: deterministic, so a failing seed reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap_or(0)
    }
}

fn iterations(default: usize) -> usize {
    std::env::var("MOTCUA_FUZZ_ITERATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Fragments that exercise the parser, the schema and the rules.
const SPLICES: [&str; 14] =
    ["\t", ": ", "- ", "&a ", "*a", "{", "]", "'", "\"", "|\n", "loop { }", "xxx", "\u{202e}", "🙂"];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for _ in 0..=rng.below(4) {
        let i = rng.below(lines.len());
        match rng.below(6) {
            0 => {
                lines.remove(i);
            }
            1 => lines.insert(i, lines[i].clone()),
            2 => {
                let line = &mut lines[i];
                let cut = line.char_indices().nth(rng.below(line.chars().count() + 1)).map_or(line.len(), |(b, _)| b);
                line.truncate(cut);
            }
            3 => {
                let line = &mut lines[i];
                let at = line.char_indices().nth(rng.below(line.chars().count() + 1)).map_or(line.len(), |(b, _)| b);
                line.insert_str(at, SPLICES[rng.below(SPLICES.len())]);
            }
            4 => {
                let j = rng.below(lines.len());
                lines.swap(i, j);
            }
            _ => lines[i] = format!("  {}", lines[i]),
        }
        if lines.is_empty() {
            lines.push(String::new());
        }
    }
    lines.join("\n")
}

fn check(ctx: &CompileContext, name: &str, text: &str) {
    let compilation = compile(name, text, ctx);
    let line_count = u32::try_from(text.lines().count()).unwrap_or(u32::MAX) + 1;
    match &compilation.procedure {
        Some(_) => assert!(compilation.diagnostics.iter().all(|d| !d.is_error()), "{name}: a procedure with errors"),
        None => {
            assert!(compilation.diagnostics.iter().any(|d| d.is_error()), "{name}: refused without an error\n{text}")
        }
    }
    for d in &compilation.diagnostics {
        assert!(d.line >= 1 && d.line <= line_count, "{name}: line {} of {line_count}\n{text}", d.line);
        assert!(d.column >= 1 && !d.message.is_empty(), "{name}: {d}");
    }
}

#[test]
fn mutated_definitions_compile_or_are_refused_with_located_errors() {
    let ctx = CompileContext::new(Calendar::vietnam().unwrap(), DirLoader::new(Path::new(ROOT).join("schemas")));
    let regressions = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    for entry in std::fs::read_dir(&regressions).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            check(&ctx, &path.display().to_string(), &std::fs::read_to_string(&path).unwrap());
        }
    }
    let mut sources: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("procedures"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    sources.sort();
    let mut rng = Rng(0x6d6f_7463_7561);
    for i in 0..iterations(1500) {
        let source = &sources[rng.below(sources.len())];
        let text = mutate(&mut rng, source);
        check(&ctx, &format!("mutation-{i}.yaml"), &text);
    }
}

fn instant(rng: &mut Rng) -> DateTime<FixedOffset> {
    let start = VIETNAM_OFFSET.with_ymd_and_hms(1995, 1, 1, 0, 0, 0).unwrap();
    let span = 40 * 366 * 24 * 60;
    start + Duration::minutes(i64::try_from(rng.below(span)).unwrap())
}

#[test]
fn random_instants_and_times_never_panic_and_stay_consistent() {
    let calendar = Calendar::vietnam().unwrap();
    let mut rng = Rng(0x6361_6c65_6e64);
    for _ in 0..iterations(20_000) {
        let from = instant(&mut rng);
        let days = WorkingDays::try_from(f64::from(u32::try_from(rng.below(4000)).unwrap()) / 8.0)
            .unwrap_or(WorkingDays::ZERO);
        let time = match rng.below(4) {
            0 => ProcessingTime::WorkingDays(days),
            1 => ProcessingTime::CalendarDays(u32::try_from(rng.below(400)).unwrap()),
            2 => ProcessingTime::SameDay {
                cutoff: chrono::NaiveTime::from_hms_opt(u32::try_from(rng.below(24)).unwrap(), 0, 0).unwrap(),
            },
            _ => ProcessingTime::WorkingDays(WorkingDays::ZERO),
        };
        // Outside 2000–2099 the calendar answers an error, never a panic.
        if let Ok(due) = calendar.add(from, &time) {
            assert!(due >= from || matches!(time, ProcessingTime::WorkingDays(_)), "{from} + {time} = {due}");
            let other = instant(&mut rng);
            let _ = calendar.working_minutes_between(from, other);
            let _ = calendar.add_working_minutes(other, i64::try_from(rng.below(100_000)).unwrap() - 50_000);
        }
    }
}
