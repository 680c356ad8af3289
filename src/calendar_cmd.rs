//! `motcua calendar holidays|add|lunar`.

use crate::output::{Format, print_json};
use chrono::{DateTime, NaiveDate, NaiveTime};
use clap::{Args, Subcommand};
use motcua_engine::calendar::{Calendar, OfficeHours, ProcessingTime, WorkingDays, WorkingHours, solar_to_lunar};
use serde_json::json;
use std::path::Path;

/// Calendar commands.
#[derive(Subcommand)]
pub enum CalendarCommand {
    /// Days off (Monday–Friday) and worked weekend days of a year.
    Holidays {
        /// The year.
        #[arg(long)]
        year: i32,
    },
    /// The due time of a processing time counted from a receipt time.
    Add(AddArgs),
    /// The Vietnamese lunar date (UTC+7) of a solar date.
    Lunar {
        /// YYYY-MM-DD.
        date: NaiveDate,
    },
}

/// `calendar add` arguments: a start and exactly one processing time.
#[derive(Args)]
#[command(group = clap::ArgGroup::new("time").required(true).multiple(false))]
pub struct AddArgs {
    /// Receipt time, RFC 3339 (e.g. 2026-02-12T09:00:00+07:00).
    #[arg(long)]
    from: DateTime<chrono::FixedOffset>,
    /// Working days (fractions allowed: 0.5, 1.5).
    #[arg(long, group = "time")]
    working_days: Option<WorkingDays>,
    /// Working hours.
    #[arg(long, group = "time")]
    working_hours: Option<WorkingHours>,
    /// Calendar days (a deadline ending on a day off moves to the next working day).
    #[arg(long, group = "time")]
    calendar_days: Option<u32>,
    /// Same day if received by this local time (HH:MM), else the next working day.
    #[arg(long, group = "time", value_parser = parse_time)]
    same_day_cutoff: Option<NaiveTime>,
}

fn parse_time(text: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| format!("`{text}` is not a time: write HH:MM"))
}

impl AddArgs {
    fn processing_time(&self) -> Option<ProcessingTime> {
        self.working_days
            .map(ProcessingTime::WorkingDays)
            .or(self.working_hours.map(ProcessingTime::WorkingHours))
            .or(self.calendar_days.map(ProcessingTime::CalendarDays))
            .or(self.same_day_cutoff.map(|cutoff| ProcessingTime::SameDay { cutoff }))
    }
}

/// The embedded calendar plus the administrator's decision files in `dir` (if it exists),
/// with the given office hours.
pub fn load_calendar(dir: &Path, hours: OfficeHours) -> Result<Calendar, String> {
    let mut builder = Calendar::builder().office_hours(hours);
    if dir.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "yaml" || e == "yml"))
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).map_err(|e| format!("cannot read `{}`: {e}", file.display()))?;
            builder = builder.decisions_yaml(&file.display().to_string(), &text).map_err(|e| e.to_string())?;
        }
    }
    builder.build().map_err(|e| e.to_string())
}

/// Runs a calendar command; false when its input is invalid.
pub fn run(command: CalendarCommand, calendar: &Calendar, format: Format) -> bool {
    let result = match command {
        CalendarCommand::Holidays { year } => holidays(calendar, year, format),
        CalendarCommand::Add(args) => add(calendar, &args, format),
        CalendarCommand::Lunar { date } => lunar(date, format),
    };
    match result {
        Ok(()) => true,
        Err(message) => {
            match format {
                Format::Json => print_json(&json!({"error": message})),
                Format::Text => eprintln!("error: {message}"),
            }
            false
        }
    }
}

fn holidays(calendar: &Calendar, year: i32, format: Format) -> Result<(), String> {
    let holidays = calendar.holidays(year).map_err(|e| e.to_string())?;
    match format {
        Format::Json => print_json(&serde_json::to_value(&holidays).map_err(|e| e.to_string())?),
        Format::Text => {
            let status =
                if holidays.projected { " (dự kiến: chưa có thông báo của Chính phủ)" } else { "" };
            println!("Năm {year}{status}");
            println!("Ngày nghỉ (thứ Hai – thứ Sáu):");
            for day in &holidays.days_off {
                println!("  {}  {}", day.date.format("%a %d/%m/%Y"), day.name);
            }
            println!("Ngày cuối tuần làm việc:");
            for day in &holidays.working_weekend_days {
                println!("  {}  {}", day.date.format("%a %d/%m/%Y"), day.name);
            }
        }
    }
    Ok(())
}

fn add(calendar: &Calendar, args: &AddArgs, format: Format) -> Result<(), String> {
    let time = args.processing_time().ok_or("give one processing time")?;
    let explained = calendar.add_explained(args.from, &time).map_err(|e| e.to_string())?;
    match format {
        Format::Json => print_json(&json!({
            "due": explained.due.to_rfc3339(),
            "start": explained.start.to_rfc3339(),
            "skipped": explained.skipped,
        })),
        Format::Text => {
            println!("Nhận: {}; bắt đầu tính: {}", explained.received.to_rfc3339(), explained.start.to_rfc3339());
            for day in &explained.skipped {
                println!("  bỏ qua {}: {}", day.date.format("%d/%m/%Y"), day.name);
            }
            println!("Hẹn trả: {}", explained.due.to_rfc3339());
        }
    }
    Ok(())
}

fn lunar(date: NaiveDate, format: Format) -> Result<(), String> {
    let lunar = solar_to_lunar(date).map_err(|e| e.to_string())?;
    match format {
        Format::Json => {
            print_json(&json!({"day": lunar.day, "month": lunar.month, "year": lunar.year, "leap": lunar.leap}))
        }
        Format::Text => {
            let leap = if lunar.leap { " (nhuận)" } else { "" };
            println!("Ngày {} tháng {}{leap} năm {} âm lịch", lunar.day, lunar.month, lunar.year);
        }
    }
    Ok(())
}
